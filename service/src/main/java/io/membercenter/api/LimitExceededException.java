package io.membercenter.api;

/**
 * A request that would pass one of the abuse limits (issue 16): {@code /problems/<rule>} with the rule, its limit
 * and window in the body; 429 with {@code Retry-After} when waiting lifts it, 409 when only a review does.
 *
 * @param rule the limit's name (also the problem type), e.g. {@code bind-velocity}
 * @param retryAfterSeconds when the caller may try again; 0 for a 409, which waiting does not lift
 */
public final class LimitExceededException extends ApiException {

    private final String rule;
    private final int limit;
    private final String window;
    private final long retryAfterSeconds;

    public LimitExceededException(String rule, int limit, String window, long retryAfterSeconds, String detail) {
        super(detail, null);
        this.rule = rule;
        this.limit = limit;
        this.window = window;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String rule() {
        return rule;
    }

    public int limit() {
        return limit;
    }

    public String window() {
        return window;
    }

    /** 429 when waiting lifts the limit (a Retry-After is given), 409 otherwise. */
    public int status() {
        return retryAfterSeconds > 0 ? 429 : 409;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
