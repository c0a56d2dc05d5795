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

    /** The scope of a label ({@code member:read}, ...), or null for a label that is none. */
    public static Scope ofLabel(String label) {
        for (Scope scope : values()) {
            if (scope.label.equals(label)) return scope;
        }
        return null;
    }
}
