package io.membercenter.api;

/** No such member, or the identifier is not bound: 404. */
public final class NotFoundException extends ApiException {

    public NotFoundException(String detail) {
        super(detail, null);
    }
}
