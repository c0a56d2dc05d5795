package io.membercenter.api;

/** The caller lacks the scope the endpoint needs: 403. */
public final class ForbiddenException extends ApiException {

    public ForbiddenException(String detail) {
        super(detail, null);
    }
}
