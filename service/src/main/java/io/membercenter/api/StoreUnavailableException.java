package io.membercenter.api;

/** A store the request needs cannot serve it safely now; nothing was half-written. Maps to 503. */
public final class StoreUnavailableException extends ApiException {

    public StoreUnavailableException(String detail, Throwable cause) {
        super(detail, cause);
    }

    public StoreUnavailableException(String detail) {
        super(detail, null);
    }
}
