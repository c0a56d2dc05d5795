package io.membercenter.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.membercenter.replication.MemberChange;
import java.util.List;

/**
 * A member as a search cluster holds it, the document of the last change applied (the mapping is
 * {@code search/members-index.json}, strict): the change's member without its identifier lists, plus
 * the platforms of its identities for filtering. Written and read by Jackson; nothing else builds or
 * reads this JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MemberDocument(
        long memberId,
        long version,
        String mobile,
        String email,
        String nickname,
        String level,
        String status,
        List<MemberChange.Identity> identities,
        List<String> platforms,
        long createdAt,
        long updatedAt) {

    static MemberDocument of(MemberChange change) {
        return new MemberDocument(
                change.memberId(),
                change.version(),
                change.mobile(),
                change.email(),
                change.nickname(),
                change.level(),
                change.status(),
                change.identities(),
                change.identities().stream()
                        .map(MemberChange.Identity::platform)
                        .toList(),
                change.createdAtMillis(),
                change.updatedAtMillis());
    }

    /** The change this document was indexed from, less what it removed (which no document keeps). */
    MemberChange asChange() {
        return MemberChange.of(
                memberId,
                version,
                mobile,
                email,
                nickname,
                level,
                status,
                identities == null ? List.of() : identities,
                List.of(),
                createdAt,
                updatedAt);
    }
}
