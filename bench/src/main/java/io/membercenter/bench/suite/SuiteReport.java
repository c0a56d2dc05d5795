package io.membercenter.bench.suite;

import io.membercenter.bench.load.LoadResult;
import io.membercenter.bench.load.SweepResult;
import io.membercenter.bench.report.MachineLoad;
import io.membercenter.bench.report.ResultRow;
import io.membercenter.bench.report.ResultTable;
import io.membercenter.bench.report.RunEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The suite's section of BENCHMARKS.md: the sustainable rates first, then each scenario's rows and notes. */
final class SuiteReport {

    private static final double NOISE_CORES = 0.25;

    private SuiteReport() {}

    /** {@code charts}: scenario name → the chart's path relative to BENCHMARKS.md. */
    static String markdown(
            List<ScenarioResult> results,
            SuiteSettings settings,
            RunEnvironment environment,
            String mariaDbVersion,
            Map<String, String> charts) {
        StringBuilder out = new StringBuilder(
                settings.scenarios().equals(SuiteSettings.ALL)
                        ? "## suite: every scenario against its baselines\n\n"
                        : "## suite, partial run: " + String.join(", ", settings.scenarios())
                                + " (the full run is in the section " + "above or below)\n\n");
        out.append(noiseWarning(results));
        if (results.stream().anyMatch(r -> !r.sweeps().isEmpty())) {
            out.append("### Sustainable rate at p99 ≤ ")
                    .append(settings.p99Bound().toMillis())
                    .append(" ms\n\n")
                    .append(sustainableRates(results, settings))
                    .append('\n');
        }
        for (ScenarioResult result : results) {
            out.append("### ")
                    .append(result.name())
                    .append(": ")
                    .append(result.title())
                    .append("\n\n");
            if (!result.rows().isEmpty())
                out.append(ResultTable.markdown(result.rows())).append('\n');
            for (String note : result.notes()) {
                out.append(note.isEmpty() || note.startsWith("|") ? note : "- " + note)
                        .append('\n');
            }
            String chart = charts.get(result.name());
            if (chart != null) {
                out.append("\n![latency against throughput: ")
                        .append(result.name())
                        .append("](")
                        .append(chart)
                        .append(")\n");
            }
            out.append('\n');
        }
        out.append(setup(settings, environment, mariaDbVersion));
        return out.toString();
    }

    /**
     * One line per swept contender: the highest arrival rate that held (p99 within the bound, no errors, no
     * drops, throughput kept up), and the service's rate as a multiple of each baseline's.
     */
    static String sustainableRates(List<ScenarioResult> results, SuiteSettings settings) {
        StringBuilder out = new StringBuilder(
                "| scenario | contender | sustainable rate | p50 ms there | p99 ms there | highest rate tried "
                        + "| service ÷ this |\n|---|---|---:|---:|---:|---:|---|\n");
        for (ScenarioResult result : results) {
            Optional<Double> serviceRate = result.sweeps().stream()
                    .filter(ScenarioResult.ContenderSweep::isService)
                    .findFirst()
                    .flatMap(s -> s.result().sustainableRate());
            for (ScenarioResult.ContenderSweep sweep : result.sweeps()) {
                SweepResult r = sweep.result();
                Optional<LoadResult> at = r.atSustainableRate();
                double highest = r.steps().stream()
                        .mapToDouble(SweepResult.Step::askedRate)
                        .max()
                        .orElse(0);
                out.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %s | %s | %s | %,.0f/s | %s |%n",
                        result.name(),
                        sweep.contender(),
                        r.sustainableRate()
                                .map(rate -> String.format(Locale.ROOT, "**%,.0f/s**", rate))
                                .orElse("none held"),
                        at.map(l -> millis(l.latency().p50())).orElse("–"),
                        at.map(l -> millis(l.latency().p99())).orElse("–"),
                        highest,
                        sweep.isService() ? "–" : ratio(serviceRate, r.sustainableRate())));
            }
        }
        return out.toString();
    }

    private static String ratio(Optional<Double> service, Optional<Double> baseline) {
        if (service.isEmpty() || baseline.isEmpty() || baseline.get() <= 0) return "–";
        double factor = service.get() / baseline.get();
        return String.format(Locale.ROOT, factor < 10 ? "×%.2f" : "×%.0f", factor);
    }

    private static String millis(Duration latency) {
        double ms = latency.toNanos() / 1e6;
        return String.format(Locale.ROOT, ms < 10 ? "%.2f" : ms < 100 ? "%.1f" : "%.0f", ms);
    }

    private static String noiseWarning(List<ScenarioResult> results) {
        double worst = results.stream()
                .flatMap(r -> r.rows().stream())
                .flatMap(row -> row.machine().stream())
                .mapToDouble(MachineLoad::other)
                .max()
                .orElse(0);
        if (worst < NOISE_CORES) return "";
        return String.format(
                Locale.ROOT,
                "**Noisy run**: processes outside this benchmark kept up to %.1f cores busy during "
                        + "some rows (*other* in the CPU column); those rows are not comparable with a quiet run.%n%n",
                worst);
    }

    private static String setup(SuiteSettings settings, RunEnvironment environment, String mariaDbVersion) {
        return """
                ### How this was run

                - Population: %,d members loaded into the service's shards (`MemberBulkLoad`, LIVE rows and owner entries), \
                the naive service's table, and through replication (outbox, Kafka, indexers) into all three search clusters; half hold a \
                third-party identity. Zipfian keys: s = %s, hottest members spread over the id space.
                - Closed-loop rows: %d workers, %s warm-up, %s measured. Sweeps: open loop from the scenario's start \
                rate, doubled while the contender keeps up (no error, no drop, throughput kept), then %d bisections \
                between the highest rate whose p99 stayed ≤ %d ms and the next above it that did not; each step %s \
                warm-up + %s measured or longer, so that it measures at least 200 requests; at most %d in flight. \
                The open-loop generator starts a virtual thread per request; on 2 cores shared with everything else \
                it tops out near 10,000 requests a second, which caps the sweeps of the fastest baselines (raw Redis, \
                raw MariaDB) well below their closed-loop rows.
                - Everything shares the machine: load generator, service, naive service, 2 MariaDB (`sync_binlog=1`, \
                `innodb_flush_log_at_trx_commit=1`, %s), 2 Redis, Kafka and 3 OpenSearch nodes.
                - The naive service: the same HTTP API on one MariaDB table (Spring MVC + JdbcTemplate), no cache, \
                no sharding, no search, no outbox — what a team would write first (`bench/.../naive`).

                """.formatted(
                                settings.members(),
                                settings.zipfExponent(),
                                settings.concurrency(),
                                seconds(settings.warmup()),
                                seconds(settings.measured()),
                                settings.sweepRefinements(),
                                settings.p99Bound().toMillis(),
                                seconds(settings.sweepWarmup()),
                                seconds(settings.sweepMeasured()),
                                SuiteSettings.MAX_IN_FLIGHT,
                                mariaDbVersion)
                + environment.markdown();
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** The rows of every scenario, for the console. */
    static List<ResultRow> allRows(List<ScenarioResult> results) {
        return results.stream().flatMap(r -> r.rows().stream()).toList();
    }
}
