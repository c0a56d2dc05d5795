package io.membercenter.bench.outage;

import java.util.Collection;

/** How requests of one kind ended, counted. */
record Counts(long ok, long stale, long refused, long failed, long dropped) {

    static final Counts NONE = new Counts(0, 0, 0, 0, 0);

    static Counts of(Collection<Sample> samples) {
        long ok = 0, stale = 0, refused = 0, failed = 0, dropped = 0;
        for (Sample sample : samples) {
            switch (sample.outcome()) {
                case OK -> ok++;
                case STALE -> stale++;
                case REFUSED -> refused++;
                case FAILED -> failed++;
                case DROPPED -> dropped++;
            }
        }
        return new Counts(ok, stale, refused, failed, dropped);
    }

    /** Answered 200, stale or not. */
    long succeeded() {
        return ok + stale;
    }

    /** Sent and not answered 200: refused with Retry-After, another status, or no answer. */
    long errors() {
        return refused + failed;
    }

    long total() {
        return ok + stale + refused + failed + dropped;
    }
}
