package io.membercenter.bench.outage;

import io.membercenter.bench.load.Latency;
import io.membercenter.bench.load.LoadResult;
import io.membercenter.bench.outage.Sample.Kind;
import io.membercenter.bench.outage.Timeline.Phase;
import io.membercenter.bench.report.MachineLoad;
import io.membercenter.bench.report.ResultRow;
import io.membercenter.bench.report.ResultTable;
import io.membercenter.bench.report.RunEnvironment;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/** The outage's section of BENCHMARKS.md: the goals first, then the phases as rows, the chart, and the run. */
final class OutageReport {

    static final String SECTION = "outage";

    private OutageReport() {}

    /** Where the cores went in each phase's planned window (before, down, after), if measured. */
    record Machine(Optional<MachineLoad> before, Optional<MachineLoad> down, Optional<MachineLoad> after) {}

    static String markdown(
            OutageResult result,
            OutageSettings settings,
            Machine machine,
            RunEnvironment environment,
            String mariaDbVersion,
            String chart) {
        StringBuilder out = new StringBuilder("## outage: the ORDER mix with mysql-a stopped mid-run\n\n");
        out.append(intro(settings)).append('\n');
        out.append("### Against the goals of issue 11\n\n")
                .append(goals(result))
                .append('\n');
        out.append("### The three phases\n\n");
        out.append(ResultTable.markdown(rows(result, settings, machine))).append('\n');
        out.append(breakdown(result)).append('\n');
        out.append(failureNotes(result));
        out.append("\n![throughput, errors and write answer time against time through the outage](")
                .append(chart)
                .append(")\n\n");
        out.append(setup(result, settings, environment, mariaDbVersion));
        return out.toString();
    }

    private static String intro(OutageSettings settings) {
        return String.format(
                Locale.ROOT,
                """
                The suite's ORDER mix (80 %% `GET /v1/members/{id}` and 15 %% `GET /v1/members/by-mobile/{mobile}` \
                with Zipfian keys, 5 %% `PATCH` of a uniform key, as `order-service`) in one open loop at %s/s for \
                %d s; `mysql-a` (in the local topology the master of both member databases, data center A) is stopped \
                with `LocalTopology.stop` (a graceful shutdown of the real MariaDB server) at %d s and started again \
                at %d s. Every request is kept with its due time and how it ended; a request counts in the phase (and \
                the 250 ms bucket of the chart) in which it was *due*, and its answer time runs from then \
                (coordinated omission corrected, as in the sweeps). *Down* is from the stop call until `start` \
                returned (the server answered again); *before* (from the end of the %d s warm-up) is the baseline of \
                the same mix, same run, no outage.
                """,
                TimelineChart.number(settings.ratePerSecond()),
                settings.length().toSeconds(),
                settings.stopAt().toSeconds(),
                settings.startAt().toSeconds(),
                settings.warmup().toSeconds());
    }

    static String goals(OutageResult result) {
        Phase down = result.down();
        long reads = down.reads().total();
        long readErrors = result.readErrorsWhileDown();
        Latency writes = down.writeAnswers();
        long notAcknowledged = down.writes().errors();
        long resumeGoal = OutageSettings.RESUME_GOAL.toNanos();
        StringBuilder out = new StringBuilder(
                "| while mysql-a was down (" + seconds(result.window().lengthNanos())
                        + " s) and after | goal | measured | met |\n|---|---|---|---|\n");
        out.append(String.format(
                Locale.ROOT,
                "| read errors (reads by id and by mobile not answered 200, or dropped) | 0 | **%,d** of %,d "
                        + "(by id %,d, by mobile %,d) | %s |%n",
                readErrors,
                reads,
                errorsOf(down, Kind.READ_BY_ID),
                errorsOf(down, Kind.READ_BY_MOBILE),
                verdict(readErrors == 0)));
        out.append(String.format(
                Locale.ROOT,
                "| reads answered with `X-Member-Stale: true` | – | %,d of %,d answered (%s) | – |%n",
                down.reads().stale(),
                down.reads().succeeded(),
                percent(down.reads().stale(), down.reads().succeeded())));
        out.append(String.format(
                Locale.ROOT,
                "| write answer time, p99 (every write sent, whatever the answer) | ≤ %d ms | **%s ms** (p50 %s, "
                        + "max %s; %,d writes) | %s |%n",
                OutageSettings.WRITE_GOAL.toMillis(),
                millis(writes.p99Nanos()),
                millis(writes.p50Nanos()),
                millis(writes.maxNanos()),
                writes.count(),
                verdict(writes.count() > 0 && writes.p99Nanos() <= OutageSettings.WRITE_GOAL.toNanos())));
        Latency whileGone = result.gone().writeAnswers();
        out.append(String.format(
                Locale.ROOT,
                "| the same, of the writes due once the server was gone (stop returned → start called, %s s; "
                        + "without the graceful shutdown) | ≤ %d ms | **%s ms** (p50 %s, max %s; %,d writes) | %s |%n",
                seconds(result.window().startCalledNanos() - result.window().stoppedNanos()),
                OutageSettings.WRITE_GOAL.toMillis(),
                millis(whileGone.p99Nanos()),
                millis(whileGone.p50Nanos()),
                millis(whileGone.maxNanos()),
                whileGone.count(),
                verdict(whileGone.count() > 0 && whileGone.p99Nanos() <= OutageSettings.WRITE_GOAL.toNanos())));
        out.append(String.format(
                Locale.ROOT,
                "| writes not acknowledged that were a clean `503` + `Retry-After` | all | %,d of %,d%s | %s |%n",
                down.writes().refused(),
                notAcknowledged,
                down.writes().failed() == 0
                        ? ""
                        : "; the others: " + statuses(down.otherFailures().get(Kind.WRITE)),
                verdict(down.writes().failed() == 0)));
        out.append(String.format(
                Locale.ROOT,
                "| writes acknowledged anyway | – | %,d of %,d (sent before the stop took effect, or a master "
                        + "that still answered) | – |%n",
                down.writes().succeeded(),
                down.writes().total()));
        out.append(String.format(
                Locale.ROOT,
                "| first write acknowledged after mysql-a was back | ≤ 1 s | **%s** after it was ready (%s after "
                        + "`start` was called) | %s |%n",
                signedMillis(result.firstWriteAfterReadyNanos()),
                signedMillis(plus(
                        result.firstWriteAfterReadyNanos(),
                        result.window().readyNanos() - result.window().startCalledNanos())),
                verdict(within(result.firstWriteAfterReadyNanos(), resumeGoal))));
        out.append(String.format(
                Locale.ROOT,
                "| every write acknowledged from (to the end of the run) | ≤ 1 s | **%s** after it was ready; "
                        + "writes due after it was ready not acknowledged: %,d | %s |%n",
                signedMillis(result.steadyAfterReadyNanos()),
                result.unacknowledgedAfterReady(),
                verdict(within(result.steadyAfterReadyNanos(), resumeGoal))));
        return out.toString();
    }

    static List<ResultRow> rows(OutageResult result, OutageSettings settings, Machine machine) {
        LoadResult before = asRow(result.before(), settings);
        ResultRow.Measured baseline = new ResultRow.Measured(before, machine.before());
        return List.of(
                ResultRow.baseline("order-mix before the outage", baseline),
                ResultRow.comparedTo(
                        "order-mix, mysql-a down",
                        new ResultRow.Measured(asRow(result.down(), settings), machine.down()),
                        baseline),
                ResultRow.comparedTo(
                        "order-mix after the restart",
                        new ResultRow.Measured(asRow(result.after(), settings), machine.after()),
                        baseline));
    }

    private static LoadResult asRow(Phase phase, OutageSettings settings) {
        return phase.asLoadResult(settings.ratePerSecond(), OutageSettings.MAX_IN_FLIGHT);
    }

    static String breakdown(OutageResult result) {
        StringBuilder out = new StringBuilder(
                "| phase | seconds of the run | reads by id: 200 (stale) / error | reads by mobile: 200 (stale) / "
                        + "error | read p99 ms | writes: acknowledged / 503 + Retry-After / other | write answer "
                        + "p50 / p99 / max ms |\n|---|---|---|---|---:|---|---|\n");
        for (Map.Entry<String, Phase> named : List.of(
                Map.entry("before", result.before()),
                Map.entry("mysql-a down", result.down()),
                Map.entry("after the restart", result.after()))) {
            Phase phase = named.getValue();
            Counts byId = phase.byKind().get(Kind.READ_BY_ID);
            Counts byMobile = phase.byKind().get(Kind.READ_BY_MOBILE);
            Counts writes = phase.writes();
            Latency w = phase.writeAnswers();
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s–%s | %,d (%,d) / %,d | %,d (%,d) / %,d | %s | %,d / %,d / %,d | %s / %s / %s |%n",
                    named.getKey(),
                    seconds(phase.fromNanos()),
                    seconds(phase.untilNanos()),
                    byId.succeeded(),
                    byId.stale(),
                    byId.errors() + byId.dropped(),
                    byMobile.succeeded(),
                    byMobile.stale(),
                    byMobile.errors() + byMobile.dropped(),
                    millis(phase.readAnswers().p99Nanos()),
                    writes.succeeded(),
                    writes.refused(),
                    writes.failed() + writes.dropped(),
                    millis(w.p50Nanos()),
                    millis(w.p99Nanos()),
                    millis(w.maxNanos())));
        }
        return out.toString();
    }

    private static String failureNotes(OutageResult result) {
        StringBuilder out = new StringBuilder();
        out.append("- Rows: ops/s and latencies are of the requests answered 200 (reads and writes together), as in "
                + "the suite; *errors* are requests refused (503 + Retry-After) or failed; the ratio is to the row "
                + "before the outage. The CPU column covers each phase's planned window (a quarter of the run each "
                + "for before and down, the second half for after).\n");
        for (Map.Entry<String, Phase> named : List.of(
                Map.entry("before", result.before()),
                Map.entry("down", result.down()),
                Map.entry("after", result.after()))) {
            for (Kind kind : Kind.values()) {
                Map<Integer, Long> statuses = named.getValue().otherFailures().get(kind);
                if (!statuses.isEmpty()) {
                    out.append("- Failures other than 503 + Retry-After, ")
                            .append(named.getKey())
                            .append(", ")
                            .append(kindName(kind))
                            .append(": ")
                            .append(statuses(statuses))
                            .append(".\n");
                }
            }
        }
        if (result.unanswered() > 0) {
            out.append("- ")
                    .append(result.unanswered())
                    .append(" requests had not answered ")
                    .append(OutageLoad.DRAIN_TIMEOUT.toSeconds())
                    .append(" s after the last was due; they are in no count above.\n");
        }
        return out.toString();
    }

    private static String setup(
            OutageResult result, OutageSettings settings, RunEnvironment environment, String mariaDbVersion) {
        OutageWindow window = result.window();
        return """
                ### How this was run

                - Population: %,d members loaded into the service's shards (`MemberBulkLoad`) and through replication \
                into all three search clusters before the load began; Zipfian keys s = %s over them, as the suite's.
                - Load: open loop at %s/s, at most %d in flight (a request due when that many were in flight is \
                dropped and counted), client timeout %d s; one virtual thread per request, in the service's JVM, on \
                the same cores as every server.
                - The outage, from the start of the load: stop called at %s s, returned at %s s; start called at \
                %s s, returned (mysql-a ready) at %s s.
                - Everything shares the machine: load generator, service, 2 MariaDB (`sync_binlog=1`, \
                `innodb_flush_log_at_trx_commit=1`, %s), 2 Redis, Kafka and 3 OpenSearch nodes.

                """.formatted(
                                settings.members(),
                                OutageSettings.ZIPF_EXPONENT,
                                TimelineChart.number(settings.ratePerSecond()),
                                OutageSettings.MAX_IN_FLIGHT,
                                OrderCalls.REQUEST_TIMEOUT.toSeconds(),
                                seconds(window.stopCalledNanos()),
                                seconds(window.stoppedNanos()),
                                seconds(window.startCalledNanos()),
                                seconds(window.readyNanos()),
                                mariaDbVersion)
                + environment.markdown();
    }

    private static long errorsOf(Phase phase, Kind kind) {
        Counts counts = phase.byKind().get(kind);
        return counts.errors() + counts.dropped();
    }

    /** e.g. {@code 500 ×3, no answer ×2}. */
    static String statuses(Map<Integer, Long> statuses) {
        return statuses.entrySet().stream()
                .map(e -> (e.getKey() == Sample.NO_ANSWER
                                ? "no answer (timeout or connection)"
                                : e.getKey() == 503 ? "503 without Retry-After" : Integer.toString(e.getKey()))
                        + " ×" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String kindName(Kind kind) {
        return switch (kind) {
            case READ_BY_ID -> "reads by id";
            case READ_BY_MOBILE -> "reads by mobile";
            case WRITE -> "writes";
        };
    }

    private static String verdict(boolean met) {
        return met ? "yes" : "**no**";
    }

    private static boolean within(OptionalLong nanos, long bound) {
        return nanos.isPresent() && nanos.getAsLong() <= bound;
    }

    private static OptionalLong plus(OptionalLong nanos, long more) {
        return nanos.isPresent() ? OptionalLong.of(nanos.getAsLong() + more) : OptionalLong.empty();
    }

    static String signedMillis(OptionalLong nanos) {
        if (nanos.isEmpty()) return "never (the run's last write was not acknowledged)";
        return String.format(Locale.ROOT, "%,d ms", Math.round(nanos.getAsLong() / 1e6));
    }

    static String millis(long nanos) {
        double ms = nanos / 1e6;
        return String.format(Locale.ROOT, ms < 10 ? "%.2f" : ms < 100 ? "%.1f" : "%.0f", ms);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "–" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
    }
}
