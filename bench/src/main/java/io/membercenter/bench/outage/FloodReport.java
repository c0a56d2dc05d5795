package io.membercenter.bench.outage;

import io.membercenter.bench.load.Latency;
import io.membercenter.bench.report.MachineLoad;
import io.membercenter.bench.report.RunEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code ./mc bench flood}, the benchmark of issue 13 (flow control): does a MARKETING flood reach ORDER? The
 * suite's ORDER mix (as in {@code ./mc bench outage}: 80 % reads by id, 15 % by mobile, 5 % PATCHes, open loop,
 * coordinated omission corrected) runs twice in one run, the same length each, in slices that take turns (quiet,
 * flooded, quiet, ...: a drift of the shared machine falls on both alike): <em>quiet</em>, and
 * <em>flooded</em> while a MARKETING caller of its own (caps: one member 50/s, search 100/s) sends 10× each cap
 * from {@code hey} processes outside the service's JVM — {@code GET} of one member at 500/s and
 * {@code POST /v1/members/search} at 1,000/s. The goal: ORDER's p99 flooded ≤ 1.5 × quiet. The flood's own
 * answers are counted too: what was admitted (2xx) must stay near the caps, the rest refused with 429.
 * Invariants and tests: {@code HeyFloodTest} (hey's summary read into rates and statuses), {@code FloodReportTest}
 * (a phase's percentiles, errors and the verdict).
 */
final class FloodReport {

    static final String SECTION = "flood";

    private FloodReport() {}

    /** One measured phase: every ORDER request, and what the floods (none when quiet) sent and got. */
    record Phase(List<Sample> order, int unanswered, List<HeyFlood.Result> floods, Optional<MachineLoad> cpu) {

        Latency latency(Predicate<Sample> which) {
            return Percentile.latency(order.stream()
                    .filter(which)
                    .filter(Sample::succeeded)
                    .mapToLong(Sample::answerNanos)
                    .toArray());
        }

        /** ORDER requests not answered 200: refused, failed, dropped, or still in flight at the end. */
        long errors() {
            return order.stream().filter(s -> !s.succeeded()).count() + unanswered;
        }

        /**
         * Slices of one phase as one: every ORDER request of each, each flood's answers summed per plan, the CPU the
         * mean of the slices' (they are of equal length).
         */
        static Phase of(List<Phase> slices) {
            List<Sample> order = new ArrayList<>();
            int unanswered = 0;
            Map<HeyFlood.Plan, List<HeyFlood.Result>> floods = new LinkedHashMap<>();
            for (Phase slice : slices) {
                order.addAll(slice.order());
                unanswered += slice.unanswered();
                slice.floods()
                        .forEach(f -> floods.computeIfAbsent(f.plan(), p -> new ArrayList<>())
                                .add(f));
            }
            List<HeyFlood.Result> merged = new ArrayList<>();
            floods.values().forEach(results -> merged.add(HeyFlood.Result.of(results)));
            List<MachineLoad> cpu =
                    slices.stream().flatMap(s -> s.cpu().stream()).toList();
            return new Phase(
                    order,
                    unanswered,
                    merged,
                    cpu.size() == slices.size() ? Optional.of(MachineLoad.mean(cpu)) : Optional.empty());
        }
    }

    record Result(Phase quiet, Phase flooded) {

        double p99Ratio() {
            long quietP99 = quiet.latency(s -> true).p99Nanos();
            return quietP99 == 0
                    ? Double.NaN
                    : (double) flooded.latency(s -> true).p99Nanos() / quietP99;
        }

        boolean met() {
            return p99Ratio() <= FloodCommand.P99_GOAL && flooded.errors() == 0;
        }
    }

    static String markdown(
            Result result,
            double rate,
            Duration phase,
            int slices,
            Duration warmup,
            int members,
            double cpuShedAt,
            RunEnvironment environment) {
        StringBuilder out =
                new StringBuilder("## flood: ORDER while MARKETING floods one member and search at 10× its caps\n\n");
        out.append(String.format(
                Locale.ROOT,
                """
                The ORDER mix of `./mc bench outage` (80 %% `GET /v1/members/{id}`, 15 %% `GET /v1/members/by-mobile/{mobile}`, \
                Zipfian keys over %,d members, 5 %% `PATCH`, as `order-service`) in an open loop at %s/s, %d s *quiet* \
                and %d s *flooded*, in the same run, in %d slices each taking turns (quiet, flooded, quiet, ...), after \
                a %d s warm-up of both together. The flood is a \
                MARKETING caller created for the run through `POST /admin/callers` with caps of its own — one member \
                %d requests/s (hot key), search %d requests/s — sending %d× each from `hey` in two processes outside \
                the service's JVM (fixed rate: %d workers each, keep-alive): `GET` of one member at %,d/s and \
                `POST /v1/members/search` at %,d/s.

                """,
                members,
                TimelineChart.number(rate),
                phase.toSeconds(),
                phase.toSeconds(),
                slices,
                warmup.toSeconds(),
                FloodCommand.HOT_KEY_CAP,
                FloodCommand.SEARCH_CAP,
                FloodCommand.FLOOD_FACTOR,
                FloodCommand.FLOOD_WORKERS,
                FloodCommand.HOT_KEY_CAP * FloodCommand.FLOOD_FACTOR,
                FloodCommand.SEARCH_CAP * FloodCommand.FLOOD_FACTOR));
        out.append(goal(result)).append('\n');
        out.append(orderTable(result)).append('\n');
        out.append(floodTable(result.flooded())).append('\n');
        out.append("### How this was run\n\n")
                .append("- ORDER load: one virtual thread per request in the service's JVM (at this rate a small part"
                        + " of a core); answer times from the due time; *errors* are ORDER requests not answered 200"
                        + " (refused, failed, dropped at 1024 in flight, or unanswered at the end).\n")
                .append("- CPU: cores busy in each phase (service JVM + its child processes — the servers and the two"
                        + " hey processes — + other).\n")
                .append(
                        cpuShedAt > 0
                                ? String.format(
                                        Locale.ROOT,
                                        "- System protection's CPU signal on, as a deployment sets it: MARKETING is shed (429,"
                                                + " `\"rule\": \"system\"`) while the machine's CPU use is at least %.0f %%"
                                                + " (`member-center.flow.system.cpu-shed-at=%s`; ORDER is never shed by CPU)."
                                                + " What the flood got admitted is in its table.%n%n",
                                        cpuShedAt * 100,
                                        cpuShedAt)
                                : "- System protection's CPU signal off (`cpu-shed-at=0`, the local profile's setting): only"
                                        + " the flood's own caps and the in-flight thresholds limit it.\n\n")
                .append(environment.markdown());
        return out.toString();
    }

    static String goal(Result result) {
        return String.format(
                Locale.ROOT,
                """
                | goal | quiet | flooded | measured | met |
                |---|---:|---:|---|---|
                | ORDER p99 flooded ≤ %.1f × quiet | %s ms | %s ms | ×%.2f | %s |
                | ORDER errors while flooded: 0 | %d | %d | – | %s |
                """,
                FloodCommand.P99_GOAL,
                OutageReport.millis(result.quiet().latency(s -> true).p99Nanos()),
                OutageReport.millis(result.flooded().latency(s -> true).p99Nanos()),
                result.p99Ratio(),
                result.p99Ratio() <= FloodCommand.P99_GOAL ? "yes" : "**no**",
                result.quiet().errors(),
                result.flooded().errors(),
                result.flooded().errors() == 0 ? "yes" : "**no**");
    }

    private static String orderTable(Result result) {
        StringBuilder out = new StringBuilder(
                "| ORDER, phase | requests | errors | all p50 / p99 / max ms | reads p99 ms | writes p99 ms | CPU cores |\n"
                        + "|---|---:|---:|---|---:|---:|---|\n");
        row(out, "quiet", result.quiet());
        row(out, "flooded", result.flooded());
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Phase phase) {
        Latency all = phase.latency(s -> true);
        out.append(String.format(
                Locale.ROOT,
                "| %s | %,d | %d | %s / %s / %s | %s | %s | %s |%n",
                name,
                phase.order().size(),
                phase.errors(),
                OutageReport.millis(all.p50Nanos()),
                OutageReport.millis(all.p99Nanos()),
                OutageReport.millis(all.maxNanos()),
                OutageReport.millis(phase.latency(s -> s.kind().isRead()).p99Nanos()),
                OutageReport.millis(phase.latency(s -> !s.kind().isRead()).p99Nanos()),
                phase.cpu().map(MachineLoad::describeCpu).orElse("–")));
    }

    private static String floodTable(Phase flooded) {
        StringBuilder out = new StringBuilder(
                "| flood (hey) | asked /s | sent /s | × its cap | admitted (2xx) /s | refused 429 /s | other |\n"
                        + "|---|---:|---:|---:|---:|---:|---|\n");
        for (HeyFlood.Result flood : flooded.floods()) {
            HeyFlood.Plan plan = flood.plan();
            int cap = plan.method().equals("GET") ? FloodCommand.HOT_KEY_CAP : FloodCommand.SEARCH_CAP;
            long admitted = flood.statuses().entrySet().stream()
                    .filter(e -> e.getKey() >= 200 && e.getKey() < 300)
                    .mapToLong(java.util.Map.Entry::getValue)
                    .sum();
            long other = flood.total() - admitted - flood.count(429);
            out.append(String.format(
                    Locale.ROOT,
                    "| %s `%s` | %d | %.0f | %.1f | %.1f | %.1f | %d |%n",
                    plan.name(),
                    plan.method(),
                    plan.ratePerSecond(),
                    flood.sentPerSecond(),
                    flood.sentPerSecond() / cap,
                    (double) admitted / flood.seconds(),
                    flood.perSecond(429),
                    other));
        }
        return out.toString();
    }
}
