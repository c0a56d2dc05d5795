package io.membercenter.replication;

import java.util.Locale;

/**
 * An identifier in its normalized form, as stored in the owner table: mobile as E.164, e-mail
 * lower-cased, identity as {@code platform:externalId} (a platform never contains ':', so the first
 * ':' of an identity's value ends the platform whatever the externalId holds).
 *
 * <p>The only owner of the identifier's text forms: {@link #searchKey()} ({@code KIND:value}, how
 * search documents, cache entries and pending markers name it) and {@link #hashKey()} (what the
 * shard hash is computed over). It lives with the change contract because a change carries the
 * identifiers it holds and removed, and every reader of changes (search, cache, member) sits above
 * this package; in JSON it is {@code {"kind": "MOBILE", "value": "+86..."}}.
 */
public record IdentifierKey(Kind kind, String value) {

    public enum Kind {
        MOBILE('M'),
        EMAIL('E'),
        IDENTITY('I');

        private final char code;

        Kind(char code) {
            this.code = code;
        }

        /** The one-letter code of the owner table's {@code kind} column. */
        public String code() {
            return String.valueOf(code);
        }

        /** What every {@link #searchKey()} of this kind starts with: {@code MOBILE:}, for prefix queries. */
        public String searchKeyPrefix() {
            return name() + ":";
        }

        public static Kind ofCode(String code) {
            for (Kind kind : values()) {
                if (code.length() == 1 && kind.code == code.charAt(0)) return kind;
            }
            throw new IllegalArgumentException("unknown identifier kind " + code);
        }

        /**
         * How a value of this kind looks to callers without {@code pii:read} and in logs. A mobile keeps
         * the '+', at most the first 5 and the last 4 digits, and always hides at least 4
         * ({@code +8613800138000 -> +86138****8000}); an e-mail keeps the first character (a code point,
         * not half of a surrogate pair) of the local part and the whole domain ({@code l***@example.com});
         * an identity keeps its platform and at most the first 2 and the last 2 characters of its
         * externalId, and always hides at least 4 ({@code wechat:oXa1b29k -> wechat:oX****9k}).
         */
        public String mask(String value) {
            return switch (this) {
                case MOBILE -> maskMobile(value);
                case EMAIL -> maskEmail(value);
                case IDENTITY -> maskIdentity(value);
            };
        }
    }

    public IdentifierKey {
        if (kind == null || value == null) throw new IllegalArgumentException("an identifier needs a kind and a value");
    }

    public static IdentifierKey mobile(String e164) {
        return new IdentifierKey(Kind.MOBILE, e164);
    }

    public static IdentifierKey email(String email) {
        return new IdentifierKey(Kind.EMAIL, email.toLowerCase(Locale.ROOT));
    }

    public static IdentifierKey identity(String platform, String externalId) {
        return new IdentifierKey(Kind.IDENTITY, platform + ":" + externalId);
    }

    /** The inverse of {@link #searchKey()}: {@code IDENTITY:wechat:a:b} is identity {@code wechat:a:b}. */
    public static IdentifierKey parse(String searchKey) {
        int colon = searchKey.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("not an identifier key");
        return new IdentifierKey(Kind.valueOf(searchKey.substring(0, colon)), searchKey.substring(colon + 1));
    }

    /** The one-letter code of the owner table's {@code kind} column. */
    public String code() {
        return kind.code();
    }

    /** How search documents, cache entries and pending markers name the identifier: {@code MOBILE:+86...}. */
    public String searchKey() {
        return kind.searchKeyPrefix() + value;
    }

    /** What the shard hash is computed over: {@code M:+86...}. */
    public String hashKey() {
        return kind.code + ":" + value;
    }

    /** The value as any caller may see it in a conflict answer. */
    public String masked() {
        return kind.mask(value);
    }

    /** Safe to log: never the unmasked mobile, e-mail or externalId. */
    @Override
    public String toString() {
        return kind + ":" + masked();
    }

    private static String maskMobile(String e164) {
        String digits = e164.startsWith("+") ? e164.substring(1) : e164;
        int hidden = Math.max(4, digits.length() - 9);
        int shown = digits.length() - hidden;
        int tail = Math.min(4, shown);
        int head = Math.min(5, shown - tail);
        return "+" + digits.substring(0, head) + "*".repeat(hidden) + digits.substring(digits.length() - tail);
    }

    private static String maskEmail(String email) {
        int at = email.lastIndexOf('@');
        return email.substring(0, email.offsetByCodePoints(0, 1)) + "***" + email.substring(at);
    }

    private static String maskIdentity(String value) {
        int colon = value.indexOf(':'); // a platform never contains ':', an externalId may
        String platform = value.substring(0, colon);
        String externalId = value.substring(colon + 1);
        int hidden = Math.max(4, externalId.length() - 4);
        int shown = Math.max(0, externalId.length() - hidden);
        int head = Math.min(2, shown / 2);
        int tail = Math.min(2, shown - head);
        return platform + ":" + externalId.substring(0, head) + "*".repeat(hidden)
                + externalId.substring(externalId.length() - tail);
    }
}
