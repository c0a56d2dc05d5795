package io.membercenter.member;

/**
 * An identifier in its normalized form, as stored in the owner table: mobile as E.164, e-mail
 * lower-cased, identity as {@code platform:externalId} (a platform never contains ':').
 */
record IdentifierKey(Kind kind, String value) {

    enum Kind {
        MOBILE('M'),
        EMAIL('E'),
        IDENTITY('I');

        final char code;

        Kind(char code) {
            this.code = code;
        }

        static Kind ofCode(String code) {
            for (Kind kind : values()) {
                if (kind.code == code.charAt(0)) return kind;
            }
            throw new IllegalArgumentException("unknown identifier kind " + code);
        }
    }

    static IdentifierKey mobile(String e164) {
        return new IdentifierKey(Kind.MOBILE, e164);
    }

    static IdentifierKey email(String email) {
        return new IdentifierKey(Kind.EMAIL, email.toLowerCase(java.util.Locale.ROOT));
    }

    static IdentifierKey identity(Member.Identity identity) {
        return new IdentifierKey(Kind.IDENTITY, identity.platform() + ":" + identity.externalId());
    }

    String code() {
        return String.valueOf(kind.code);
    }

    /** How search documents and pending markers name the identifier: {@code MOBILE:+86...}. */
    String searchKey() {
        return kind.name() + ":" + value;
    }

    /** What the shard hash is computed over. */
    String hashKey() {
        return kind.code + ":" + value;
    }

    /** The value as any caller may see it in a conflict answer. */
    String masked() {
        return switch (kind) {
            case MOBILE -> Masking.mobile(value);
            case EMAIL -> Masking.email(value);
            case IDENTITY -> {
                int colon = value.indexOf(':'); // a platform never contains ':', an externalId may
                yield Masking.identity(value.substring(0, colon), value.substring(colon + 1));
            }
        };
    }

    /** Safe to log: never the unmasked mobile, e-mail or externalId. */
    @Override
    public String toString() {
        return kind + ":" + masked();
    }
}
