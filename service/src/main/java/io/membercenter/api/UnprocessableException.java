package io.membercenter.api;

/** An Idempotency-Key reused with a different body: 422. */
public final class UnprocessableException extends ApiException {

    public UnprocessableException(String detail) {
        super(detail, null);
    }
}
