package io.membercenter.bench.outage;

import io.membercenter.bench.InProcessService;
import io.membercenter.bench.baseline.JdbcBaseline;
import io.membercenter.bench.population.IndexingWait;
import io.membercenter.bench.population.PopulationLoader;
import io.membercenter.bench.report.MachineLoad;
import io.membercenter.bench.report.MachineMeter;
import io.membercenter.bench.report.Progress;
import io.membercenter.bench.report.ReportOptions;
import io.membercenter.bench.report.RunEnvironment;
import io.membercenter.bench.suite.Population;
import io.membercenter.member.MemberBulkLoad;
import io.membercenter.topology.LocalTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./mc bench outage}: see the package documentation for what it measures. */
@Command(
        name = "outage",
        mixinStandardHelpOptions = true,
        description =
                "Runs the ORDER mix at a fixed rate, stops mysql-a at a quarter of the run and starts it at half, "
                        + "and writes the outage section of BENCHMARKS.md and its chart.")
public final class OutageCommand implements Callable<Integer> {

    static final String ORDER_KEY = "local-order-key";
    private static final Duration INDEXING_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration OUTAGE_TIMEOUT = Duration.ofMinutes(3);

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--seconds",
            defaultValue = "120",
            description =
                    "Length of the load; mysql-a stops at a quarter and starts at half (default: ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(
            names = "--warmup",
            defaultValue = "10s",
            description =
                    "Start of the load left out of the rows, inside the first quarter (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Mixin
    private OrderMixOptions options;

    @Mixin
    private ReportOptions report;

    @Option(
            names = "--charts",
            defaultValue = "benchmarks",
            description = "Folder of the SVG chart, next to the report (default: ${DEFAULT-VALUE}).")
    private Path charts;

    @Override
    public Integer call() throws Exception {
        OutageSettings settings = options.settings(spec, seconds, warmup);
        RunEnvironment environment =
                RunEnvironment.capture(spec.commandLine().getParseResult().originalArgs());
        Progress.say("starting the local topology and the service ...");
        OutageResult result;
        OutageReport.Machine machine;
        List<Timeline.Bucket> buckets;
        String mariaDbVersion;
        try (InProcessService service = InProcessService.start()) {
            LocalTopology topology = service.topology();
            try (JdbcBaseline jdbc = new JdbcBaseline(topology, 1)) {
                mariaDbVersion = jdbc.serverVersion();
            }
            load(service, topology, settings.members(), settings.loadWorkers());
            Population keys = new Population(settings.members(), OutageSettings.ZIPF_EXPONENT);
            OrderMix mix = new OrderMix(new OrderCalls(service.port(), ORDER_KEY), keys);
            OutageLoad load = new OutageLoad(settings.ratePerSecond(), OutageSettings.MAX_IN_FLIGHT, settings.length());
            MasterOutage outage = new MasterOutage(
                    new MasterOutage.Store() {
                        @Override
                        public void stop() {
                            topology.stop(OutageSettings.STORE);
                        }

                        @Override
                        public void start() {
                            topology.start(OutageSettings.STORE);
                        }
                    },
                    settings.stopAt(),
                    settings.startAt());
            Duration lead = Duration.ofMillis(200);
            long origin = System.nanoTime() + lead.toNanos();
            Meters meters = Meters.start(settings, lead);
            Progress.say(String.format(
                    java.util.Locale.ROOT,
                    "ORDER mix at %s/s for %d s; %s stops at %d s and starts at %d s ...",
                    TimelineChart.number(settings.ratePerSecond()),
                    settings.length().toSeconds(),
                    OutageSettings.STORE,
                    settings.stopAt().toSeconds(),
                    settings.startAt().toSeconds()));
            CompletableFuture<OutageWindow> window = outage.begin(origin);
            OutageLoad.Run run = load.run(mix, origin);
            OutageWindow happened = window.get(OUTAGE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!topology.isUp(OutageSettings.STORE)) topology.start(OutageSettings.STORE);
            Timeline timeline = new Timeline(run.samples(), Timeline.BUCKET, settings.length());
            buckets = timeline.buckets();
            result = OutageResult.of(timeline, happened, settings.warmup().toNanos(), run.unanswered());
            machine = meters.join();
        }
        String body = OutageReport.markdown(
                result,
                settings,
                machine,
                environment,
                mariaDbVersion,
                charts.resolve("outage.svg").toString());
        System.out.println();
        System.out.println(body);
        if (report.wanted()) {
            Path chartDir = report.folder().resolve(charts);
            Files.createDirectories(chartDir);
            new TimelineChart(
                            "ORDER mix at " + TimelineChart.number(settings.ratePerSecond()) + "/s, "
                                    + OutageSettings.STORE + " stopped from "
                                    + settings.stopAt().toSeconds()
                                    + " s to " + settings.startAt().toSeconds() + " s",
                            buckets,
                            result.window(),
                            settings.warmup().toNanos(),
                            OutageSettings.WRITE_GOAL)
                    .write(chartDir.resolve("outage.svg"));
            Path written = report.writeSection(OutageReport.SECTION, body);
            Progress.say("wrote the outage section of " + written + " and "
                    + chartDir.resolve("outage.svg").normalize());
        }
        return result.before().reads().succeeded() == 0 ? 1 : 0;
    }

    /**
     * The members into the shards, then into every search cluster through replication (outbox, Kafka,
     * indexers), as the suite loads them: reads fall back to search while MySQL is away, and the indexers
     * should be done before the load begins.
     */
    static void load(InProcessService service, LocalTopology topology, int members, int loadWorkers) throws Exception {
        new PopulationLoader(loadWorkers, 1_000)
                .load(
                        "member-center shards",
                        members,
                        PopulationLoader.into(service.bean(MemberBulkLoad.class)),
                        Progress::say);
        IndexingWait.await(
                topology, List.of("search-primary", "search-backup", "search-marketing"), members, INDEXING_TIMEOUT);
    }

    /** CPU over each phase's planned window (the outage's real moments are known only once it has happened). */
    private record Meters(
            CompletableFuture<Optional<MachineLoad>> before,
            CompletableFuture<Optional<MachineLoad>> down,
            CompletableFuture<Optional<MachineLoad>> after) {

        static Meters start(OutageSettings settings, Duration lead) {
            return new Meters(
                    MachineMeter.measureWindow(
                            lead.plus(settings.warmup()), settings.stopAt().minus(settings.warmup())),
                    MachineMeter.measureWindow(
                            lead.plus(settings.stopAt()), settings.startAt().minus(settings.stopAt())),
                    MachineMeter.measureWindow(
                            lead.plus(settings.startAt()), settings.length().minus(settings.startAt())));
        }

        OutageReport.Machine join() {
            return new OutageReport.Machine(before.join(), down.join(), after.join());
        }
    }
}
