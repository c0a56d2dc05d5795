package io.membercenter.bench.suite;

import io.membercenter.bench.report.Progress;
import io.membercenter.bench.report.ReportOptions;
import io.membercenter.bench.report.ResultTable;
import io.membercenter.bench.report.RunEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./mc bench suite [scenario ...]}: see the package documentation for what it measures. */
@Command(
        name = "suite",
        mixinStandardHelpOptions = true,
        description = "Loads a member population into the service and its baselines, runs the scenarios (all, or those "
                + "named), finds each contender's sustainable rate, and writes BENCHMARKS.md and the charts; a run of "
                + "some scenarios writes a section (suite-partial) and a chart folder (partial) of its own.")
public final class SuiteCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(
            arity = "0..*",
            paramLabel = "SCENARIO",
            description =
                    "hit-rate, cached-reads, lookup-by-mobile, routed-vs-fan-out, marketing-mix, order-mix, default-mix, "
                            + "writes, replication-lag, creates (default: all, in this order).")
    private List<String> scenarios = List.of();

    @Option(
            names = "--members",
            defaultValue = "1000000",
            description = "Population loaded first (default: ${DEFAULT-VALUE}).")
    private int members;

    @Option(
            names = "--zipf-exponent",
            defaultValue = "0.99",
            description = "Skew of Zipfian keys (default: ${DEFAULT-VALUE}).")
    private double zipfExponent;

    @Option(
            names = "--concurrency",
            defaultValue = "16",
            description = "Closed-loop workers (default: ${DEFAULT-VALUE}).")
    private int concurrency;

    @Option(
            names = "--warmup",
            defaultValue = "3s",
            description = "Closed-loop warm-up per row (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Option(
            names = "--duration",
            defaultValue = "10s",
            description = "Closed-loop measured time per row (default: ${DEFAULT-VALUE}).")
    private Duration measured;

    @Option(names = "--no-sweep", description = "Closed-loop rows only: no sustainable rates, no charts.")
    private boolean noSweep;

    @Option(
            names = "--p99-bound",
            defaultValue = "10ms",
            description = "Sustainable means p99 at most this (default: ${DEFAULT-VALUE}).")
    private Duration p99Bound;

    @Option(
            names = "--sweep-warmup",
            defaultValue = "1s",
            description = "Warm-up of each sweep step (default: ${DEFAULT-VALUE}).")
    private Duration sweepWarmup;

    @Option(
            names = "--sweep-step",
            defaultValue = "4s",
            description = "Measured time of each sweep step (default: ${DEFAULT-VALUE}).")
    private Duration sweepMeasured;

    @Option(
            names = "--sweep-refinements",
            defaultValue = "3",
            description = "Bisections after the first failing rate (default: ${DEFAULT-VALUE}).")
    private int sweepRefinements;

    @Option(
            names = "--hit-rate-warmup-reads",
            defaultValue = "5000000",
            description = "Length of the Zipfian read stream whose members warm the cache (default: ${DEFAULT-VALUE}).")
    private long hitRateWarmupReads;

    @Option(
            names = "--lag-duration",
            defaultValue = "30s",
            description = "Sustained writes of replication-lag (default: ${DEFAULT-VALUE}).")
    private Duration lagDuration;

    @Option(
            names = "--lag-rate",
            defaultValue = "50",
            description = "Their rate per second (default: ${DEFAULT-VALUE}).")
    private double lagRate;

    @Option(
            names = "--fan-out-shards",
            defaultValue = "12",
            description =
                    "Shards of the identifier index copy for routed-vs-fan-out (default: ${DEFAULT-VALUE}, the production plan).")
    private int fanOutShards;

    @Option(
            names = "--load-workers",
            defaultValue = "4",
            description = "Threads loading the population (default: ${DEFAULT-VALUE}).")
    private int loadWorkers;

    @Mixin
    private ReportOptions report;

    @Option(
            names = "--charts",
            defaultValue = "benchmarks",
            description = "Folder of the SVG charts, next to the report (default: ${DEFAULT-VALUE}).")
    private Path charts;

    @Override
    public Integer call() throws Exception {
        SuiteSettings settings = settings();
        RunEnvironment environment =
                RunEnvironment.capture(spec.commandLine().getParseResult().originalArgs());
        List<ScenarioResult> results;
        String mariaDbVersion;
        try (Suite suite = new Suite(settings, Progress::say)) {
            mariaDbVersion = suite.mariaDbVersion();
            suite.load();
            results = suite.runScenarios();
        }
        System.out.println();
        System.out.print(ResultTable.console(SuiteReport.allRows(results)));
        if (settings.sweep()) System.out.print(SuiteReport.sustainableRates(results, settings));
        if (report.wanted()) {
            // A run of some scenarios gets a section and a chart folder of its own: the full run's stay whole.
            boolean partial = !settings.scenarios().equals(SuiteSettings.ALL);
            String section = partial ? "suite-partial" : "suite";
            Map<String, String> chartFiles =
                    SuiteCharts.write(results, settings, report.folder(), partial ? charts.resolve("partial") : charts);
            Path written = report.writeSection(
                    section, SuiteReport.markdown(results, settings, environment, mariaDbVersion, chartFiles));
            Progress.say("wrote the " + section + " section of " + written + " and " + chartFiles.size() + " charts");
        }
        return results.stream()
                        .flatMap(r -> r.rows().stream())
                        .anyMatch(row -> row.result().succeeded() == 0)
                ? 1
                : 0;
    }

    private SuiteSettings settings() {
        try {
            return new SuiteSettings(
                    scenarios,
                    members,
                    zipfExponent,
                    concurrency,
                    warmup,
                    measured,
                    !noSweep,
                    p99Bound,
                    sweepWarmup,
                    sweepMeasured,
                    sweepRefinements,
                    hitRateWarmupReads,
                    lagDuration,
                    lagRate,
                    fanOutShards,
                    loadWorkers);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
