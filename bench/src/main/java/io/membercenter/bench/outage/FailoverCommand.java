package io.membercenter.bench.outage;

import io.membercenter.bench.InProcessService;
import io.membercenter.bench.report.Progress;
import io.membercenter.bench.report.ReportOptions;
import io.membercenter.bench.report.RunEnvironment;
import io.membercenter.bench.suite.Population;
import io.membercenter.topology.LocalTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

/** {@code ./mc bench failover}: see {@link FailoverReport} for what it measures. */
@Command(
        name = "failover",
        mixinStandardHelpOptions = true,
        description = "Runs the ORDER mix at a fixed rate with the failover on, kills mysql-a (SIGKILL) at a quarter of"
                + " the run, starts it again as a replica at half, fails back by hand at three quarters, checks every"
                + " acknowledged write, and writes the failover section of BENCHMARKS.md and its chart.")
public final class FailoverCommand implements Callable<Integer> {

    private static final String KINDS_PROPERTY = "membercenter.topology.kinds";
    /** Every kind the mix touches, and the ensemble the failover is coordinated in. */
    private static final String KINDS = "db,cache,mq,search,coordination";

    private static final Duration OUTAGE_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--seconds",
            defaultValue = "120",
            description = "Length of the load: kill at a quarter, restart at half, failback at three quarters"
                    + " (default: ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(
            names = "--warmup",
            defaultValue = "10s",
            description = "Start of the load left out of the rows (default: ${DEFAULT-VALUE}).")
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
        if (System.getProperty(KINDS_PROPERTY) == null) System.setProperty(KINDS_PROPERTY, KINDS);
        Progress.say("starting the local topology (with the ZooKeeper ensemble) and the service ...");
        FailoverReport.Run run;
        try (InProcessService service = InProcessService.start()) {
            LocalTopology topology = service.topology();
            FailoverAdmin admin = new FailoverAdmin(service.port());
            admin.awaitComplete("A", SETTLE);
            OutageCommand.load(service, topology, settings.members(), settings.loadWorkers());
            Population keys = new Population(settings.members(), OutageSettings.ZIPF_EXPONENT);
            Duration lead = Duration.ofMillis(200);
            long origin = System.nanoTime() + lead.toNanos();
            WriteLedger ledger = new WriteLedger();
            OrderMix mix = new OrderMix(
                    new OrderCalls(service.port(), OutageCommand.ORDER_KEY), keys, Optional.of(ledger), origin);
            long[] killedWallMillis = new long[1];
            MasterOutage outage = new MasterOutage(
                    new MasterOutage.Store() {
                        @Override
                        public void stop() {
                            killedWallMillis[0] = System.currentTimeMillis();
                            topology.kill(OutageSettings.STORE);
                        }

                        @Override
                        public void start() {
                            topology.startAsReplica(OutageSettings.STORE);
                        }
                    },
                    settings.stopAt(),
                    settings.startAt());
            Duration failbackAt = settings.length().multipliedBy(3).dividedBy(4);
            Progress.say(String.format(
                    java.util.Locale.ROOT,
                    "ORDER mix at %s/s for %d s; kill -9 of %s at %d s, restart as replica at %d s, failback at %d s",
                    TimelineChart.number(settings.ratePerSecond()),
                    settings.length().toSeconds(),
                    OutageSettings.STORE,
                    settings.stopAt().toSeconds(),
                    settings.startAt().toSeconds(),
                    failbackAt.toSeconds()));
            CompletableFuture<OutageWindow> window = outage.begin(origin);
            CompletableFuture<long[]> failback = CompletableFuture.supplyAsync(() -> {
                OutageLoad.sleepUntil(origin + failbackAt.toNanos());
                long called = System.nanoTime() - origin;
                int status = admin.failback("bench: failback after the kill -9 drill");
                return new long[] {called, System.nanoTime() - origin, status};
            });
            OutageLoad.Run load = new OutageLoad(
                            settings.ratePerSecond(), OutageSettings.MAX_IN_FLIGHT, settings.length())
                    .run(mix, origin);
            OutageWindow happened = window.get(OUTAGE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            long[] failedBack = failback.get(OUTAGE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!topology.isUp(OutageSettings.STORE)) topology.startAsReplica(OutageSettings.STORE);
            Optional<FailoverAdmin.Switch> automatic = admin.switches().stream()
                    .filter(s -> s.by().startsWith("failover-leader"))
                    .filter(s -> s.at().toEpochMilli() >= killedWallMillis[0])
                    .findFirst();
            Progress.say("checking every member written (" + ledger.size() + " writes) ...");
            admin.awaitComplete("A", SETTLE);
            List<Long> lost =
                    new ArrayList<>(ledger.lost(memberId -> admin.nickname(memberId, OutageCommand.ORDER_KEY)));
            Timeline timeline = new Timeline(load.samples(), Timeline.BUCKET, settings.length());
            run = new FailoverReport.Run(
                    timeline,
                    settings.warmup().toNanos(),
                    load.unanswered(),
                    happened,
                    killedWallMillis[0],
                    automatic,
                    failedBack[0],
                    failedBack[1],
                    (int) failedBack[2],
                    lost,
                    ledger.membersWithAcknowledgedWrites());
        }
        String chart = charts.resolve("failover.svg").toString();
        String body = FailoverReport.markdown(run, settings, environment, chart);
        System.out.println();
        System.out.println(body);
        if (report.wanted()) {
            Path chartDir = report.folder().resolve(charts);
            Files.createDirectories(chartDir);
            new TimelineChart(
                            "ORDER mix at " + TimelineChart.number(settings.ratePerSecond()) + "/s, kill -9 of "
                                    + OutageSettings.STORE + " at "
                                    + settings.stopAt().toSeconds()
                                    + " s (shaded until it is back as a replica), failback at "
                                    + settings.length()
                                            .multipliedBy(3)
                                            .dividedBy(4)
                                            .toSeconds() + " s",
                            run.timeline().buckets(),
                            run.window(),
                            settings.warmup().toNanos(),
                            OutageSettings.WRITE_GOAL)
                    .write(chartDir.resolve("failover.svg"));
            Progress.say("wrote the failover section of " + report.writeSection(FailoverReport.SECTION, body));
        }
        return run.lost().isEmpty() ? 0 : 1;
    }
}
