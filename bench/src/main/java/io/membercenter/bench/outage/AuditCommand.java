package io.membercenter.bench.outage;

import io.membercenter.bench.InProcessService;
import io.membercenter.bench.report.MachineLoad;
import io.membercenter.bench.report.MachineMeter;
import io.membercenter.bench.report.Progress;
import io.membercenter.bench.report.ReportOptions;
import io.membercenter.bench.report.RunEnvironment;
import io.membercenter.bench.suite.Population;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./mc bench audit}: see {@link AuditReport} for what it measures. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Loads a population, runs the ORDER mix quiet and while a full relationship audit is stepped"
                + " (slices taking turns), then the DEFAULT mix with the consistency checker on, and writes the audit"
                + " section of BENCHMARKS.md.")
public final class AuditCommand implements Callable<Integer> {

    static final String ADMIN_KEY = "local-admin-key";
    static final String APP_KEY = "local-app-key";
    /** The test profile's window: above marker-ttl (2 s) plus search's refresh-interval (1 s). */
    static final Duration REPLICATION_WINDOW = Duration.ofSeconds(4);
    /** After the DEFAULT mix, the checker's last changes come of age and are checked: a window and some passes. */
    private static final Duration CHECKER_TAIL = REPLICATION_WINDOW.plusSeconds(3);

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--members",
            defaultValue = "1000000",
            description = "Population loaded first (default: ${DEFAULT-VALUE}).")
    private int members;

    @Option(
            names = "--rate",
            defaultValue = "150",
            description = "Requests per second of the ORDER mix, open loop (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(
            names = "--quiet-slice",
            defaultValue = "20s",
            description = "Length of each quiet slice: ORDER alone (default: ${DEFAULT-VALUE}).")
    private Duration quietSlice;

    @Option(
            names = "--audit-slice",
            defaultValue = "30s",
            description = "Length of each audited slice: ORDER while audit steps run (default: ${DEFAULT-VALUE}).")
    private Duration auditSlice;

    @Option(
            names = "--warmup",
            defaultValue = "20s",
            description = "ORDER alone before the slices, not measured (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Option(
            names = "--audit-rows-per-second",
            defaultValue = "2000",
            description = "The audit's throttle, member-center.governance.rows-per-second (default: ${DEFAULT-VALUE},"
                    + " the service's own default).")
    private int rowsPerSecond;

    @Option(
            names = "--audit-pause",
            defaultValue = "0ms",
            description = "member-center.governance.pause-between-chunks (default: ${DEFAULT-VALUE}).")
    private Duration pause;

    @Option(
            names = "--default-rate",
            defaultValue = "100",
            description = "Requests per second of the DEFAULT mix (default: ${DEFAULT-VALUE}).")
    private double defaultRate;

    @Option(
            names = "--default-seconds",
            defaultValue = "60",
            description = "Length of the DEFAULT mix with the checker on (default: ${DEFAULT-VALUE}).")
    private int defaultSeconds;

    @Option(
            names = "--load-workers",
            defaultValue = "4",
            description = "Threads loading the population (default: ${DEFAULT-VALUE}).")
    private int loadWorkers;

    @Mixin
    private ReportOptions report;

    @Override
    public Integer call() throws Exception {
        AuditReport.Settings settings = settings();
        RunEnvironment environment =
                RunEnvironment.capture(spec.commandLine().getParseResult().originalArgs());
        Progress.say("starting the local topology and the service ...");
        AuditReport.Result result;
        try (InProcessService service = InProcessService.start(serviceSettings(settings))) {
            OutageCommand.load(service, service.topology(), members, loadWorkers);
            Population keys = new Population(members, OutageSettings.ZIPF_EXPONENT);
            OrderMix order = new OrderMix(new OrderCalls(service.port(), OutageCommand.ORDER_KEY), keys);
            AuditSteps steps = new AuditSteps(service.port(), ADMIN_KEY);
            Progress.say("warm-up: ORDER mix alone for " + warmup.toSeconds() + " s ...");
            if (!warmup.isZero()) run(order, rate, warmup);
            List<AuditReport.Measured> quiet = new ArrayList<>();
            List<AuditReport.Measured> audited = new ArrayList<>();
            AuditSteps.Progress audit = AuditSteps.Progress.NONE;
            for (int slice = 1; !audit.done(); slice++) {
                Progress.say("quiet " + slice + ": ORDER mix at " + TimelineChart.number(rate) + "/s for "
                        + quietSlice.toSeconds() + " s ...");
                quiet.add(run(order, rate, quietSlice));
                Progress.say("audited " + slice + ": the same while the audit is stepped ...");
                Audited step = audited(order, steps, audit);
                audit = step.audit();
                audited.add(step.measured());
                Progress.say(describe(audit));
            }
            Progress.say("DEFAULT mix at " + TimelineChart.number(defaultRate) + "/s for " + defaultSeconds
                    + " s, the consistency checker on ...");
            ConsistencySnapshot before = ConsistencySnapshot.fetch(service.port(), ADMIN_KEY);
            DefaultMix defaultMix = new DefaultMix(
                    new OrderCalls(service.port(), APP_KEY), keys, System.currentTimeMillis() % 1_000_000 * 10_000);
            AuditReport.Measured defaults = run(defaultMix, defaultRate, Duration.ofSeconds(defaultSeconds));
            Thread.sleep(CHECKER_TAIL);
            ConsistencySnapshot after = ConsistencySnapshot.fetch(service.port(), ADMIN_KEY);
            result = new AuditReport.Result(
                    AuditReport.Measured.of(quiet),
                    AuditReport.Measured.of(audited),
                    audit,
                    defaults,
                    after.since(before),
                    after);
        }
        String body = AuditReport.markdown(result, settings, environment);
        System.out.println();
        System.out.println(body);
        if (report.wanted()) {
            Progress.say("wrote the audit section of " + report.writeSection(AuditReport.SECTION, body));
        }
        return result.quiet().phase().order().isEmpty() ? 1 : 0;
    }

    private AuditReport.Settings settings() {
        if (members < 100
                || !(rate > 0)
                || !(defaultRate > 0)
                || rowsPerSecond < 1
                || pause.isNegative()
                || warmup.isNegative()
                || quietSlice.toSeconds() < 5
                || auditSlice.toSeconds() < 5
                || defaultSeconds < 10) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--members at least 100, rates positive, slices at least 5 s, --default-seconds at least 10,"
                            + " --audit-rows-per-second at least 1, durations not negative");
        }
        return new AuditReport.Settings(
                members,
                rate,
                quietSlice,
                auditSlice,
                warmup,
                rowsPerSecond,
                pause,
                defaultRate,
                Duration.ofSeconds(defaultSeconds),
                REPLICATION_WINDOW);
    }

    /**
     * The service as a deployment would set it for this run: the audit's throttle, and the checker's window
     * shortened to the test profile's so that its results come within the phase. Behind by more than a minute (the
     * load's own changes), the checker jumps to the newest change rather than checking the load.
     */
    static List<String> serviceSettings(AuditReport.Settings settings) {
        return List.of(
                "--member-center.governance.rows-per-second=" + settings.rowsPerSecond(),
                "--member-center.governance.pause-between-chunks="
                        + settings.pauseBetweenChunks().toMillis() + "ms",
                "--member-center.governance.consistency.enabled=true",
                "--member-center.governance.consistency.replication-window="
                        + settings.replicationWindow().toSeconds() + "s",
                "--member-center.governance.consistency.max-lag=1m");
    }

    private static AuditReport.Measured run(OutageLoad.Mix mix, double perSecond, Duration length) {
        CompletableFuture<Optional<MachineLoad>> cpu = MachineMeter.measureWindow(Duration.ZERO, length);
        OutageLoad.Run run =
                new OutageLoad(perSecond, OutageSettings.MAX_IN_FLIGHT, length).run(mix, System.nanoTime());
        return new AuditReport.Measured(
                new FloodReport.Phase(run.samples(), run.unanswered(), List.of(), cpu.join()), length.toNanos());
    }

    private record Audited(AuditReport.Measured measured, AuditSteps.Progress audit) {}

    /**
     * One audited slice: the ORDER mix for the slice while the audit is stepped on a thread of its own until the
     * slice's end or the run's; requests due after the run completed are not counted as audited.
     */
    private Audited audited(OrderMix order, AuditSteps steps, AuditSteps.Progress before)
            throws InterruptedException, ExecutionException {
        long origin = System.nanoTime() + Duration.ofMillis(50).toNanos();
        long end = origin + auditSlice.toNanos();
        long[] finishedAt = {Long.MAX_VALUE};
        FutureTask<AuditSteps.Progress> stepping = new FutureTask<>(() -> {
            OutageLoad.sleepUntil(origin);
            AuditSteps.Progress progress = steps.stepUntil(end, before);
            if (progress.done()) finishedAt[0] = System.nanoTime();
            return progress;
        });
        Thread.ofPlatform().name("audit-steps").start(stepping);
        CompletableFuture<Optional<MachineLoad>> cpu = MachineMeter.measureWindow(Duration.ofMillis(50), auditSlice);
        OutageLoad.Run run = new OutageLoad(rate, OutageSettings.MAX_IN_FLIGHT, auditSlice).run(order, origin);
        AuditSteps.Progress progress = stepping.get();
        long until = Math.min(finishedAt[0], end) - origin;
        List<Sample> samples =
                run.samples().stream().filter(s -> s.dueNanos() < until).toList();
        return new Audited(
                new AuditReport.Measured(
                        new FloodReport.Phase(samples, run.unanswered(), List.of(), cpu.join()), until),
                progress);
    }

    private static String describe(AuditSteps.Progress audit) {
        AuditSteps.Step last = audit.last();
        if (last == null) return "audit: no step answered yet";
        return String.format(
                Locale.ROOT,
                "audit run %s: %d/%d shards, %,d member rows and %,d entries examined, %,d anomalies seen, %.1f s of"
                        + " steps%s",
                last.runId(),
                last.shardsDone(),
                last.shards(),
                last.members(),
                last.entries(),
                last.anomaliesSeen(),
                audit.activeNanos() / 1e9,
                last.done() ? ", done" : "");
    }
}
