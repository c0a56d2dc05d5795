package io.membercenter.traffic;

/** What a caller may do. */
public enum Scope {
    MEMBER_READ("member:read"),
    MEMBER_WRITE("member:write"),
    PII_READ("pii:read"),
    ADMIN("admin");

    private final String label;

    Scope(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    static Scope ofLabel(String label) {
        for (Scope scope : values()) {
            if (scope.label.equals(label)) return scope;
        }
        throw new IllegalStateException(
                "unknown scope '" + label + "'; known: member:read, member:write, pii:read, admin");
    }
}
