package io.membercenter.bench.outage;

import io.membercenter.bench.load.Latency;
import io.membercenter.bench.report.MachineLoad;
import io.membercenter.bench.report.RunEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code ./mc bench audit}, the benchmark of issue 16 (governance): the relationship audit's rate over a whole
 * population and what it costs a concurrent ORDER mix, and the consistency checker's nines per store during the
 * DEFAULT mix. One run: the ORDER mix (as {@code ./mc bench outage} runs it) in slices that take turns, <em>quiet</em>
 * and <em>audited</em> (while {@code POST /admin/governance/audit} is stepped, as {@code ./mc audit} does), until the
 * audit run is complete; then the DEFAULT mix with the checker running in the background. Tests:
 * {@code AuditReportTest}.
 */
final class AuditReport {

    static final String SECTION = "audit";
    /**
     * Issue 16 asks that the audit "never hurts the order path" and gives no number; the bound is issue 13's for a
     * MARKETING flood (ORDER p99 ≤ 1.5 × quiet), the project's one stated bound for ORDER under other traffic.
     */
    static final double P99_GOAL = 1.5;

    private AuditReport() {}

    /** A phase of the run: its requests, and how long it was (the sum of its slices). */
    record Measured(FloodReport.Phase phase, long nanos) {

        Latency latency(Predicate<Sample> which) {
            return phase.latency(which);
        }

        double answeredPerSecond() {
            long answered = phase.order().stream().filter(Sample::succeeded).count();
            return nanos == 0 ? 0 : answered / (nanos / 1e9);
        }

        static Measured of(List<Measured> slices) {
            return new Measured(
                    FloodReport.Phase.of(slices.stream().map(Measured::phase).toList()),
                    slices.stream().mapToLong(Measured::nanos).sum());
        }
    }

    /** How the run was set up. */
    record Settings(
            int members,
            double orderRate,
            Duration quietSlice,
            Duration auditSlice,
            Duration warmup,
            int rowsPerSecond,
            Duration pauseBetweenChunks,
            double defaultRate,
            Duration defaultLength,
            Duration replicationWindow) {}

    /**
     * @param quiet the ORDER mix alone
     * @param audited the ORDER mix while audit steps ran
     * @param audit the audit run at its end (totals) and the time its steps took
     * @param defaultMix the DEFAULT mix
     * @param duringDefault what the checker checked from the DEFAULT mix's start to a replication window after its end
     * @param wholeRun what the checker checked since the service started
     */
    record Result(
            Measured quiet,
            Measured audited,
            AuditSteps.Progress audit,
            Measured defaultMix,
            ConsistencySnapshot duringDefault,
            ConsistencySnapshot wholeRun) {

        double p99Ratio() {
            long quietP99 = quiet.latency(s -> true).p99Nanos();
            return quietP99 == 0
                    ? Double.NaN
                    : (double) audited.latency(s -> true).p99Nanos() / quietP99;
        }

        double rowsPerSecond() {
            return audit.activeNanos() == 0 ? 0 : audit.last().rows() / (audit.activeNanos() / 1e9);
        }

        double membersPerSecond() {
            return audit.activeNanos() == 0 ? 0 : audit.last().members() / (audit.activeNanos() / 1e9);
        }

        /** Within 10 % of the throttle's rate: the throttle, not the machine, set the audit's pace. */
        boolean throttleBound(int rowsPerSecondSetting) {
            return rowsPerSecond() >= 0.9 * rowsPerSecondSetting;
        }
    }

    static String markdown(Result result, Settings settings, RunEnvironment environment) {
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "## audit: the relationship audit over %,d members, its cost to ORDER, and consistency in nines%n%n",
                settings.members()));
        out.append(String.format(
                Locale.ROOT,
                """
                One run on one population of %,d members (`MemberBulkLoad`: LIVE rows with mobile and e-mail, every \
                second one a `wechat` identity, and their owner entries): the ORDER mix of `./mc bench outage` (80 %% \
                `GET /v1/members/{id}`, 15 %% `GET /v1/members/by-mobile/{mobile}`, Zipfian keys, 5 %% `PATCH`, as \
                `order-service`) in an open loop at %s/s, in slices taking turns — *quiet* (%d s) and *audited* (%d s, \
                while a full relationship audit is stepped as `./mc audit` steps it: `POST /admin/governance/audit` \
                until 200) — until the audit run is complete, after a %d s warm-up of ORDER alone. Then the suite's \
                DEFAULT mix (60 %% reads by id, 20 %% by mobile, 10 %% batch reads of 20, 8 %% `PATCH`, 2 %% \
                registrations, as `app-backend`) at %s/s for %d s, with the consistency checker running in the \
                background (replication window %d s).

                """,
                settings.members(),
                TimelineChart.number(settings.orderRate()),
                settings.quietSlice().toSeconds(),
                settings.auditSlice().toSeconds(),
                settings.warmup().toSeconds(),
                TimelineChart.number(settings.defaultRate()),
                settings.defaultLength().toSeconds(),
                settings.replicationWindow().toSeconds()));
        out.append(goals(result, settings)).append('\n');
        out.append(auditTable(result, settings)).append('\n');
        out.append(pace(result, settings)).append("\n\n");
        out.append(orderTable(result)).append('\n');
        out.append(consistencyTable(result)).append('\n');
        out.append("### How this was run\n\n")
                .append("- Load generator: as in `./mc bench outage` and `flood`, one virtual thread per request in the"
                        + " service's JVM (at these rates a small part of a core, counted in the JVM's CPU below);"
                        + " answer times from the due time (coordinated omission corrected); *errors* are requests not"
                        + " answered 200 (201 for a registration): refused, failed, dropped at 1024 in flight, or"
                        + " unanswered at the end. The audit's steps are one HTTP client thread of the same JVM, one"
                        + " step at a time; the audit itself runs inside the service, on the step request's thread.\n")
                .append(String.format(
                        Locale.ROOT,
                        "- Audit settings: `member-center.governance.rows-per-second=%d`, `pause-between-chunks=%s`,"
                                + " chunk-size and step-budget the service's defaults (200 rows, 3 s). Its rate is rows"
                                + " (member rows + owner entries) over the time its steps ran (the quiet slices between"
                                + " them left out).%n",
                        settings.rowsPerSecond(),
                        settings.pauseBetweenChunks().toMillis() + "ms"))
                .append(String.format(
                        Locale.ROOT,
                        "- Consistency checker: on, every instance's default pace (50 members/s, 20 per database and"
                                + " pass, a pass a second) but `replication-window=%ds` (the test profile's, so results"
                                + " come within the phase); a change is checked once it is that old, against both Redis"
                                + " and all three search clusters. *During the DEFAULT mix*: checks from its start to a"
                                + " window and 3 s after its end; *whole run*: since the service started (the ORDER"
                                + " phases' PATCHes included).%n",
                        settings.replicationWindow().toSeconds()))
                .append("- An audited slice ends when its time is up (the step running then is let finish, so the"
                        + " next quiet slice never overlaps a step) or when the run is complete; ORDER requests due"
                        + " after the run completed are left out of *audited*. CPU: cores busy over each slice (service"
                        + " JVM + its child processes, the servers + other), the mean of the phase's slices.\n\n")
                .append(environment.markdown());
        return out.toString();
    }

    static String goals(Result result, Settings settings) {
        long quietP99 = result.quiet().latency(s -> true).p99Nanos();
        long auditedP99 = result.audited().latency(s -> true).p99Nanos();
        AuditSteps.Step last = result.audit().last();
        boolean everyMember = last.members() >= settings.members();
        return String.format(
                Locale.ROOT,
                """
                | goal | without the audit | with the audit | measured | met |
                |---|---:|---:|---|---|
                | ORDER p99 with the audit ≤ %.1f × without | %s ms | %s ms | ×%.2f | %s |
                | ORDER errors while the audit runs: 0 | %d | %d | – | %s |
                | the audit examines every member row of the population | – | – | %,d of %,d | %s |
                """,
                P99_GOAL,
                OutageReport.millis(quietP99),
                OutageReport.millis(auditedP99),
                result.p99Ratio(),
                result.p99Ratio() <= P99_GOAL ? "yes" : "**no**",
                result.quiet().phase().errors(),
                result.audited().phase().errors(),
                result.audited().phase().errors() == 0 ? "yes" : "**no**",
                last.members(),
                settings.members(),
                everyMember ? "yes" : "**no**");
    }

    private static String auditTable(Result result, Settings settings) {
        AuditSteps.Step last = result.audit().last();
        return String.format(
                Locale.ROOT,
                """
                | audit run | member rows | owner entries | steps | duration (steps running) | members/s | rows/s | \
                throttle (rows/s) | anomalies seen | repaired |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                | %s | %,d | %,d | %,d | %.1f s | %,.0f | %,.0f | %,d | %,d | %,d |
                """,
                last.runId(),
                last.members(),
                last.entries(),
                last.steps(),
                result.audit().activeNanos() / 1e9,
                result.membersPerSecond(),
                result.rowsPerSecond(),
                settings.rowsPerSecond(),
                last.anomaliesSeen(),
                last.repaired());
    }

    /** Who set the audit's pace: the throttle (within 10 % of its setting) or the machine (well below it). */
    static String pace(Result result, Settings settings) {
        double share = result.rowsPerSecond() / settings.rowsPerSecond();
        return result.throttleBound(settings.rowsPerSecond())
                ? String.format(
                        Locale.ROOT,
                        "**The throttle set the audit's rate**: %,.0f rows/s is %.0f %% of `rows-per-second=%d`; at that"
                                + " setting 1,000,000 members (%.2f rows each here) take %.0f min.",
                        result.rowsPerSecond(),
                        share * 100,
                        settings.rowsPerSecond(),
                        rowsPerMember(result),
                        1_000_000 * rowsPerMember(result) / result.rowsPerSecond() / 60)
                : String.format(
                        Locale.ROOT,
                        "**The machine, not the throttle, set the audit's rate**: %,.0f rows/s is %.0f %% of"
                                + " `rows-per-second=%d` (one statement at a time, each chunk read and checked on the"
                                + " step's thread, on cores shared with the ORDER mix and every server).",
                        result.rowsPerSecond(),
                        share * 100,
                        settings.rowsPerSecond());
    }

    private static double rowsPerMember(Result result) {
        AuditSteps.Step last = result.audit().last();
        return last.members() == 0 ? 0 : (double) last.rows() / last.members();
    }

    private static String orderTable(Result result) {
        StringBuilder out = new StringBuilder(
                "| phase | requests | errors | answered /s | all p50 / p99 / max ms | reads p99 ms | writes p99 ms |"
                        + " CPU cores |\n|---|---:|---:|---:|---|---:|---:|---|\n");
        row(out, "ORDER, quiet", result.quiet());
        row(out, "ORDER, audited", result.audited());
        row(out, "DEFAULT mix (checker on)", result.defaultMix());
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Measured measured) {
        FloodReport.Phase phase = measured.phase();
        Latency all = phase.latency(s -> true);
        out.append(String.format(
                Locale.ROOT,
                "| %s | %,d | %d | %.1f | %s / %s / %s | %s | %s | %s |%n",
                name,
                phase.order().size(),
                phase.errors(),
                measured.answeredPerSecond(),
                OutageReport.millis(all.p50Nanos()),
                OutageReport.millis(all.p99Nanos()),
                OutageReport.millis(all.maxNanos()),
                OutageReport.millis(phase.latency(s -> s.kind().isRead()).p99Nanos()),
                OutageReport.millis(phase.latency(s -> !s.kind().isRead()).p99Nanos()),
                phase.cpu().map(MachineLoad::describeCpu).orElse("–")));
    }

    static String consistencyTable(Result result) {
        StringBuilder out = new StringBuilder(
                "| store | checked (DEFAULT mix) | inconsistent | consistency_nines | checked (whole run) |"
                        + " inconsistent | consistency_nines |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, ConsistencySnapshot.Counts> store :
                result.wholeRun().stores().entrySet()) {
            ConsistencySnapshot.Counts during = Optional.ofNullable(
                            result.duringDefault().stores().get(store.getKey()))
                    .orElse(new ConsistencySnapshot.Counts(0, 0));
            ConsistencySnapshot.Counts whole = store.getValue();
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %,d | %.2f | %,d | %,d | %.2f |%n",
                    store.getKey(),
                    during.checked(),
                    during.inconsistent(),
                    during.nines(),
                    whole.checked(),
                    whole.inconsistent(),
                    whole.nines()));
        }
        if (result.wholeRun().stores().isEmpty()) out.append("| (no store checked) | 0 | 0 | 0 | 0 | 0 | 0 |\n");
        out.append("\nNines with no inconsistency are capped at log10(checked), what the sample can show (the service's"
                + " formula).\n");
        return out.toString();
    }
}
