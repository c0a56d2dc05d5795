package io.membercenter.bench.outage;

import java.util.Objects;

/**
 * One request of the run and how it ended, in nanoseconds since the run began.
 *
 * @param kind    a read by id, a read by mobile or a write (PATCH)
 * @param outcome how it ended
 * @param status  the HTTP status; 0 when no answer came (timeout, refused connection), -1 when never sent
 * @param dueNanos  when the schedule meant it to leave (its answer time is counted from here)
 * @param doneNanos when its answer (or its failure) came back; {@code dueNanos} for a dropped request
 * @param source    who answered, as the service's {@code X-Member-Source} says ({@code cache@A},
 *                  {@code search-primary@A}, {@code db@B}, ...); empty when it did not say or nothing answered
 */
record Sample(Kind kind, Outcome outcome, int status, long dueNanos, long doneNanos, String source) {

    static final int NO_ANSWER = 0;
    static final int NOT_SENT = -1;

    Sample {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(source, "source");
        if (doneNanos < dueNanos) {
            throw new IllegalArgumentException(
                    "a request cannot end (" + doneNanos + ") before it is due (" + dueNanos + ")");
        }
    }

    /** A request whose answer did not say who served it. */
    Sample(Kind kind, Outcome outcome, int status, long dueNanos, long doneNanos) {
        this(kind, outcome, status, dueNanos, doneNanos, "");
    }

    static Sample dropped(Kind kind, long dueNanos) {
        return new Sample(kind, Outcome.DROPPED, NOT_SENT, dueNanos, dueNanos);
    }

    /** From the intended start to the answer: the caller's wait, coordinated omission corrected. */
    long answerNanos() {
        return doneNanos - dueNanos;
    }

    boolean succeeded() {
        return outcome.succeeded();
    }

    /** Sent, and answered by something other than success: a refusal, a wrong status or no answer. */
    boolean failed() {
        return outcome == Outcome.REFUSED || outcome == Outcome.FAILED;
    }

    enum Kind {
        READ_BY_ID,
        READ_BY_MOBILE,
        WRITE;

        boolean isRead() {
            return this != WRITE;
        }
    }

    enum Outcome {
        /** 200, nothing said about staleness. */
        OK,
        /** 200 with {@code X-Member-Stale: true}: the answer may be older than an acknowledged write. */
        STALE,
        /** 503 with {@code Retry-After}: the contract's clean refusal, nothing written, retry later. */
        REFUSED,
        /** Any other status (a 503 without Retry-After included), or no answer at all. */
        FAILED,
        /** Never sent: the in-flight bound was reached when it was due. */
        DROPPED;

        boolean succeeded() {
            return this == OK || this == STALE;
        }

        /** What an answer's status and headers mean for the caller. */
        static Outcome of(int status, boolean retryAfter, boolean staleHeader) {
            if (status == 200) return staleHeader ? STALE : OK;
            if (status == 503 && retryAfter) return REFUSED;
            return FAILED;
        }
    }
}
