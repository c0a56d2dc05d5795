package io.membercenter.flow;

import io.membercenter.traffic.TrafficClass;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global cap of each traffic class: requests/s admitted by all instances together, counted in a token store
 * every instance shares (see the package documentation for why this is a Redis and not Sentinel's token server).
 *
 * <p>Per traffic class and second (the epoch second of this instance's clock), an instance <b>leases</b> tokens from
 * the store in chunks of 1/50 of the cap; the store grants at most what is left of the cap in that second, so
 * the instances together never admit more than the cap in one second, and a request costs a decrement here, not
 * a round trip — one request in a chunk's worth pays for the lease. Tokens leased and not used by the end of the
 * second are lost (at most a chunk per instance and class: 2 % of the cap each), which is why the sum of two
 * flooding instances stays within a few per cent under the cap. A second whose cap is used up is remembered here,
 * so a flood costs the store one answer per second and instance, not one per request.
 *
 * <p><b>When the store is unreachable</b> (a lease fails or times out, or the heartbeat does), the instance keeps to
 * its <b>local share</b> of each cap, {@code cap / instances}, where {@code instances} is the number of live
 * instances the store last told (each heartbeat writes this instance's id with a time and reads how many wrote
 * within 3 s), or the configured count if it never answered. Never no limit; and ORDER is never refused in that
 * state (the issue: never to blocking ORDER) — its per-caller rule and system protection still bound it. The
 * heartbeat, every 250 ms on its own thread, finds the store again; requests never wait on a store known to be
 * down, and a lease waits at most the command timeout (100 ms) before the store is declared down.
 *
 * <p>Invariants (tests {@code GlobalCapTest}): with the store up, the instances' admitted requests of a class in
 * one second are at most the cap (and, when they flood, at least 90 % of it); with it down, each instance admits
 * at most its share of the cap per second and ORDER is never refused by this cap.
 */
final class GlobalCaps implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GlobalCaps.class);
    /** A lease is this share of the cap: 50 store calls per second and class at full use. */
    private static final int CHUNKS_PER_SECOND = 50;

    /** The shared store; implemented on Redis by {@link RedisTokenStore}. */
    interface TokenStore extends AutoCloseable {
        /** Takes up to {@code want} of the {@code cap} tokens of {@code window}; the number granted (0: none left). */
        long lease(String window, int cap, int want) throws Exception;

        /** Says {@code instance} is alive at {@code nowMillis}; answers how many instances are alive. */
        int heartbeat(String instance, long nowMillis) throws Exception;

        void leave(String instance);

        @Override
        void close();
    }

    /** One class's tokens in one second. */
    private static final class Window {
        final long second;
        /** Leased and not yet used. */
        final AtomicLong tokens = new AtomicLong();
        /** Admitted on the local share while the store was unreachable. */
        final AtomicLong local = new AtomicLong();

        volatile boolean exhausted;

        Window(long second) {
            this.second = second;
        }
    }

    private final TokenStore store;
    private final LongSupplier clock;
    private final String instance = UUID.randomUUID().toString();
    private final Map<TrafficClass, AtomicReference<Window>> windows = new EnumMap<>(TrafficClass.class);
    private volatile Map<TrafficClass, Integer> caps;
    private volatile boolean reachable;
    private volatile int instances;
    private ScheduledExecutorService heartbeat;

    /**
     * @param store the shared store, or null for none (every instance keeps to its share)
     * @param clock milliseconds of the wall clock: the windows are seconds of it on every instance, and a test's
     *     mutable application clock must not stop them
     */
    GlobalCaps(TokenStore store, Map<TrafficClass, Integer> caps, int assumedInstances, LongSupplier clock) {
        this.store = store;
        this.caps = Map.copyOf(caps);
        this.instances = assumedInstances;
        this.clock = clock;
        for (TrafficClass c : TrafficClass.values()) windows.put(c, new AtomicReference<>(new Window(-1)));
    }

    /** Starts the heartbeat (the first one at once, so a reachable store is used from the first request). */
    void start(long heartbeatMillis) {
        if (store == null) return;
        beat();
        heartbeat = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("flow-global-heartbeat").factory());
        heartbeat.scheduleWithFixedDelay(this::beat, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    void caps(Map<TrafficClass, Integer> next) {
        this.caps = Map.copyOf(next);
    }

    boolean reachable() {
        return reachable;
    }

    int instances() {
        return instances;
    }

    /** Whether one more request of the class fits in its cap this second. */
    boolean tryAcquire(TrafficClass trafficClass) {
        int cap = caps.get(trafficClass);
        Window w = window(trafficClass, clock.getAsLong() / 1000);
        if (!reachable) return local(trafficClass, w, cap);
        if (take(w.tokens)) return true;
        if (w.exhausted) return false;
        // One lease at a time per class and second: the others wait for its answer (at most the command timeout),
        // which most often brings the tokens they need. Virtual threads do not pin on a monitor since Java 24.
        synchronized (w) {
            if (take(w.tokens)) return true;
            if (w.exhausted) return false;
            if (!reachable) return local(trafficClass, w, cap);
            try {
                long granted = store.lease(key(trafficClass, w.second), cap, Math.max(1, cap / CHUNKS_PER_SECOND));
                if (granted <= 0) {
                    w.exhausted = true;
                    return false;
                }
                w.tokens.addAndGet(granted - 1);
                return true;
            } catch (Exception e) {
                unreachable(e);
                return local(trafficClass, w, cap);
            }
        }
    }

    private boolean local(TrafficClass trafficClass, Window w, int cap) {
        if (trafficClass == TrafficClass.ORDER) return true;
        long share = Math.max(1, cap / Math.max(1, instances));
        return w.local.incrementAndGet() <= share;
    }

    private static boolean take(AtomicLong tokens) {
        long left;
        do {
            left = tokens.get();
            if (left <= 0) return false;
        } while (!tokens.compareAndSet(left, left - 1));
        return true;
    }

    private Window window(TrafficClass trafficClass, long second) {
        AtomicReference<Window> ref = windows.get(trafficClass);
        Window w = ref.get();
        while (w.second < second) {
            Window next = new Window(second);
            if (ref.compareAndSet(w, next)) return next;
            w = ref.get();
        }
        return w;
    }

    private static String key(TrafficClass trafficClass, long second) {
        return "mc:flow:global:" + trafficClass.name() + ":" + second;
    }

    private void beat() {
        try {
            int alive = store.heartbeat(instance, clock.getAsLong());
            instances = Math.max(1, alive);
            if (!reachable) log.info("event=flow_token_store_reachable instances={}", instances);
            reachable = true;
        } catch (Exception e) {
            unreachable(e);
        }
    }

    private void unreachable(Exception e) {
        if (reachable) {
            // The exception's class only: its message may name a host.
            log.warn(
                    "event=flow_token_store_unreachable fallback=local_share instances={} cause={}",
                    instances,
                    e.getClass().getSimpleName());
        }
        reachable = false;
    }

    @Override
    public void close() {
        if (heartbeat != null) heartbeat.shutdownNow();
        if (store != null) {
            if (reachable) store.leave(instance);
            store.close();
        }
    }
}
