package io.membercenter.api;

/** A retry arrived while the first request with the same Idempotency-Key still runs: 409 + Retry-After. */
public final class RequestInProgressException extends ApiException {

    public RequestInProgressException(String detail) {
        super(detail, null);
    }
}
