package io.membercenter.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** The one place where failures become problem+json answers. */
@RestControllerAdvice
final class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final long LOG_EVERY_NANOS = 1_000_000_000L;

    private final AtomicLong nextStoreUnavailableLogAt = new AtomicLong(System.nanoTime());
    private final AtomicLong suppressedStoreUnavailable = new AtomicLong();

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> handleApi(ApiException e) {
        ProblemDetail problem = switch (e) {
            case BadRequestException bad -> withErrors(bad);
            case NotFoundException notFound ->
                ProblemResponses.problem(404, "not-found", "Not Found", notFound.getMessage());
            case ConflictException conflict -> withIdentifier(conflict);
            case PreconditionFailedException pf ->
                ProblemResponses.problem(412, "version-mismatch", "Precondition Failed", pf.getMessage());
            case UnprocessableException u ->
                ProblemResponses.problem(422, "idempotency-key-reused", "Unprocessable Content", u.getMessage());
            case ForbiddenException f -> ProblemResponses.problem(403, "forbidden", "Forbidden", f.getMessage());
            case RequestInProgressException r ->
                ProblemResponses.problem(409, "request-in-progress", "Conflict", r.getMessage());
            case LimitExceededException limit -> withLimit(limit);
            case StoreUnavailableException s -> {
                logStoreUnavailable(s);
                yield ProblemResponses.problem(503, "store-unavailable", "Service Unavailable", s.getMessage());
            }
        };
        HttpHeaders headers = new HttpHeaders();
        if (e instanceof StoreUnavailableException || e instanceof RequestInProgressException) {
            headers.set(HttpHeaders.RETRY_AFTER, "1");
        }
        if (e instanceof LimitExceededException limit && limit.status() == 429) {
            headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(limit.retryAfterSeconds()));
        }
        if (e instanceof NotFoundException notFound) notFound.headers().forEach(headers::set);
        return ResponseEntity.status(problem.getStatus()).headers(headers).body(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception e) {
        if (e.getCause() instanceof BodyLimitFilter.BodyTooLargeException
                || e instanceof BodyLimitFilter.BodyTooLargeException) {
            return ResponseEntity.status(413)
                    .body(ProblemResponses.problem(
                            413,
                            "payload-too-large",
                            "Payload Too Large",
                            "The body is over " + BodyLimitFilter.MAX_BODY_BYTES + " bytes."));
        }
        log.error("event=unexpected_failure type={}", e.getClass().getName(), e);
        return ResponseEntity.status(500)
                .body(ProblemResponses.problem(
                        500,
                        "internal",
                        "Internal Server Error",
                        "The request failed unexpectedly; it may be retried."));
    }

    /** Framework-detected errors (unknown path, wrong method, unreadable body) keep their status. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (ex instanceof HttpMessageNotReadableException
                && ex.getCause() instanceof BodyLimitFilter.BodyTooLargeException) {
            return ResponseEntity.status(413)
                    .body(ProblemResponses.problem(
                            413,
                            "payload-too-large",
                            "Payload Too Large",
                            "The body is over " + BodyLimitFilter.MAX_BODY_BYTES + " bytes."));
        }
        ProblemDetail problem = ProblemResponses.problem(
                statusCode.value(), "http-" + statusCode.value(), titleOf(statusCode), detailOf(ex, statusCode));
        return ResponseEntity.status(statusCode).headers(headers).body(problem);
    }

    private static String titleOf(HttpStatusCode status) {
        return status instanceof org.springframework.http.HttpStatus known ? known.getReasonPhrase() : "Error";
    }

    private static String detailOf(Exception ex, HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "The request is malformed.";
            case 404 -> "No such resource.";
            case 405 -> "This method is not allowed here.";
            case 406 -> "The requested media type is not available.";
            case 415 -> "Send application/json (or application/merge-patch+json for PATCH).";
            default -> "The request failed.";
        };
    }

    private static ProblemDetail withErrors(BadRequestException bad) {
        ProblemDetail problem = ProblemResponses.problem(400, "invalid-request", "Bad Request", bad.getMessage());
        List<Map<String, String>> errors = bad.errors().stream()
                .map(error -> Map.of("field", error.field(), "message", error.message()))
                .toList();
        problem.setProperty("errors", errors);
        return problem;
    }

    private static ProblemDetail withLimit(LimitExceededException limit) {
        String title = limit.status() == 429 ? "Too Many Requests" : "Conflict";
        ProblemDetail problem = ProblemResponses.problem(limit.status(), limit.rule(), title, limit.getMessage());
        problem.setProperty("rule", limit.rule());
        problem.setProperty("limit", limit.limit());
        problem.setProperty("window", limit.window());
        return problem;
    }

    private static ProblemDetail withIdentifier(ConflictException conflict) {
        ProblemDetail problem = ProblemResponses.problem(409, "identifier-conflict", "Conflict", conflict.getMessage());
        problem.setProperty("identifier", Map.of("type", conflict.identifierType(), "value", conflict.maskedValue()));
        return problem;
    }

    /**
     * One line per second at most: while a breaker is open every request of a kind is refused at once, and a
     * line per refusal (hundreds of thousands a minute) would bury everything else in the log. The line
     * says how many refusals it stands for since the last one.
     */
    private void logStoreUnavailable(StoreUnavailableException s) {
        long now = System.nanoTime();
        long next = nextStoreUnavailableLogAt.get();
        if (now - next < 0 || !nextStoreUnavailableLogAt.compareAndSet(next, now + LOG_EVERY_NANOS)) {
            suppressedStoreUnavailable.incrementAndGet();
            return;
        }
        log.warn(
                "event=store_unavailable detail=\"{}\" cause={} suppressed_since_last={}",
                s.getMessage(),
                s.getCause() == null ? "-" : s.getCause().getClass().getSimpleName(),
                suppressedStoreUnavailable.getAndSet(0));
    }
}
