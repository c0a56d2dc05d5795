package io.membercenter.bench.outage;

import io.membercenter.bench.outage.Sample.Kind;
import io.membercenter.bench.outage.Timeline.Phase;
import io.membercenter.bench.report.RunEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The failover's section of BENCHMARKS.md: kill -9 of the master under the ORDER mix, the automatic promotion of
 * B, the old master's return as a replica, and the failback by hand — against the goals of issue 12, then the run
 * cut into its phases, the chart, and how it was run.
 */
final class FailoverReport {

    static final String SECTION = "failover";
    /** Issue 12: writes succeed again at most this long after a kill -9 of the master (GitHub: 10–13 s). */
    static final Duration RESUME_GOAL = Duration.ofSeconds(3);

    private FailoverReport() {}

    /**
     * What happened, in nanoseconds since the run began.
     *
     * @param window kill -9 called and returned, restart (as replica) called and ready
     * @param automatic the history's entry of the automatic promotion, if there was one
     * @param killedWallMillis when the kill was called, in epoch milliseconds (the history's clock)
     * @param lost members whose acknowledged write is not what they hold at the end
     * @param judged members with at least one acknowledged write
     */
    record Run(
            Timeline timeline,
            long warmupNanos,
            int unanswered,
            OutageWindow window,
            long killedWallMillis,
            Optional<FailoverAdmin.Switch> automatic,
            long failbackCalledNanos,
            long failbackReturnedNanos,
            int failbackStatus,
            List<Long> lost,
            long judged) {

        /** When the first write sent after the kill was acknowledged, from the kill. */
        OptionalLong writesResumedNanos() {
            long kill = window.stopCalledNanos();
            OptionalLong answered = timeline.samples().stream()
                    .filter(s -> s.kind() == Kind.WRITE && s.succeeded() && s.dueNanos() >= kill)
                    .mapToLong(Sample::doneNanos)
                    .min();
            return answered.isPresent() ? OptionalLong.of(answered.getAsLong() - kill) : OptionalLong.empty();
        }

        /** One second after the failback answered (or the end of the run): where its phase ends. */
        long failbackSettledNanos() {
            return Math.min(
                    timeline.lengthNanos(),
                    failbackReturnedNanos + Duration.ofSeconds(1).toNanos());
        }

        /** From the kill to the end of the run: what every read and write after the kill did. */
        Phase afterKill() {
            return timeline.phase(window.stopCalledNanos(), timeline.lengthNanos());
        }

        /** The requests due while the failback ran, and one second after its answer. */
        Phase failback() {
            return timeline.phase(failbackCalledNanos, failbackSettledNanos());
        }
    }

    static String markdown(Run run, OutageSettings settings, RunEnvironment environment, String chart) {
        StringBuilder out = new StringBuilder(
                "## failover: kill -9 of the master under the ORDER mix, automatic promotion, failback by hand\n\n");
        out.append(String.format(
                Locale.ROOT,
                """
                The suite's ORDER mix (80 %% reads by id, 15 %% by mobile, 5 %% `PATCH` of the nickname, as \
                `order-service`) in one open loop at %s/s for %d s, against the service in data center A with the \
                failover on (a three-node ZooKeeper ensemble; the leader's watch reads the master every 200 ms and \
                promotes the replica after 500 ms without an answer). `mysql-a`, the master, gets SIGKILL at %s s; \
                it is started again at %s s in the replica role (`--init-rpl-role=SLAVE`), and the database is \
                failed back to A by hand (`POST /admin/failback/db`) at %s s. Every write is kept with its nickname, \
                so that at the end each member's nickname (read through the API) can be checked against what was \
                acknowledged.
                """,
                TimelineChart.number(settings.ratePerSecond()),
                settings.length().toSeconds(),
                OutageReport.seconds(run.window().stopCalledNanos()),
                OutageReport.seconds(run.window().startCalledNanos()),
                OutageReport.seconds(run.failbackCalledNanos())));
        out.append("\n### Against the goals of issue 12\n\n").append(goals(run)).append('\n');
        out.append("### The phases\n\n").append(phases(run)).append('\n');
        out.append("![throughput, errors and write answer time against time through the failover](")
                .append(chart)
                .append(")\n\n");
        out.append(setup(run, settings)).append(environment.markdown());
        return out.toString();
    }

    static String goals(Run run) {
        Phase after = run.afterKill();
        long readErrors = after.reads().errors() + after.reads().dropped();
        OptionalLong resumed = run.writesResumedNanos();
        Phase failback = run.failback();
        long failbackErrors = failback.reads().errors()
                + failback.reads().dropped()
                + failback.writes().errors()
                + failback.writes().dropped();
        StringBuilder out =
                new StringBuilder("| after the kill -9 of mysql-a | goal | measured | met |\n|---|---|---|---|\n");
        out.append(String.format(
                Locale.ROOT,
                "| read errors, from the kill to the end of the run | 0 | **%,d** of %,d (%,d answered stale) | %s |%n",
                readErrors,
                after.reads().total(),
                after.reads().stale(),
                verdict(readErrors == 0)));
        out.append(String.format(
                Locale.ROOT,
                "| writes acknowledged again: the first write sent after the kill that was acknowledged | ≤ %d s "
                        + "(GitHub's MySQL failover: 10–13 s) | **%s** after the kill | %s |%n",
                RESUME_GOAL.toSeconds(),
                resumed.isPresent() ? OutageReport.millis(resumed.getAsLong()) + " ms" : "never",
                verdict(resumed.isPresent() && resumed.getAsLong() <= RESUME_GOAL.toNanos())));
        out.append(String.format(
                Locale.ROOT,
                "| writes not acknowledged meanwhile: a clean `503` + `Retry-After` | all | %,d of %,d%s | %s |%n",
                after.writes().refused(),
                after.writes().errors(),
                after.writes().failed() == 0
                        ? ""
                        : "; the others: "
                                + OutageReport.statuses(after.otherFailures().get(Kind.WRITE)),
                verdict(after.writes().failed() == 0)));
        out.append(String.format(
                Locale.ROOT,
                "| acknowledged writes lost (each member's final nickname against its acknowledged writes) | 0 | "
                        + "**%,d** of %,d members written | %s |%n",
                run.lost().size(),
                run.judged(),
                verdict(run.lost().isEmpty() && run.judged() > 0)));
        out.append(String.format(
                Locale.ROOT,
                "| planned failback to A: requests failed while it ran (and 1 s after) | 0 | **%,d** of %,d "
                        + "(failback answered %d in %s ms) | %s |%n",
                failbackErrors,
                failback.reads().total() + failback.writes().total(),
                run.failbackStatus(),
                OutageReport.millis(run.failbackReturnedNanos() - run.failbackCalledNanos()),
                verdict(failbackErrors == 0 && run.failbackStatus() == 200)));
        run.automatic()
                .ifPresent(automatic -> out.append(String.format(
                        Locale.ROOT,
                        "| the promotion, from the history | – | %s → %s, epoch %d, recorded %,d ms after the kill; \"%s\" | – |%n",
                        automatic.from(),
                        automatic.to(),
                        automatic.epoch(),
                        automatic.at().toEpochMilli() - run.killedWallMillis(),
                        automatic.reason())));
        if (run.automatic().isEmpty()) {
            out.append("| the promotion, from the history | – | **none recorded** | **no** |\n");
        }
        return out.toString();
    }

    static String phases(Run run) {
        OptionalLong resumed = run.writesResumedNanos();
        long kill = run.window().stopCalledNanos();
        long resumedAt = kill + resumed.orElse(run.window().readyNanos() - kill);
        StringBuilder out = new StringBuilder("| phase | seconds of the run | reads: 200 (stale) / error | read p99 ms "
                + "| writes: acknowledged / 503 + Retry-After / other | write answer p50 / p99 / max ms |\n"
                + "|---|---|---|---:|---|---|\n");
        for (Map.Entry<String, Phase> named : List.of(
                Map.entry("before", run.timeline().phase(run.warmupNanos(), kill)),
                Map.entry("kill → first write acknowledged", run.timeline().phase(kill, resumedAt)),
                Map.entry("B master, A away or rejoining", run.timeline().phase(resumedAt, run.failbackCalledNanos())),
                Map.entry("failback (and 1 s after)", run.failback()),
                Map.entry(
                        "A master again",
                        run.timeline()
                                .phase(
                                        run.failbackSettledNanos(),
                                        run.timeline().lengthNanos())))) {
            Phase phase = named.getValue();
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s–%s | %,d (%,d) / %,d | %s | %,d / %,d / %,d | %s / %s / %s |%n",
                    named.getKey(),
                    OutageReport.seconds(phase.fromNanos()),
                    OutageReport.seconds(phase.untilNanos()),
                    phase.reads().succeeded(),
                    phase.reads().stale(),
                    phase.reads().errors() + phase.reads().dropped(),
                    OutageReport.millis(phase.readAnswers().p99Nanos()),
                    phase.writes().succeeded(),
                    phase.writes().refused(),
                    phase.writes().failed() + phase.writes().dropped(),
                    OutageReport.millis(phase.writeAnswers().p50Nanos()),
                    OutageReport.millis(phase.writeAnswers().p99Nanos()),
                    OutageReport.millis(phase.writeAnswers().maxNanos())));
        }
        if (!run.lost().isEmpty()) {
            out.append("\nMembers whose acknowledged write was lost (first 20): ")
                    .append(run.lost().stream().limit(20).toList())
                    .append('\n');
        }
        if (run.unanswered() > 0) {
            out.append("\n")
                    .append(run.unanswered())
                    .append(" requests had not answered when the run ended; they are in no count above.\n");
        }
        return out.toString();
    }

    private static String setup(Run run, OutageSettings settings) {
        OutageWindow window = run.window();
        return """
                ### How this was run

                - Population: %,d members loaded into the shards and through replication into all three search \
                clusters before the load; Zipfian keys s = %s, writes to uniform keys.
                - Load: open loop at %s/s, at most %d in flight, client timeout %d s; virtual threads in the \
                service's JVM, on the same 2 cores as every server (2 MariaDB, semi-synchronous `AFTER_SYNC`; 2 \
                Redis; Kafka; 3 OpenSearch; 3 ZooKeeper).
                - Moments: kill called at %s s (returned at %s s); restart called at %s s, mysql-a ready at %s s; \
                failback called at %s s, answered at %s s.
                - Lost writes: after the run, every member written is read through the API (`GET /v1/members/{id}` \
                as order-service, on A, the master again); its nickname must be that of a write that no acknowledged \
                write sent after its answer superseded, and that was acknowledged or got no clear answer (a `503` + \
                `Retry-After` changed nothing) — `WriteLedger`.

                """.formatted(
                        settings.members(),
                        OutageSettings.ZIPF_EXPONENT,
                        TimelineChart.number(settings.ratePerSecond()),
                        OutageSettings.MAX_IN_FLIGHT,
                        OrderCalls.REQUEST_TIMEOUT.toSeconds(),
                        OutageReport.seconds(window.stopCalledNanos()),
                        OutageReport.seconds(window.stoppedNanos()),
                        OutageReport.seconds(window.startCalledNanos()),
                        OutageReport.seconds(window.readyNanos()),
                        OutageReport.seconds(run.failbackCalledNanos()),
                        OutageReport.seconds(run.failbackReturnedNanos()));
    }

    private static String verdict(boolean met) {
        return met ? "yes" : "**no**";
    }
}
