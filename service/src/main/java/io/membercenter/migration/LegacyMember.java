package io.membercenter.migration;

import java.time.LocalDateTime;
import java.util.List;

/**
 * One member as the legacy store has it, in its own forms: a mobile as it was typed ({@code 138 0013 8000},
 * {@code +86-138-0013-8000}), an e-mail in whatever case, a grade number, a one-letter state, a local time without
 * zone, and the bindings of its side table. Nothing here is normalised or validated; {@link LegacyMapping} does that.
 *
 * @param key the legacy primary key; the member's id in member-center (see {@link LegacyMapping#memberIdOf})
 */
record LegacyMember(
        long key,
        String mobile,
        String email,
        String nickname,
        Integer grade,
        String state,
        LocalDateTime registeredAt,
        List<Binding> bindings) {

    /** A row of the side table: a platform code ({@code WX}, {@code QQ}, ...) and the account's id there. */
    record Binding(String platform, String openId) {}

    LegacyMember {
        bindings = List.copyOf(bindings);
    }

    LegacyMember withKey(long value) {
        return new LegacyMember(value, mobile, email, nickname, grade, state, registeredAt, bindings);
    }

    LegacyMember withNickname(String value) {
        return new LegacyMember(key, mobile, email, value, grade, state, registeredAt, bindings);
    }

    LegacyMember withEmail(String value) {
        return new LegacyMember(key, mobile, value, nickname, grade, state, registeredAt, bindings);
    }

    LegacyMember withGrade(Integer value) {
        return new LegacyMember(key, mobile, email, nickname, value, state, registeredAt, bindings);
    }

    LegacyMember withMobile(String value) {
        return new LegacyMember(key, value, email, nickname, grade, state, registeredAt, bindings);
    }

    LegacyMember withBindings(List<Binding> value) {
        return new LegacyMember(key, mobile, email, nickname, grade, state, registeredAt, value);
    }
}
