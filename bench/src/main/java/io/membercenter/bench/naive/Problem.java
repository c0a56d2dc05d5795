package io.membercenter.bench.naive;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An answer other than success, thrown by a handler and written as application/problem+json (RFC 9457). */
final class Problem extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> extra;

    private Problem(int status, String type, String title, String detail, Map<String, Object> extra) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.extra = extra;
    }

    static Problem badRequest(String detail) {
        return new Problem(400, "bad-request", "Bad request", detail, Map.of());
    }

    static Problem invalidField(String field, String message) {
        return new Problem(
                400,
                "validation",
                "Invalid request",
                "The request has invalid fields.",
                Map.of("errors", List.of(ordered("field", field, "message", message))));
    }

    static Problem unauthorized() {
        return new Problem(401, "unauthorized", "Unauthorized", "Send Authorization: Bearer <api-key>.", Map.of());
    }

    static Problem notFound(String detail) {
        return new Problem(404, "not-found", "Not found", detail, Map.of());
    }

    static Problem conflict(String identifierType, String maskedValue) {
        return new Problem(
                409,
                "identifier-conflict",
                "Identifier conflict",
                "The " + identifierType.toLowerCase(java.util.Locale.ROOT) + " is bound to another member.",
                Map.of("identifier", ordered("type", identifierType, "value", maskedValue)));
    }

    static Problem unsupportedMediaType(String expected) {
        return new Problem(415, "unsupported-media-type", "Unsupported media type", "Send " + expected + ".", Map.of());
    }

    static Problem internal() {
        return new Problem(500, "internal", "Internal error", "The request could not be served.", Map.of());
    }

    private static Map<String, Object> ordered(String name1, Object value1, String name2, Object value2) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(name1, value1);
        map.put(name2, value2);
        return map;
    }

    int status() {
        return status;
    }

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "/problems/" + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", getMessage());
        body.putAll(extra);
        return body;
    }
}
