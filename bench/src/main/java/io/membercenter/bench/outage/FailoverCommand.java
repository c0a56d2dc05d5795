package io.membercenter.bench.outage;

import io.membercenter.bench.InProcessService;
import io.membercenter.bench.report.Progress;
import io.membercenter.bench.report.ReportOptions;
import io.membercenter.bench.report.RunEnvironment;
import io.membercenter.bench.suite.Population;
import io.membercenter.topology.LocalTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./mc bench failover [--scenario NAME]}: see {@link FailoverScenario} and {@link FailoverReport}. */
@Command(
        name = "failover",
        mixinStandardHelpOptions = true,
        description =
                "Runs the ORDER mix at a fixed rate with the failover on, does one scenario's drill under it (kill"
                        + " -9 of mysql-a, search-primary or redis-a at a quarter of the run and its restart at half; or a"
                        + " planned switchover to B at a quarter and the failback at three quarters), checks every"
                        + " acknowledged write, and writes the scenario's section of BENCHMARKS.md and its chart.")
public final class FailoverCommand implements Callable<Integer> {

    private static final String KINDS_PROPERTY = "membercenter.topology.kinds";
    /** Every kind the mix touches, and the ensemble the failover is coordinated in. */
    private static final String KINDS = "db,cache,mq,search,coordination";

    private static final Duration OUTAGE_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--scenario",
            defaultValue = "mysql-a",
            converter = FailoverScenario.Converter.class,
            description = "mysql-a (kill -9 of the master, restart as replica, failback by hand at three quarters),"
                    + " search-primary, redis-a (kill -9, restart at half), switchover (to B by hand at a quarter,"
                    + " failback at three quarters); section failover or failover-<scenario>"
                    + " (default: ${DEFAULT-VALUE}).")
    private FailoverScenario scenario;

    @Option(
            names = "--seconds",
            defaultValue = "120",
            description = "Length of the load: the drill's steps are at quarters of it (default: ${DEFAULT-VALUE}).")
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
        if (!scenario.byFailoverCommand()) {
            throw new ParameterException(
                    spec.commandLine(), "scenario " + scenario.option() + " is ./mc drill " + scenario.option());
        }
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
            AtomicLong disturbedWallMillis = new AtomicLong();
            Progress.say(String.format(
                    Locale.ROOT,
                    "scenario %s: ORDER mix at %s/s for %d s; %s",
                    scenario.option(),
                    TimelineChart.number(settings.ratePerSecond()),
                    settings.length().toSeconds(),
                    scenario.plan(settings)));
            CompletableFuture<Optional<OutageWindow>> window = scenario.kill()
                    .map(kill -> new MasterOutage(
                                    killed(topology, kill, disturbedWallMillis), settings.stopAt(), settings.startAt())
                            .begin(origin)
                            .thenApply(Optional::of))
                    .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
            CompletableFuture<List<FailoverReport.SwitchCall>> switches =
                    CompletableFuture.supplyAsync(() -> switchByHand(admin, settings, origin, disturbedWallMillis));
            OutageLoad.Run load = new OutageLoad(
                            settings.ratePerSecond(), OutageSettings.MAX_IN_FLIGHT, settings.length())
                    .run(mix, origin);
            Optional<OutageWindow> happened = window.get(OUTAGE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<FailoverReport.SwitchCall> switched = switches.get(OUTAGE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            scenario.kill().ifPresent(kill -> {
                if (!topology.isUp(kill.store())) restart(topology, kill);
            });
            Optional<FailoverAdmin.Switch> automatic = admin.promotionSince(disturbedWallMillis.get());
            Progress.say("checking every member written (" + ledger.size() + " writes) ...");
            admin.awaitComplete("A", SETTLE);
            List<Long> lost =
                    new ArrayList<>(ledger.lost(memberId -> admin.nickname(memberId, OutageCommand.ORDER_KEY)));
            Timeline timeline = new Timeline(load.samples(), Timeline.BUCKET, settings.length());
            run = new FailoverReport.Run(
                    scenario,
                    timeline,
                    settings.warmup().toNanos(),
                    load.unanswered(),
                    happened,
                    switched,
                    disturbedWallMillis.get(),
                    automatic,
                    lost,
                    ledger.membersWithAcknowledgedWrites());
        }
        return publish(run, settings, environment, report, charts);
    }

    /**
     * Prints the run's section and, unless {@code --no-report}, writes it into the report with its chart in
     * {@code charts} (next to the report); {@code ./mc drill dc-a} publishes the same way. Exit code 1 when an
     * acknowledged write was lost.
     */
    static int publish(
            FailoverReport.Run run,
            OutageSettings settings,
            RunEnvironment environment,
            ReportOptions report,
            Path charts)
            throws IOException {
        FailoverScenario scenario = run.scenario();
        String body = FailoverReport.markdown(
                run, settings, environment, charts.resolve(scenario.chartFile()).toString());
        System.out.println();
        System.out.println(body);
        if (report.wanted()) {
            Path chartDir = report.folder().resolve(charts);
            Files.createDirectories(chartDir);
            new TimelineChart(
                            "ORDER mix at " + TimelineChart.number(settings.ratePerSecond())
                                    + "/s against the instance in " + scenario.loadedDataCenter() + ": "
                                    + scenario.plan(settings),
                            run.timeline().buckets(),
                            run.shaded(),
                            settings.warmup().toNanos(),
                            OutageSettings.WRITE_GOAL,
                            scenario.shadeBegins(),
                            scenario.shadeEnds())
                    .write(chartDir.resolve(scenario.chartFile()));
            Path written = report.writeSection(scenario.section(), scenario.command(), body);
            Progress.say("wrote the " + scenario.section() + " section of " + written);
        }
        return run.lost().isEmpty() ? 0 : 1;
    }

    /** The store of the drill: SIGKILL (its moment noted on the history's clock), then its restart. */
    private static MasterOutage.Store killed(
            LocalTopology topology, FailoverScenario.Kill kill, AtomicLong disturbedWallMillis) {
        return new MasterOutage.Store() {
            @Override
            public void stop() {
                disturbedWallMillis.compareAndSet(0, System.currentTimeMillis());
                topology.kill(kill.store());
            }

            @Override
            public void start() {
                restart(topology, kill);
            }
        };
    }

    private static void restart(LocalTopology topology, FailoverScenario.Kill kill) {
        if (kill.asReplica()) {
            topology.startAsReplica(kill.store());
        } else {
            topology.start(kill.store());
        }
    }

    /**
     * The scenario's switches by hand, each at its moment, in order. A call the service does not answer is recorded
     * with status 0 and the run goes on: the report says so instead of the run failing without a section.
     */
    private List<FailoverReport.SwitchCall> switchByHand(
            FailoverAdmin admin, OutageSettings settings, long origin, AtomicLong disturbedWallMillis) {
        List<FailoverReport.SwitchCall> calls = new ArrayList<>();
        for (FailoverScenario.PlannedSwitch planned : scenario.switches()) {
            OutageLoad.sleepUntil(origin + planned.at(settings.length()).toNanos());
            disturbedWallMillis.compareAndSet(0, System.currentTimeMillis());
            long called = System.nanoTime() - origin;
            String reason =
                    "bench: " + planned.name() + " to " + planned.to() + " (scenario " + scenario.option() + ")";
            int status;
            try {
                status = planned.isFailback() ? admin.failback(reason) : admin.failover(planned.to(), reason);
            } catch (IllegalStateException noAnswer) {
                Progress.say(planned.name() + " got no answer: " + noAnswer.getMessage());
                status = Sample.NO_ANSWER;
            }
            calls.add(new FailoverReport.SwitchCall(planned, called, System.nanoTime() - origin, status));
        }
        return calls;
    }
}
