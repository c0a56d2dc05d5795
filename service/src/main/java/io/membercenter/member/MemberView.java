package io.membercenter.member;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** A member as the API shows it to one caller: mobile and e-mail masked without pii:read. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MemberView(
        String memberId,
        String mobile,
        String email,
        String nickname,
        String level,
        String status,
        List<Member.Identity> identities,
        long version,
        String createdAt,
        String updatedAt) {

    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    static MemberView of(Member member, boolean showPii) {
        return new MemberView(
                Long.toString(member.memberId()),
                member.mobile() == null ? null : showPii ? member.mobile() : Masking.mobile(member.mobile()),
                member.email() == null ? null : showPii ? member.email() : Masking.email(member.email()),
                member.nickname(),
                member.level().name(),
                member.status().name(),
                member.identities(),
                member.version(),
                format(member.createdAt()),
                format(member.updatedAt()));
    }

    private static String format(Instant instant) {
        return MILLIS.format(instant);
    }
}
