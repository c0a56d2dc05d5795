package io.membercenter.bench.flow;

import io.membercenter.flow.FlowCheck;
import io.membercenter.traffic.TrafficClass;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The flow-control check of one request ({@code FlowCheck.pass}: the gate's enter and the passage's close, what
 * {@code FlowControlFilter} adds to every {@code /v1} request) against JMH's empty method. Run by {@link FlowCommand};
 * what each case is, in the package documentation.
 *
 * <p>Every benchmark but {@link #empty} fails if a check is refused: the figure is the cost of an admitted request,
 * and a refused one (a limit reached by the benchmark's own rate) would take a shorter path.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FlowCheckBenchmark {

    /** The token store's URL, which {@link FlowCommand} hands to the forked JVMs. */
    static final String REDIS_URL_PROPERTY = "membercenter.bench.flow.redis";
    /**
     * Distinct members the keys are drawn from: every key stays counted (the counters drop only windows older than a
     * second), so the cases time counting a key in its window.
     */
    static final int KEY_POOL = 1_024;

    static final int BATCH = 20;
    static final String CALLER = "bench-marketing";

    /** The requests of each case, built before any measurement: the check is timed, not the string building. */
    public abstract static class Gate {
        FlowCheck check;
        FlowCheck.Request noKeys;
        FlowCheck.Request[] oneKey;
        FlowCheck.Request[] batch;

        void open(String tokenStoreUrl) {
            check = FlowCheck.withLimitsOutOfReach(tokenStoreUrl);
            // MARKETING: the class with a hot-key rule in the local profile. A search asks for no member.
            noKeys = FlowCheck.request(CALLER, TrafficClass.MARKETING, "search", List.of());
            oneKey = new FlowCheck.Request[KEY_POOL];
            batch = new FlowCheck.Request[KEY_POOL];
            for (int i = 0; i < KEY_POOL; i++) {
                oneKey[i] = FlowCheck.request(CALLER, TrafficClass.MARKETING, "reads", List.of(key(i)));
                List<String> keys = new ArrayList<>(BATCH);
                for (int k = 0; k < BATCH; k++) keys.add(key(i + k));
                batch[i] = FlowCheck.request(CALLER, TrafficClass.MARKETING, "batch", keys);
            }
        }

        private static String key(int i) {
            return "member:" + (100_000_000L + i % KEY_POOL * 7_919L);
        }

        void close() {
            check.close();
        }
    }

    /** A gate without a token store: the global caps keep to the local share (one atomic add per request). */
    @State(Scope.Benchmark)
    public static class LocalShare extends Gate {
        @Setup(Level.Trial)
        public void open() {
            open("");
            if (check.tokenStoreReachable()) throw new IllegalStateException("a gate without a store found one");
        }

        @TearDown(Level.Trial)
        public void closeGate() {
            close();
        }
    }

    /** A gate whose global caps lease from Redis A of a local topology (one Redis round trip per lease). */
    @State(Scope.Benchmark)
    public static class TokenStore extends Gate {
        @Setup(Level.Trial)
        public void open() {
            String url = System.getProperty(REDIS_URL_PROPERTY, "");
            if (url.isBlank()) {
                throw new IllegalStateException(
                        "no token store: run through ./mc bench flow, which starts Redis and sets -D"
                                + REDIS_URL_PROPERTY);
            }
            open(url);
            if (!check.tokenStoreReachable()) throw new IllegalStateException("the token store does not answer");
        }

        /** A store lost during the trial would have put the checks on the local share: the figure would lie. */
        @TearDown(Level.Trial)
        public void closeGate() {
            boolean reachable = check.tokenStoreReachable();
            close();
            if (!reachable) throw new IllegalStateException("the token store stopped answering during the trial");
        }
    }

    /** Each thread walks the key pool from its own place, as requests of different members would. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup(Level.Trial)
        public void start(ThreadParams thread) {
            next = thread.getThreadIndex() * (KEY_POOL / Math.max(1, thread.getThreadCount()));
        }

        int next() {
            int i = next;
            next = i + 1 == KEY_POOL ? 0 : i + 1;
            return i;
        }
    }

    /** JMH's floor: calling a benchmark method that does nothing. */
    @Benchmark
    public void empty() {}

    /** (b) A caller's request that asks for no member (a search): the caller rule, system protection, the cap. */
    @Benchmark
    public void noHotKeys(LocalShare gate) {
        admitted(gate.check.pass(gate.noKeys));
    }

    /** (c) A read of one member: the caller rule and the hot-key rule with one key, then the rest. */
    @Benchmark
    public void oneHotKey(LocalShare gate, Cursor cursor) {
        admitted(gate.check.pass(gate.oneKey[cursor.next()]));
    }

    /** (d) A batch-get of 20 members: the hot-key rule counts every one of them. */
    @Benchmark
    public void batchOf20Keys(LocalShare gate, Cursor cursor) {
        admitted(gate.check.pass(gate.batch[cursor.next()]));
    }

    /** (e) The read of one member of (c), the global cap counted in the token store instead of the local share. */
    @Benchmark
    public void oneHotKeyWithTokenStore(TokenStore gate, Cursor cursor) {
        admitted(gate.check.pass(gate.oneKey[cursor.next()]));
    }

    private static void admitted(String rule) {
        if (rule != null) {
            throw new IllegalStateException("refused by the " + rule + " rule: the benchmark times admitted checks");
        }
    }
}
