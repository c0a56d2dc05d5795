package io.membercenter.api;

/**
 * An identifier is bound to another member: 409. Carries the identifier so the answer can name it,
 * masked for every caller.
 */
public final class ConflictException extends ApiException {

    private final String identifierType;
    private final String maskedValue;

    public ConflictException(String identifierType, String maskedValue) {
        super("The " + identifierType.toLowerCase() + " is bound to another member.", null);
        this.identifierType = identifierType;
        this.maskedValue = maskedValue;
    }

    public String identifierType() {
        return identifierType;
    }

    public String maskedValue() {
        return maskedValue;
    }
}
