package io.membercenter.api;

import java.util.Map;

/**
 * No such member, or the identifier is not bound: 404. It may carry headers of the answer, such as which copy
 * said "not found" and whether that copy may lag, so a caller (and the operator reading its logs) can tell a
 * master's "no" from a replica's.
 */
public final class NotFoundException extends ApiException {

    private final Map<String, String> headers;

    public NotFoundException(String detail) {
        this(detail, Map.of());
    }

    public NotFoundException(String detail, Map<String, String> headers) {
        super(detail, null);
        this.headers = Map.copyOf(headers);
    }

    Map<String, String> headers() {
        return headers;
    }
}
