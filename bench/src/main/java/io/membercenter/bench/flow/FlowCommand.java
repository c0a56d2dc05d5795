package io.membercenter.bench.flow;

import io.membercenter.bench.InProcessService;
import io.membercenter.bench.report.Progress;
import io.membercenter.bench.report.ReportOptions;
import io.membercenter.bench.report.RunEnvironment;
import io.membercenter.flow.FlowCheck;
import io.membercenter.topology.LocalTopology;
import io.membercenter.topology.StoreKind;
import io.membercenter.topology.TopologyOptions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./mc bench flow}: see the package documentation for what it measures. */
@Command(
        name = "flow",
        mixinStandardHelpOptions = true,
        description = "Times the flow-control check of one request with JMH (issue 13: ≤ 5 µs) against an empty "
                + "method, at 1 and 2 threads, and writes the flow section of BENCHMARKS.md (about 2.5 minutes).")
public final class FlowCommand implements Callable<Integer> {

    /** The benchmark methods of {@link FlowCheckBenchmark}. */
    static final int BENCHMARKS = 5;
    /**
     * The forks' flags: those of {@code ./mc}, so the check runs as in the service, and a fixed heap, so that no fork
     * resizes it while it is measured.
     */
    static final List<String> FORK_JVM_ARGS =
            List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g");

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--forks",
            defaultValue = "1",
            description = "JVMs per benchmark and thread count (default: ${DEFAULT-VALUE}).")
    private int forks;

    @Option(
            names = "--warmup-iterations",
            defaultValue = "5",
            description = "Warm-up iterations per fork (default: ${DEFAULT-VALUE}).")
    private int warmupIterations;

    @Option(
            names = "--iterations",
            defaultValue = "5",
            description = "Measurement iterations per fork (default: ${DEFAULT-VALUE}).")
    private int iterations;

    @Option(
            names = "--iteration-seconds",
            defaultValue = "1",
            description = "Length of each iteration (default: ${DEFAULT-VALUE}).")
    private int iterationSeconds;

    @Option(
            names = "--threads",
            defaultValue = "1,2",
            split = ",",
            description = "Thread counts, one JMH run each (default: ${DEFAULT-VALUE}).")
    private List<Integer> threads;

    @Mixin
    private ReportOptions report;

    @Override
    public Integer call() throws Exception {
        FlowSettings settings = settings();
        RunEnvironment environment =
                RunEnvironment.capture(spec.commandLine().getParseResult().originalArgs());
        Progress.say("starting Redis A and B (a local topology of cache servers only) for the token store ...");
        List<FlowReport.Measurement> measurements = new ArrayList<>();
        TopologyOptions cacheOnly = new TopologyOptions(
                InProcessService.benchTargetDir().resolve("flow-topology"), List.of(), EnumSet.of(StoreKind.CACHE));
        try (LocalTopology topology = LocalTopology.start(cacheOnly)) {
            String redis = topology.redisUri("redis-a");
            Progress.say("JMH: " + BENCHMARKS + " benchmarks × threads " + settings.threads() + ", at least "
                    + settings.plannedSeconds(BENCHMARKS) + " s of iterations ...");
            for (int t : settings.threads()) {
                for (RunResult result : new Runner(options(settings, t, redis)).run()) {
                    measurements.add(measurement(result));
                }
            }
        }
        String body = FlowReport.markdown(measurements, settings, environment);
        System.out.println();
        System.out.println(body);
        if (report.wanted()) {
            Progress.say("wrote the flow section of " + report.writeSection(FlowReport.SECTION, body));
        }
        return measurements.size() == BENCHMARKS * settings.threads().size() ? 0 : 1;
    }

    private FlowSettings settings() {
        try {
            return new FlowSettings(
                    forks,
                    warmupIterations,
                    iterations,
                    iterationSeconds,
                    threads,
                    FORK_JVM_ARGS,
                    Version.getPlainVersion(),
                    FlowCheck.LIMIT,
                    FlowCheckBenchmark.KEY_POOL);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private static Options options(FlowSettings settings, int threads, String redis) {
        List<String> jvmArgs = new ArrayList<>(settings.forkJvmArgs());
        jvmArgs.add("-D" + FlowCheckBenchmark.REDIS_URL_PROPERTY + "=" + redis);
        TimeValue iteration = TimeValue.seconds(settings.iterationSeconds());
        return new OptionsBuilder()
                .include("^" + Pattern.quote(FlowCheckBenchmark.class.getName()) + "\\.")
                .forks(settings.forks())
                .warmupIterations(settings.warmupIterations())
                .warmupTime(iteration)
                .measurementIterations(settings.measurementIterations())
                .measurementTime(iteration)
                .threads(threads)
                .jvmArgs(jvmArgs.toArray(String[]::new))
                // A refused check or a token store gone throws: that run has no figure, rather than a wrong one.
                .shouldFailOnError(true)
                .build();
    }

    static FlowReport.Measurement measurement(RunResult result) {
        String benchmark = result.getParams().getBenchmark();
        return new FlowReport.Measurement(
                benchmark.substring(benchmark.lastIndexOf('.') + 1),
                result.getParams().getThreads(),
                result.getPrimaryResult().getScore(),
                result.getPrimaryResult().getScoreError());
    }
}
