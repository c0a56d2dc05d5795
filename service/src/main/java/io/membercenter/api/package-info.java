/**
 * The HTTP rules every endpoint shares: errors as {@code application/problem+json} (RFC 9457) from
 * one place, the 64 KiB body limit, and the failure types callers must tell apart. Nothing an error
 * answer says may reveal SQL, stack traces, host names or unmasked personal data.
 *
 * <h2>Public types</h2>
 * The sealed {@link io.membercenter.api.ApiException} family — {@link io.membercenter.api.BadRequestException},
 * {@link io.membercenter.api.ConflictException}, {@link io.membercenter.api.ForbiddenException},
 * {@link io.membercenter.api.LimitExceededException} (an abuse limit: 429 + {@code Retry-After}, or 409),
 * {@link io.membercenter.api.NotFoundException}, {@link io.membercenter.api.PreconditionFailedException},
 * {@link io.membercenter.api.RequestInProgressException}, {@link io.membercenter.api.StoreUnavailableException},
 * {@link io.membercenter.api.UnprocessableException} — and {@link io.membercenter.api.ProblemResponses}.
 * More than two because the family is the door: one public type per failure a caller must tell apart,
 * thrown by every other package and mapped to problem+json in one exhaustive switch
 * ({@code ApiExceptionHandler}); {@code ProblemResponses} lets a filter that answers before Spring MVC
 * (traffic's authentication) write the same problem+json. Everything else is package-private.
 */
@ApplicationModule(allowedDependencies = {})
package io.membercenter.api;

import org.springframework.modulith.ApplicationModule;
