package io.membercenter.search;

import java.util.List;

/** A member as a search cluster holds it (the document of its last applied version). */
public record SearchedMember(
        long memberId,
        long version,
        String mobile,
        String email,
        String nickname,
        String level,
        String status,
        List<Identity> identities,
        long createdAtMillis,
        long updatedAtMillis) {

    public record Identity(String platform, String externalId) {}

    /** Whether this document holds an identifier key ("MOBILE:+86...", "EMAIL:a@b.c", "IDENTITY:wechat:x"). */
    public boolean holds(String identifierKey) {
        if (identifierKey.equals("MOBILE:" + mobile) || identifierKey.equals("EMAIL:" + email)) return true;
        return identities.stream()
                .anyMatch(i -> identifierKey.equals("IDENTITY:" + i.platform() + ":" + i.externalId()));
    }
}
