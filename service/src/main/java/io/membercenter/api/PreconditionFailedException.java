package io.membercenter.api;

/** {@code If-Match} names a version the member no longer has: 412. */
public final class PreconditionFailedException extends ApiException {

    public PreconditionFailedException(String detail) {
        super(detail, null);
    }
}
