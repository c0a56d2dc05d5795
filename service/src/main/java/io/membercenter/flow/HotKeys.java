package io.membercenter.flow;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The hot-key counters of one caller: how often each key was asked for in its current window, against the
 * caller's limit or the key's own.
 *
 * <p><b>Why not Sentinel's {@code ParamFlowRule}</b>, which this replaced: measured with {@code ./mc bench flow}
 * (JMH), Sentinel's hot-key check cost ~0.46 µs per key — each value of the request's key list goes through four
 * operations on LRU maps (its token and its time counter, and a thread count raised on entry and lowered on exit,
 * kept for thread-grade rules this service never makes) — so a batch-get of 20 ids cost 10.8 µs against the
 * issue's 5 µs per request, and a second slot chain per request (the hot-key resource) cost ~1 µs more. This class
 * is one hash-map lookup and a short lock per key. The semantics are Sentinel's: a key's window opens at its first
 * request and is refilled whole once a full second has passed since, so for one key a caller gets at most
 * {@code limit × (1 + whole seconds elapsed)} passes ({@code FlowControlTest} asserts that bound under
 * concurrency); a request of several keys is refused as a whole when one of them is over, and keys counted before
 * that one keep their count, as in Sentinel.
 *
 * <p><b>Memory</b>: a window older than a second would be refilled by its next request anyway, so removing it
 * changes nothing; once a second the first request to notice sweeps them out, and the map holds only the keys
 * asked for in about the last two seconds. Beyond {@link #MAX_KEYS} of those, a key not yet counted is admitted
 * uncounted (Sentinel's own bound is an LRU of 4,000 keys per rule, which forgets a hot key behind 4,000 others;
 * here every key already counted stays counted).
 */
final class HotKeys {

    static final int MAX_KEYS = 100_000;
    /** Milliseconds that never go back (a window's length must not depend on the wall clock being set). */
    static final LongSupplier MONOTONIC_MILLIS = () -> System.nanoTime() / 1_000_000;

    private static final long WINDOW_MS = 1_000;

    private static final class Window {
        long start;
        int count;
        /** Swept out of the map: a request that still holds it looks the key up again. */
        boolean dead;

        Window(long start) {
            this.start = start;
        }
    }

    private final int limit;
    /** Per-key limits of their own, by token (keys that are never limited are left out before counting). */
    private final Map<Long, Integer> own;

    private final LongSupplier millis;
    private final Map<Long, Window> windows = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong();

    HotKeys(int limit, Map<Long, Integer> own, LongSupplier millis) {
        this.limit = limit;
        this.own = Map.copyOf(own);
        this.millis = millis;
        this.lastSweep.set(millis.getAsLong());
    }

    /** Counts one request of each token; false when one of them is over its limit (that one is not counted). */
    boolean pass(List<Long> tokens) {
        long now = millis.getAsLong();
        sweepIfDue(now);
        for (int i = 0; i < tokens.size(); i++) {
            if (!passOne(tokens.get(i), now)) return false;
        }
        return true;
    }

    private boolean passOne(Long token, long now) {
        int max = own.isEmpty() ? limit : own.getOrDefault(token, limit);
        while (true) {
            Window window = windows.get(token);
            if (window == null) {
                if (windows.size() >= MAX_KEYS) return true;
                window = windows.computeIfAbsent(token, t -> new Window(now));
            }
            synchronized (window) {
                if (window.dead) continue;
                if (now - window.start >= WINDOW_MS) {
                    window.start = now;
                    window.count = 0;
                }
                if (window.count >= max) return false;
                window.count++;
                return true;
            }
        }
    }

    private void sweepIfDue(long now) {
        long last = lastSweep.get();
        if (now - last < WINDOW_MS || !lastSweep.compareAndSet(last, now)) return;
        windows.values().removeIf(w -> {
            synchronized (w) {
                w.dead = now - w.start >= WINDOW_MS;
                return w.dead;
            }
        });
    }

    /** Whether these counters count against exactly this limit and these keys' own limits. */
    boolean limits(int limit, Map<Long, Integer> own) {
        return this.limit == limit && this.own.equals(own);
    }

    int keysCounted() {
        return windows.size();
    }
}
