package io.membercenter.bench.flow;

import io.membercenter.bench.report.RunEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/** The {@code flow} section of BENCHMARKS.md from the JMH results of {@link FlowCommand}. */
final class FlowReport {

    static final String SECTION = "flow";
    /** Issue 13: the overhead of the flow-control check per request, at most 5 µs. */
    static final double GOAL_NANOS = 5_000;

    /** One JMH result: a benchmark method at a thread count, nanoseconds per operation and the 99.9 % half-width. */
    record Measurement(String benchmark, int threads, double nanosPerOp, double error) {}

    /** A row of the table, in this order: the method, its label, and what the check does in it. */
    private record Case(String benchmark, String label, String what) {}

    private static final List<Case> CASES = List.of(
            new Case("empty", "(a) empty method", "JMH's floor: a benchmark method that does nothing"),
            new Case(
                    "noHotKeys",
                    "(b) no hot-key keys",
                    "a search: the caller rule (QPS and concurrency), system protection, the global cap on its"
                            + " local share"),
            new Case(
                    "oneHotKey",
                    "(c) one hot key",
                    "a read by id: (b) and the hot-key rule counting one key (its salted hash)"),
            new Case("batchOf20Keys", "(d) batch of 20 keys", "a batch-get: (b) and the hot-key rule counting 20 keys"),
            new Case(
                    "oneHotKeyWithTokenStore",
                    "(e) one hot key, global cap in the token store",
                    "(c) with the global cap counted in Redis A: tokens leased from it, a decrement per request"));

    private FlowReport() {}

    static String markdown(List<Measurement> measurements, FlowSettings settings, RunEnvironment environment) {
        List<Integer> threads = new ArrayList<>(
                new TreeSet<>(measurements.stream().map(Measurement::threads).toList()));
        StringBuilder out = new StringBuilder("## flow: the overhead of the flow-control check per request (JMH)\n\n");
        out.append(verdict(measurements)).append("\n\n");
        out.append("| case | what the check does |");
        for (int t : threads) out.append(" ").append(threadsLabel(t)).append(": ns/op | over (a) |");
        out.append("\n|---|---|");
        for (int ignored : threads) out.append("---:|---:|");
        out.append('\n');
        for (Case c : CASES) {
            out.append("| ").append(c.label()).append(" | ").append(c.what()).append(" |");
            for (int t : threads) {
                Optional<Measurement> m = find(measurements, c.benchmark(), t);
                Optional<Measurement> floor = find(measurements, "empty", t);
                out.append(' ')
                        .append(m.map(FlowReport::score).orElse("–"))
                        .append(" | ")
                        .append(
                                c.benchmark().equals("empty")
                                        ? "–"
                                        : m.flatMap(x -> floor.map(f -> overhead(x, f)))
                                                .orElse("–"))
                        .append(" |");
            }
            out.append('\n');
        }
        out.append('\n');
        out.append("""
                - ns/op: JMH's average time per check and thread (± the half-width of its 99.9 %% confidence interval \
                over the measurement iterations); with 2 threads both check at once, the same caller, on the 2 cores. \
                *over (a)*: the row minus the empty method at the same thread count — the check's own cost.
                - The check is what `FlowControlFilter` adds to each `/v1` request between authentication and the \
                route: `SentinelFlowGate.enter(caller, trafficClass, group, keys)` and the passage's `close()`, run \
                through the bench's door `flow.FlowCheck` on a gate of its own (a `SentinelScope` of its own, the \
                service's Sentinel rules, system protection and global caps). Not in it: reading a batch-get's body \
                and classifying the request (`RequestKeys`), which the filter does before the gate.
                - Caller: one MARKETING caller (the class with a hot-key rule in the local profile). Every limit is \
                %s (far above what the benchmark sends), so every check is admitted and takes the admitted path; a \
                refused check would fail the run. The cost of counting does not depend on the limit it compares with.
                - Keys: `member:<id>` of %,d members, each thread walking them from its own place; a batch is 20 \
                consecutive ones. The hot-key counters are `flow.HotKeys` (since `fdc82fc`; Sentinel's \
                `ParamFlowRule` before).
                - (b)–(d): no token store, so the global cap keeps to its local share (the path of an instance whose \
                token store is unreachable): one atomic increment. (e): the token store is Redis A of a local \
                topology started by the command (cache servers only), answering; the gate leases chunks of 1/50 of \
                the cap (one Redis round trip per lease, under a lock per class and second) and each request takes \
                one token with a compare-and-set. At a cap of %s a lease is rare in this run; in service the \
                leases are at most 50 per second, class and instance, whatever the rate.
                """.formatted(number(settings.limit()), settings.keyPool(), number(settings.limit())));
        out.append('\n');
        out.append(setup(settings, environment));
        return out.toString();
    }

    /** The worst check's own cost against the goal, per thread count. */
    static String verdict(List<Measurement> measurements) {
        List<String> parts = new ArrayList<>();
        boolean met = true;
        boolean any = false;
        for (int t :
                new TreeSet<>(measurements.stream().map(Measurement::threads).toList())) {
            Optional<Measurement> floor = find(measurements, "empty", t);
            Optional<Measurement> worst = measurements.stream()
                    .filter(m -> m.threads() == t && !m.benchmark().equals("empty"))
                    .max((x, y) -> Double.compare(x.nanosPerOp(), y.nanosPerOp()));
            if (floor.isEmpty() || worst.isEmpty()) continue;
            any = true;
            double own = worst.get().nanosPerOp() - floor.get().nanosPerOp();
            met &= own <= GOAL_NANOS;
            parts.add(String.format(
                    Locale.ROOT,
                    "%s %s µs (%s)",
                    threadsLabel(t),
                    micros(own),
                    label(worst.get().benchmark())));
        }
        if (!any) return "**Goal (issue 13): ≤ 5 µs per request.** No result to compare.";
        return "**Goal (issue 13): ≤ 5 µs per request — " + (met ? "met" : "missed")
                + ".** The most expensive check, over the empty method: " + String.join("; ", parts) + ".";
    }

    private static String setup(FlowSettings settings, RunEnvironment environment) {
        return """
                ### How this was run

                - JMH %s, mode average time, %d fork(s) per benchmark and thread count, warm-up %d × %d s, \
                measurement %d × %d s; threads %s (one JMH run each); forked JVMs with `%s`.
                - The benchmark's JVM, the forks and the two Redis servers share the machine's cores; nothing else \
                of the topology runs.

                """.formatted(
                        settings.jmhVersion(),
                        settings.forks(),
                        settings.warmupIterations(),
                        settings.iterationSeconds(),
                        settings.measurementIterations(),
                        settings.iterationSeconds(),
                        String.join(
                                " and ",
                                settings.threads().stream().map(String::valueOf).toList()),
                        String.join(" ", settings.forkJvmArgs()))
                + environment.markdown();
    }

    private static Optional<Measurement> find(List<Measurement> measurements, String benchmark, int threads) {
        return measurements.stream()
                .filter(m -> m.threads() == threads && m.benchmark().equals(benchmark))
                .findFirst();
    }

    private static String label(String benchmark) {
        return CASES.stream()
                .filter(c -> c.benchmark().equals(benchmark))
                .map(Case::label)
                .findFirst()
                .orElse(benchmark);
    }

    private static String threadsLabel(int threads) {
        return threads == 1 ? "1 thread" : threads + " threads";
    }

    private static String score(Measurement m) {
        return Double.isNaN(m.error()) ? nanos(m.nanosPerOp()) : nanos(m.nanosPerOp()) + " ± " + nanos(m.error());
    }

    private static String overhead(Measurement m, Measurement floor) {
        double own = m.nanosPerOp() - floor.nanosPerOp();
        return nanos(own) + " ns (" + micros(own) + " µs)";
    }

    static String nanos(double value) {
        return Math.abs(value) >= 100
                ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    static String micros(double nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1_000);
    }

    private static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
