package io.membercenter.api;

import java.util.List;

/** Malformed JSON, an unknown field or an invalid value: 400 with one entry per bad field. */
public final class BadRequestException extends ApiException {

    public record FieldError(String field, String message) {}

    private final List<FieldError> errors;

    public BadRequestException(String detail, List<FieldError> errors) {
        super(detail, null);
        this.errors = List.copyOf(errors);
    }

    public static BadRequestException field(String field, String message) {
        return new BadRequestException("The request has an invalid value.", List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
