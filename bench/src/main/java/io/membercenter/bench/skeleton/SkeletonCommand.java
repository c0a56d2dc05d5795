package io.membercenter.bench.skeleton;

import io.membercenter.bench.api.MemberApi;
import io.membercenter.bench.baseline.JdbcBaseline;

import io.membercenter.bench.InProcessService;
import io.membercenter.bench.report.BenchmarksFile;
import io.membercenter.bench.report.ResultRow;
import io.membercenter.bench.report.ResultTable;
import io.membercenter.bench.report.RunEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./mc bench skeleton}: see the package documentation for what it measures. */
@Command(name = "skeleton", mixinStandardHelpOptions = true,
        description = "The service's create and get-by-id against plain JDBC on the same MariaDB, side by side.")
public final class SkeletonCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--duration", defaultValue = "10s", description = "Measured time per row (default: ${DEFAULT-VALUE}).")
    private Duration measured;

    @Option(names = "--warmup", defaultValue = "3s", description = "Unrecorded time before each row (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Option(names = "--concurrency", defaultValue = "16",
            description = "Closed-loop workers, service and baseline alike (default: ${DEFAULT-VALUE}).")
    private int concurrency;

    @Option(names = "--members", defaultValue = "20000",
            description = "Members created through the API before the reads (default: ${DEFAULT-VALUE}).")
    private int members;

    @Option(names = "--keys", defaultValue = "zipfian",
            description = "Which members the reads ask for: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private SkeletonSettings.KeyDistribution keys;

    @Option(names = "--zipf-exponent", defaultValue = "0.99", description = "Skew of --keys zipfian (default: ${DEFAULT-VALUE}).")
    private double zipfExponent;

    @Option(names = "--open-loop-fraction", defaultValue = "0.5",
            description = "Also run open-loop rows at this fraction of the service's closed-loop ops/s; 0 for none "
                    + "(default: ${DEFAULT-VALUE}).")
    private double openLoopFraction;

    @Option(names = "--max-in-flight", defaultValue = "1024",
            description = "Open loop: requests in flight at most; more are dropped and counted (default: ${DEFAULT-VALUE}).")
    private int maxInFlight;

    /** ORDER traffic has no hot-key limit, so a skewed read measures the service, not its flow control. */
    @Option(names = "--api-key", defaultValue = "local-order-key",
            description = "The caller's API key; needs member:read and member:write (default: ${DEFAULT-VALUE}).")
    private String apiKey;

    @Option(names = "--report", defaultValue = "BENCHMARKS.md",
            description = "The file whose skeleton section is rewritten (default: ${DEFAULT-VALUE}).")
    private Path report;

    @Option(names = "--no-report", description = "Print the results only.")
    private boolean noReport;

    @Override
    public Integer call() throws Exception {
        SkeletonSettings settings = settings();
        RunEnvironment environment = RunEnvironment.capture(spec.commandLine().getParseResult().originalArgs());
        progress("starting the local topology and the service ...");
        List<ResultRow> rows;
        String mariaDbVersion;
        try (InProcessService service = InProcessService.start();
                JdbcBaseline jdbc = new JdbcBaseline(service.topology(),
                        service.intProperty("member-center.shard.pool-size", 16))) {
            progress("service on port " + service.port());
            mariaDbVersion = jdbc.serverVersion();
            MemberApi api = new MemberApi(service.port(), apiKey, new MemberApi.MobileNumbers());
            rows = new SkeletonScenario(settings, api, jdbc, SkeletonCommand::progress).run();
        }
        System.out.println();
        System.out.print(ResultTable.console(rows));
        if (!noReport) {
            BenchmarksFile.writeSection(report, "skeleton", SkeletonReport.markdown(rows, settings, environment, mariaDbVersion));
            progress("wrote the skeleton section of " + report.toAbsolutePath().normalize());
        }
        return rows.stream().anyMatch(row -> row.result().succeeded() == 0) ? 1 : 0;
    }

    private SkeletonSettings settings() {
        try {
            return new SkeletonSettings(warmup, measured, concurrency, members, keys, zipfExponent, openLoopFraction,
                    maxInFlight, apiKey);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private static void progress(String message) {
        System.out.println("[bench] " + message);
    }
}
