package io.membercenter.member;

import io.membercenter.replication.IdentifierKey;

/**
 * How personal data looks to callers without {@code pii:read}, in conflict answers and in logs. The
 * rules belong to the identifier kinds ({@link IdentifierKey.Kind#mask}), so a member view and a
 * conflict answer can never mask the same value differently.
 */
final class Masking {

    private Masking() {}

    /** {@code +8613800138000 -> +86138****8000}: see {@link IdentifierKey.Kind#mask}. */
    static String mobile(String e164) {
        return IdentifierKey.Kind.MOBILE.mask(e164);
    }

    /** {@code wechat:oXa1b29k -> wechat:oX****9k}: see {@link IdentifierKey.Kind#mask}. */
    static String identity(String platform, String externalId) {
        return IdentifierKey.Kind.IDENTITY.mask(platform + ":" + externalId);
    }

    /** {@code li.lei@example.com -> l***@example.com}: see {@link IdentifierKey.Kind#mask}. */
    static String email(String email) {
        return IdentifierKey.Kind.EMAIL.mask(email);
    }
}
