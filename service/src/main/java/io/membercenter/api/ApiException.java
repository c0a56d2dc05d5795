package io.membercenter.api;

/**
 * A failure the caller must be able to tell apart. Each subtype maps to one status and problem
 * type in {@link ProblemResponses}; the detail text is shown to callers, so it never holds SQL,
 * host names or unmasked personal data.
 */
public abstract sealed class ApiException extends RuntimeException
        permits BadRequestException,
                NotFoundException,
                ConflictException,
                PreconditionFailedException,
                UnprocessableException,
                StoreUnavailableException,
                ForbiddenException,
                RequestInProgressException,
                LimitExceededException {

    protected ApiException(String detail, Throwable cause) {
        super(detail, cause, false, cause != null);
    }
}
