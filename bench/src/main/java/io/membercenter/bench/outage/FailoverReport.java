package io.membercenter.bench.outage;

import io.membercenter.bench.outage.FailoverScenario.PhaseSpec;
import io.membercenter.bench.outage.FailoverScenario.PlannedSwitch;
import io.membercenter.bench.outage.FailoverScenario.Watch;
import io.membercenter.bench.outage.Sample.Kind;
import io.membercenter.bench.outage.Timeline.Phase;
import io.membercenter.bench.report.RunEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A failover scenario's section of BENCHMARKS.md: what was done under the ORDER mix (a kill -9 of a store, its
 * restart, switches of the master by hand), the rows of issue 12's goals the scenario lists, the run cut into the
 * scenario's phases, who answered the reads when the scenario watches a store, the chart, and how it was run. What
 * differs between scenarios is data of {@link FailoverScenario}; every row is written here, once.
 */
final class FailoverReport {

    /** Issue 12: writes succeed again at most this long after a kill -9 of the master (GitHub: 10–13 s). */
    static final Duration RESUME_GOAL = Duration.ofSeconds(3);
    /** How long a write held for a switch waits at most before its 503 (the service's {@code write-hold}). */
    static final Duration WRITE_HOLD = Duration.ofSeconds(3);
    /** A switch's phase runs until this long after its answer: requests failing just after it count against it. */
    static final Duration SETTLE = Duration.ofSeconds(1);

    private FailoverReport() {}

    /** A switch by hand as it happened, in nanoseconds since the run began; status 0: the service did not answer. */
    record SwitchCall(PlannedSwitch planned, long calledNanos, long returnedNanos, int status) {}

    /**
     * What happened, in nanoseconds since the run began.
     *
     * @param outage the kill -9 called and returned, the restart called and ready; empty when nothing was killed
     * @param switches the switches by hand, in the order of the scenario's plan
     * @param disturbedWallMillis when the first kill or switch was called, in epoch milliseconds (the history's clock)
     * @param automatic the history's entry of an automatic promotion after that, if there was one
     * @param lost members whose acknowledged write is not what they hold at the end
     * @param judged members with at least one acknowledged write
     */
    record Run(
            FailoverScenario scenario,
            Timeline timeline,
            long warmupNanos,
            int unanswered,
            Optional<OutageWindow> outage,
            List<SwitchCall> switches,
            long disturbedWallMillis,
            Optional<FailoverAdmin.Switch> automatic,
            List<Long> lost,
            long judged) {

        Run {
            if (outage.isEmpty() && switches.isEmpty()) {
                throw new IllegalArgumentException("a failover run kills a store or switches by hand");
            }
            switches = List.copyOf(switches);
            lost = List.copyOf(lost);
        }

        /** When the first kill or switch was called. */
        long disturbedNanos() {
            return outage.map(OutageWindow::stopCalledNanos)
                    .orElseGet(() -> switches.getFirst().calledNanos());
        }

        /** One second after the first kill or switch (a kill's first second is where reading around begins). */
        long disturbanceSettledNanos() {
            return Math.min(disturbedNanos() + SETTLE.toNanos(), restartCalledNanos());
        }

        long restartCalledNanos() {
            return outage.map(OutageWindow::startCalledNanos).orElse(endNanos());
        }

        long readyNanos() {
            return outage.map(OutageWindow::readyNanos).orElse(endNanos());
        }

        long endNanos() {
            return timeline.lengthNanos();
        }

        /** {@code nanos}, or the end of the run if it is later. */
        long clamped(long nanos) {
            return Math.min(nanos, endNanos());
        }

        long switchCalled(int index) {
            return switches.get(index).calledNanos();
        }

        /** One second after the switch answered (or the end of the run): where its phase ends. */
        long switchSettled(int index) {
            return Math.min(endNanos(), switches.get(index).returnedNanos() + SETTLE.toNanos());
        }

        /** When the first write sent after the disturbance was acknowledged, from the disturbance. */
        OptionalLong writesResumedNanos() {
            long from = disturbedNanos();
            OptionalLong answered = timeline.samples().stream()
                    .filter(s -> s.kind() == Kind.WRITE && s.succeeded() && s.dueNanos() >= from)
                    .mapToLong(Sample::doneNanos)
                    .min();
            return answered.isPresent() ? OptionalLong.of(answered.getAsLong() - from) : OptionalLong.empty();
        }

        /** Where writes were acknowledged again, or (never) the store being back. */
        long writesResumedAt() {
            return disturbedNanos() + writesResumedNanos().orElse(readyNanos() - disturbedNanos());
        }

        /** From the disturbance to the end of the run: what every read and write after it did. */
        Phase afterDisturbance() {
            return timeline.phase(disturbedNanos(), endNanos());
        }

        /** The requests due while the switch ran, and one second after its answer. */
        Phase switchPhase(int index) {
            return timeline.phase(switchCalled(index), switchSettled(index));
        }

        /** What the chart shades: the kill to the store being back, else the first switch to the last's answer. */
        OutageWindow shaded() {
            return outage.orElseGet(() -> new OutageWindow(
                    switches.getFirst().calledNanos(),
                    switches.getFirst().returnedNanos(),
                    switches.getLast().calledNanos(),
                    switches.getLast().returnedNanos()));
        }

        /** The moments of the plan as they happened, in order: kill, restart, then each switch. */
        List<Long> moments() {
            List<Long> moments = new ArrayList<>();
            outage.ifPresent(window -> {
                moments.add(window.stopCalledNanos());
                moments.add(window.startCalledNanos());
            });
            switches.forEach(call -> moments.add(call.calledNanos()));
            return moments;
        }
    }

    static String markdown(Run run, OutageSettings settings, RunEnvironment environment, String chart) {
        FailoverScenario scenario = run.scenario();
        StringBuilder out = new StringBuilder("## " + scenario.section() + ": " + scenario.title() + "\n\n");
        out.append(intro(run, settings));
        out.append("\n### Against the goals of issue 12\n\n").append(goals(run)).append('\n');
        out.append("### The phases\n\n").append(phases(run)).append('\n');
        if (scenario.watch().isPresent()) {
            out.append("### Who answered the reads\n\n").append(sources(run)).append('\n');
        }
        out.append("![throughput, errors and write answer time against time through the failover](")
                .append(chart)
                .append(")\n\n");
        out.append(setup(run, settings)).append(environment.markdown());
        return out.toString();
    }

    private static String intro(Run run, OutageSettings settings) {
        List<Object> arguments = new ArrayList<>();
        arguments.add(TimelineChart.number(settings.ratePerSecond()));
        arguments.add(settings.length().toSeconds());
        run.moments().forEach(nanos -> arguments.add(OutageReport.seconds(nanos)));
        String format =
                """
                The suite's ORDER mix (80 %% reads by id, 15 %% by mobile, 5 %% `PATCH` of the nickname, as \
                `order-service`) in one open loop at %1$s/s for %2$d s, against the service in data center \
                """ + run.scenario().loadedDataCenter() + """
                 with the \
                failover on (a three-node ZooKeeper ensemble; the leader's watch reads the master every 200 ms and \
                promotes the replica after 500 ms without an answer). \
                """ + run.scenario().whatIsDone() + """
                 Every write is kept with its nickname, so that at the end each member's nickname (read through \
                the API) can be checked against what was acknowledged.
                """;
        return String.format(Locale.ROOT, format, arguments.toArray());
    }

    /** The scenario's rows, in its order. */
    static String goals(Run run) {
        StringBuilder out = new StringBuilder(
                "| " + run.scenario().goalsHeading() + " | goal | measured | met |\n|---|---|---|---|\n");
        for (Function<Run, String> row : run.scenario().goals()) out.append(row.apply(run));
        return out.toString();
    }

    static String readErrors(Run run) {
        Phase after = run.afterDisturbance();
        long readErrors = after.reads().errors() + after.reads().dropped();
        return String.format(
                Locale.ROOT,
                "| read errors, from %s to the end of the run | 0 | **%,d** of %,d (%,d answered stale) | %s |%n",
                run.scenario().disturbance(),
                readErrors,
                after.reads().total(),
                after.reads().stale(),
                verdict(readErrors == 0));
    }

    /** Every write not acknowledged counts: with the master in place, even a clean 503 is a failure of the drill. */
    static String writeErrors(Run run) {
        Phase after = run.afterDisturbance();
        long writeErrors = after.writes().errors() + after.writes().dropped();
        return String.format(
                Locale.ROOT,
                "| write errors (not acknowledged), from %s to the end of the run | 0 | **%,d** of %,d%s | %s |%n",
                run.scenario().disturbance(),
                writeErrors,
                after.writes().total(),
                writeErrors == 0 ? "" : " (" + failures(after, Kind.WRITE) + ")",
                verdict(writeErrors == 0));
    }

    static String writesResumed(Run run) {
        OptionalLong resumed = run.writesResumedNanos();
        boolean master = run.outage().isPresent()
                && run.scenario()
                        .kill()
                        .map(kill -> kill.store().startsWith("mysql"))
                        .orElse(false);
        return String.format(
                Locale.ROOT,
                "| writes acknowledged again: the first write sent after the kill that was acknowledged | ≤ %d s%s "
                        + "| **%s** after the kill | %s |%n",
                RESUME_GOAL.toSeconds(),
                master ? " (GitHub's MySQL failover: 10–13 s)" : "",
                resumed.isPresent() ? OutageReport.millis(resumed.getAsLong()) + " ms" : "never",
                verdict(resumed.isPresent() && resumed.getAsLong() <= RESUME_GOAL.toNanos()));
    }

    static String writesRefusedCleanly(Run run) {
        Phase after = run.afterDisturbance();
        return String.format(
                Locale.ROOT,
                "| writes not acknowledged meanwhile: a clean `503` + `Retry-After` | all | %,d of %,d%s | %s |%n",
                after.writes().refused(),
                after.writes().errors(),
                after.writes().failed() == 0
                        ? ""
                        : "; the others: "
                                + OutageReport.statuses(after.otherFailures().get(Kind.WRITE)),
                verdict(after.writes().failed() == 0));
    }

    static String lost(Run run) {
        return String.format(
                Locale.ROOT,
                "| acknowledged writes lost (each member's final nickname against its acknowledged writes) | 0 | "
                        + "**%,d** of %,d members written | %s |%n",
                run.lost().size(),
                run.judged(),
                verdict(run.lost().isEmpty() && run.judged() > 0));
    }

    /** One row per switch by hand: what failed while it ran and in the second after its answer. */
    static String switchesByHand(Run run) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < run.switches().size(); i++) {
            SwitchCall call = run.switches().get(i);
            Phase phase = run.switchPhase(i);
            long failed = phase.reads().errors()
                    + phase.reads().dropped()
                    + phase.writes().errors()
                    + phase.writes().dropped();
            out.append(String.format(
                    Locale.ROOT,
                    "| planned %s to %s: requests failed while it ran (and 1 s after) | 0 | **%,d** of %,d "
                            + "(%s answered %d in %s ms) | %s |%n",
                    call.planned().name(),
                    call.planned().to(),
                    failed,
                    phase.reads().total() + phase.writes().total(),
                    call.planned().name(),
                    call.status(),
                    OutageReport.millis(call.returnedNanos() - call.calledNanos()),
                    verdict(failed == 0 && call.status() == 200)));
        }
        return out.toString();
    }

    /** One row per switch by hand: how long the writes due while it ran waited (they are held, not refused). */
    static String writesHeld(Run run) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < run.switches().size(); i++) {
            SwitchCall call = run.switches().get(i);
            Phase phase = run.switchPhase(i);
            out.append(String.format(
                    Locale.ROOT,
                    "| writes held by the %s: answer time of the writes due while it ran (and 1 s after), p99 / max "
                            + "| ≤ %d s (a held write waits at most `write-hold`, then 503) | **%s / %s ms** of %,d "
                            + "writes | %s |%n",
                    call.planned().name(),
                    WRITE_HOLD.toSeconds(),
                    OutageReport.millis(phase.writeAnswers().p99Nanos()),
                    OutageReport.millis(phase.writeAnswers().maxNanos()),
                    phase.writes().total(),
                    verdict(phase.writeAnswers().maxNanos() <= WRITE_HOLD.toNanos())));
        }
        return out.toString();
    }

    static String promotion(Run run) {
        return run.automatic()
                .map(automatic -> String.format(
                        Locale.ROOT,
                        "| the promotion, from the history | – | %s → %s, epoch %d, recorded %,d ms after the kill; \"%s\" | – |%n",
                        automatic.from(),
                        automatic.to(),
                        automatic.epoch(),
                        automatic.at().toEpochMilli() - run.disturbedWallMillis(),
                        automatic.reason()))
                .orElse("| the promotion, from the history | – | **none recorded** | **no** |\n");
    }

    /** When a store read around is killed: when its reads were first answered by another source. */
    static String standIn(Run run) {
        Watch watch = run.scenario().watch().orElseThrow();
        long kill = run.disturbedNanos();
        Optional<Sample> first = run.timeline().firstAnsweredBy(watch.kind(), watch.standIn(), kill);
        return String.format(
                Locale.ROOT,
                "| %s answered by %s: the first due after the kill | – | %s | – |%n",
                reads(watch.kind()),
                watch.standInName(),
                first.map(s -> "**" + OutageReport.millis(s.doneNanos() - kill) + " ms** after the kill (`" + s.source()
                                + "`)")
                        .orElse("**never**"));
    }

    /** When the killed store answered its reads again, from its restart. */
    static String homeAgain(Run run) {
        Watch watch = run.scenario().watch().orElseThrow();
        long restart = run.restartCalledNanos();
        Optional<Sample> first = run.timeline().firstAnsweredBy(watch.kind(), watch.home()::equals, restart);
        return String.format(
                Locale.ROOT,
                "| `%s` answered %s again: the first due after its restart was called | – | %s | %s |%n",
                watch.home(),
                reads(watch.kind()),
                first.map(s -> "**" + OutageReport.millis(s.doneNanos() - restart) + " ms** after the restart was "
                                + "called, " + OutageReport.millis(s.doneNanos() - run.readyNanos())
                                + " ms after it was ready")
                        .orElse("**never**, to the end of the run"),
                first.isPresent() ? "–" : "**no**");
    }

    static String phases(Run run) {
        StringBuilder out = new StringBuilder("| phase | seconds of the run | reads: 200 (stale) / error | read p99 ms "
                + "| writes: acknowledged / 503 + Retry-After / other | write answer p50 / p99 / max ms |\n"
                + "|---|---|---|---:|---|---|\n");
        for (PhaseSpec spec : run.scenario().phases()) {
            Phase phase = phaseOf(run, spec);
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s–%s | %,d (%,d) / %,d | %s | %,d / %,d / %,d | %s / %s / %s |%n",
                    spec.label(),
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

    /** Per phase, who answered the reads by id and by mobile (their {@code X-Member-Source}), counted. */
    static String sources(Run run) {
        StringBuilder out = new StringBuilder(
                "| phase | reads by id answered 200, by | reads by mobile answered 200, by |\n" + "|---|---|---|\n");
        for (PhaseSpec spec : run.scenario().phases()) {
            long from = run.clamped(spec.from().applyAsLong(run));
            long until = Math.max(from, run.clamped(spec.until().applyAsLong(run)));
            out.append("| ")
                    .append(spec.label())
                    .append(" | ")
                    .append(counted(run.timeline().sources(Kind.READ_BY_ID, from, until)))
                    .append(" | ")
                    .append(counted(run.timeline().sources(Kind.READ_BY_MOBILE, from, until)))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The phase's moments within the run: a store may be ready only after the load ended. */
    private static Phase phaseOf(Run run, PhaseSpec spec) {
        long from = run.clamped(spec.from().applyAsLong(run));
        return run.timeline()
                .phase(from, Math.max(from, run.clamped(spec.until().applyAsLong(run))));
    }

    private static String counted(Map<String, Long> bySource) {
        if (bySource.isEmpty()) return "–";
        return bySource.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "`%s` %,d", e.getKey(), e.getValue()))
                .collect(Collectors.joining(" · "));
    }

    private static String reads(Kind kind) {
        return kind == Kind.READ_BY_MOBILE ? "lookups by mobile" : "reads by id";
    }

    private static String failures(Phase phase, Kind kind) {
        Counts counts = phase.byKind().get(kind);
        List<String> parts = new ArrayList<>();
        if (counts.refused() > 0) parts.add(String.format(Locale.ROOT, "%,d `503` + `Retry-After`", counts.refused()));
        if (counts.failed() > 0)
            parts.add(OutageReport.statuses(phase.otherFailures().get(kind)));
        if (counts.dropped() > 0) parts.add(String.format(Locale.ROOT, "%,d dropped", counts.dropped()));
        return String.join(", ", parts);
    }

    private static String setup(Run run, OutageSettings settings) {
        List<String> moments = new ArrayList<>();
        run.outage().ifPresent(window -> {
            moments.add("kill called at %s s (returned at %s s)"
                    .formatted(
                            OutageReport.seconds(window.stopCalledNanos()),
                            OutageReport.seconds(window.stoppedNanos())));
            moments.add("restart called at %s s, %s ready at %s s"
                    .formatted(
                            OutageReport.seconds(window.startCalledNanos()),
                            run.scenario().kill().orElseThrow().store(),
                            OutageReport.seconds(window.readyNanos())));
        });
        for (SwitchCall call : run.switches()) {
            moments.add("%s called at %s s, answered at %s s"
                    .formatted(
                            call.planned().name(),
                            OutageReport.seconds(call.calledNanos()),
                            OutageReport.seconds(call.returnedNanos())));
        }
        return """
                ### How this was run

                - Population: %,d members loaded into the shards and through replication into all three search \
                clusters before the load; Zipfian keys s = %s, writes to uniform keys.
                - Load: open loop at %s/s, at most %d in flight, client timeout %d s; virtual threads in the \
                service's JVM, on the same 2 cores as every server (2 MariaDB, semi-synchronous `AFTER_SYNC`; 2 \
                Redis; Kafka; 3 OpenSearch; 3 ZooKeeper).
                - Moments: %s.
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
                        String.join("; ", moments));
    }

    private static String verdict(boolean met) {
        return met ? "yes" : "**no**";
    }
}
