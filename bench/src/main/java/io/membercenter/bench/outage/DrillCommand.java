package io.membercenter.bench.outage;

import io.membercenter.bench.InProcessService;
import io.membercenter.bench.report.Progress;
import io.membercenter.bench.report.ReportOptions;
import io.membercenter.bench.report.RunEnvironment;
import io.membercenter.bench.suite.Population;
import io.membercenter.topology.LocalTopology;
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
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./mc drill dc-a}: the whole-data-center drill. Both instances run (A, and B in its own context); the ORDER
 * mix runs against the instance in B; at a quarter of the run every server of data center A gets SIGKILL — mysql-a
 * (the master), redis-a, Kafka, search-primary, search-marketing, zk-1 — and the instance in A is closed with them;
 * at half they come back (mysql-a as a replica) with a new instance in A; at three quarters the database is failed
 * back by hand. The failover leader is made to be the instance in B first: a leader lost with A would hand over only
 * at the end of its ZooKeeper session (4 s), which {@code DataCenterDrillTest}'s note describes. Every acknowledged
 * write is checked at the end, as in {@code ./mc bench failover}, whose report this shares (scenario
 * {@link FailoverScenario#DC_A}).
 */
@Command(
        name = "drill",
        mixinStandardHelpOptions = true,
        description = "Whole-data-center drill: the ORDER mix against the instance in B while every server of data"
                + " center A is killed (SIGKILL) at a quarter of the run, brought back at half (mysql-a as a"
                + " replica), failed back by hand at three quarters; every acknowledged write checked.")
public final class DrillCommand implements Callable<Integer> {

    private static final FailoverScenario SCENARIO = FailoverScenario.DC_A;
    private static final String KINDS_PROPERTY = "membercenter.topology.kinds";
    private static final String KINDS = "db,cache,mq,search,coordination";
    /** Every server of data center A the service uses; mysql-a first, the moment the run is timed from. */
    static final List<String> SERVERS_OF_A =
            List.of("mysql-a", "redis-a", "kafka", "search-primary", "search-marketing", "zk-1");

    private static final Duration OUTAGE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SETTLE = Duration.ofSeconds(90);

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", description = "The data center to lose: dc-a (the one with the master).")
    private String dataCenter;

    @Option(
            names = "--seconds",
            // 240 s and 50 s: the first 60-90 s after the population's indexing are overloaded on two cores (the
            // failover scenarios' 120 s runs showed it); the loss of A then falls into a steady state.
            defaultValue = "240",
            description = "Length of the load: A lost at a quarter, back at half, failback at three quarters"
                    + " (default: ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(
            names = "--warmup",
            defaultValue = "50s",
            description = "Start of the load left out of the rows (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Mixin
    private OrderMixOptions options;

    @Mixin
    private ReportOptions report;

    @Override
    public Integer call() throws Exception {
        if (!"dc-a".equals(dataCenter)) {
            throw new ParameterException(
                    spec.commandLine(), "only dc-a can be drilled: it holds the master; was " + dataCenter);
        }
        OutageSettings settings = options.settings(spec, seconds, warmup);
        RunEnvironment environment =
                RunEnvironment.capture(spec.commandLine().getParseResult().originalArgs());
        if (System.getProperty(KINDS_PROPERTY) == null) System.setProperty(KINDS_PROPERTY, KINDS);
        Progress.say("starting the local topology (with the ZooKeeper ensemble) and the instance in A ...");
        AtomicReference<InProcessService> instanceInA = new AtomicReference<>(InProcessService.start());
        FailoverReport.Run run;
        try (InProcessService instanceInB = InProcessService.startInDataCenterB()) {
            LocalTopology topology = instanceInA.get().topology();
            FailoverAdmin admin = new FailoverAdmin(instanceInB.port());
            admin.awaitComplete("A", SETTLE);
            leadFromB(instanceInA, admin);
            OutageCommand.load(instanceInA.get(), topology, settings.members(), settings.loadWorkers());
            topology.awaitReplicaCaughtUp(SETTLE);
            Population keys = new Population(settings.members(), OutageSettings.ZIPF_EXPONENT);
            long origin = System.nanoTime() + Duration.ofMillis(200).toNanos();
            WriteLedger ledger = new WriteLedger();
            OrderMix mix = new OrderMix(
                    new OrderCalls(instanceInB.port(), OutageCommand.ORDER_KEY), keys, Optional.of(ledger), origin);
            AtomicLong lostWallMillis = new AtomicLong();
            MasterOutage outage = new MasterOutage(
                    new MasterOutage.Store() {
                        @Override
                        public void stop() {
                            lostWallMillis.set(System.currentTimeMillis());
                            SERVERS_OF_A.forEach(topology::kill);
                            instanceInA.getAndSet(null).close();
                        }

                        @Override
                        public void start() {
                            bringBack(topology);
                            instanceInA.set(InProcessService.start());
                        }
                    },
                    settings.stopAt(),
                    settings.startAt());
            FailoverScenario.PlannedSwitch failback = SCENARIO.switches().getFirst();
            Progress.say(String.format(
                    Locale.ROOT,
                    "ORDER mix at %s/s for %d s against the instance in B; %s",
                    TimelineChart.number(settings.ratePerSecond()),
                    settings.length().toSeconds(),
                    SCENARIO.plan(settings)));
            CompletableFuture<OutageWindow> window = outage.begin(origin);
            CompletableFuture<FailoverReport.SwitchCall> failedBack = CompletableFuture.supplyAsync(() -> {
                OutageLoad.sleepUntil(origin + failback.at(settings.length()).toNanos());
                awaitQuietly(admin, "B");
                long called = System.nanoTime() - origin;
                int status = admin.failback("drill: data center A is back");
                return new FailoverReport.SwitchCall(failback, called, System.nanoTime() - origin, status);
            });
            OutageLoad.Run load = new OutageLoad(
                            settings.ratePerSecond(), OutageSettings.MAX_IN_FLIGHT, settings.length())
                    .run(mix, origin);
            OutageWindow happened = window.get(OUTAGE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            FailoverReport.SwitchCall switched = failedBack.get(OUTAGE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Optional<FailoverAdmin.Switch> automatic = admin.promotionSince(lostWallMillis.get());
            Progress.say("checking every member written (" + ledger.size() + " writes) ...");
            admin.awaitComplete("A", SETTLE);
            FailoverAdmin inA = new FailoverAdmin(instanceInA.get().port());
            List<Long> lost = new ArrayList<>(ledger.lost(memberId -> inA.nickname(memberId, OutageCommand.ORDER_KEY)));
            run = new FailoverReport.Run(
                    SCENARIO,
                    new Timeline(load.samples(), Timeline.BUCKET, settings.length()),
                    settings.warmup().toNanos(),
                    load.unanswered(),
                    Optional.of(happened),
                    List.of(switched),
                    lostWallMillis.get(),
                    automatic,
                    lost,
                    ledger.membersWithAcknowledgedWrites());
        } finally {
            InProcessService left = instanceInA.get();
            if (left != null) left.close();
        }
        return FailoverCommand.publish(run, settings, environment, report, Path.of("benchmarks"));
    }

    /**
     * The instance in A started first and so leads; it is restarted once so that the one in B leads, as the drill
     * needs (see the class comment).
     */
    private static void leadFromB(AtomicReference<InProcessService> instanceInA, FailoverAdmin admin)
            throws InterruptedException {
        if (admin.leader().filter(id -> id.startsWith("B-")).isPresent()) return;
        Progress.say("restarting the instance in A so that the one in B leads the failover ...");
        instanceInA.getAndSet(null).close();
        long giveUpAt = System.nanoTime() + SETTLE.toNanos();
        while (admin.leader().filter(id -> id.startsWith("B-")).isEmpty()) {
            if (System.nanoTime() > giveUpAt) throw new IllegalStateException("the instance in B did not lead");
            Thread.sleep(100);
        }
        instanceInA.set(InProcessService.start());
    }

    /** ZooKeeper first (the instance in A needs it), mysql-a as a replica, the rest at once on their own threads. */
    private static void bringBack(LocalTopology topology) {
        topology.start("zk-1");
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        starts.add(CompletableFuture.runAsync(() -> topology.startAsReplica("mysql-a")));
        SERVERS_OF_A.stream()
                .filter(server -> !server.equals("mysql-a") && !server.equals("zk-1"))
                .forEach(server -> starts.add(CompletableFuture.runAsync(() -> topology.start(server))));
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
    }

    /** The failback is refused while A may lack writes: wait (bounded) until the record calls no copy stale. */
    private static void awaitQuietly(FailoverAdmin admin, String master) {
        try {
            admin.awaitComplete(master, SETTLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException notYet) {
            Progress.say("the failback is tried although " + notYet.getMessage());
        }
    }
}
