package io.membercenter.bench.migration;

import io.membercenter.bench.InProcessService;
import io.membercenter.bench.population.ProgressBar;
import io.membercenter.bench.report.Progress;
import io.membercenter.bench.report.ReportOptions;
import io.membercenter.bench.report.RunEnvironment;
import io.membercenter.topology.LocalTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./mc bench migration}: the migration from the legacy PostgreSQL measured in one run (issue 15): a raw bulk
 * copy of the legacy rows between the same two databases (the baseline), the full sync of the same rows, the
 * incremental sync's end-to-end lag under the legacy writer's load, and the verify over all of them; a chart of
 * the progress in benchmarks/migration.svg. See {@link MigrationReport} for what each number is.
 */
@Command(
        name = "migration",
        mixinStandardHelpOptions = true,
        description = "Starts the topology with the legacy PostgreSQL and the service, loads legacy members, then"
                + " measures a raw bulk copy, the full sync, the incremental lag and the verify, and writes the"
                + " migration section of BENCHMARKS.md.")
public final class MigrationCommand implements Callable<Integer> {

    static final String SECTION = "migration";
    static final String CHART = "benchmarks/migration.svg";
    private static final String KINDS_PROPERTY = "membercenter.topology.kinds";
    private static final String KINDS = "db,cache,mq,search,legacy";
    private static final long FIRST_KEY = 1;
    private static final long MARKER_INTERVAL_MILLIS = 500;

    @Spec
    private CommandSpec spec;

    @Option(names = "--members", defaultValue = "1000000", description = "Legacy members (default: ${DEFAULT-VALUE}).")
    private int members;

    @Option(
            names = "--import-threads",
            defaultValue = "4",
            description = "The full sync's import threads (member-center.migration.import-threads), and the raw"
                    + " copy's streams (default: ${DEFAULT-VALUE}, the service's).")
    private int importThreads;

    @Option(
            names = "--chunk-size",
            defaultValue = "1000",
            description = "Legacy rows per chunk of the full sync and the verify (default: ${DEFAULT-VALUE}).")
    private int chunkSize;

    @Option(
            names = "--writer-rate",
            defaultValue = "20",
            description = "Changes a second the legacy writer is asked for during the lag measurement"
                    + " (default: ${DEFAULT-VALUE}, the service's member-center.migration.writer-rate).")
    private int writerRate;

    @Option(
            names = "--lag-seconds",
            defaultValue = "60",
            description = "How long the incremental lag is measured (default: ${DEFAULT-VALUE}).")
    private int lagSeconds;

    @Mixin
    private ReportOptions report;

    @Override
    public Integer call() throws Exception {
        if (members < 1_000 || importThreads < 1 || importThreads > 64 || lagSeconds < 10 || writerRate < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--members must be at least 1000, --import-threads 1-64, --lag-seconds at least 10,"
                            + " --writer-rate at least 1");
        }
        RunEnvironment environment =
                RunEnvironment.capture(spec.commandLine().getParseResult().originalArgs());
        if (System.getProperty(KINDS_PROPERTY) == null) System.setProperty(KINDS_PROPERTY, KINDS);
        Progress.say("starting the local topology (with the legacy PostgreSQL) and the service ...");
        MigrationReport.Run run;
        try (InProcessService service = InProcessService.start(List.of(
                "--member-center.migration.rows-per-second=1000000",
                "--member-center.migration.chunk-size=" + chunkSize,
                "--member-center.migration.import-threads=" + importThreads))) {
            run = measure(service);
        }
        String body = MigrationReport.markdown(run, environment);
        System.out.println();
        System.out.println(body);
        if (report.wanted()) {
            Progress.say("wrote the migration section of " + report.writeSection(SECTION, body));
        }
        return 0;
    }

    private MigrationReport.Run measure(InProcessService service) throws Exception {
        MigrationAdmin admin = new MigrationAdmin(service.port());
        LocalTopology topology = service.topology();
        String legacyUrl = topology.legacyJdbcUrl();
        admin.post("writer-stop");
        admin.runToEnd("reset", body -> {});

        long loadNanos = load(admin);

        RawCopy raw = new RawCopy(
                legacyUrl,
                List.of(
                        new RawCopy.Target(
                                topology.jdbcUrl("mysql-a", "member_0"),
                                topology.adminUser(),
                                topology.adminPassword()),
                        new RawCopy.Target(
                                topology.jdbcUrl("mysql-a", "member_1"),
                                topology.adminUser(),
                                topology.adminPassword())));
        raw.prepare();
        ServerCounters counters = new ServerCounters(new RawCopy.Target(
                topology.jdbcUrl("mysql-a", "member_0"), topology.adminUser(), topology.adminPassword()));
        ServerCounters.Snapshot rawCountersBefore = counters.read();
        List<MigrationChart.Point> rawPoints = new ArrayList<>();
        ProgressBar rawBar = new ProgressBar("raw copy", members, System.out);
        CpuWindow rawCpu = CpuWindow.start();
        long rawStart = System.nanoTime();
        RawCopy.Result rawResult = raw.copy(FIRST_KEY - 1, FIRST_KEY - 1 + members, importThreads, done -> {
            rawBar.show(done);
            sample(rawPoints, rawStart, done);
        });
        MigrationReport.Load rawLoad = rawCpu.end();
        ServerCounters.Snapshot rawCounters = counters.read().minus(rawCountersBefore);
        raw.dropTables();
        Progress.say(String.format("raw copy: %,.0f members/s", rawResult.membersPerSecond()));

        List<MigrationChart.Point> fullPoints = new ArrayList<>();
        ProgressBar fullBar = new ProgressBar("full sync", members, System.out);
        CpuWindow fullCpu = CpuWindow.start();
        ServerCounters.Snapshot fullCountersBefore = counters.read();
        long fullStart = System.nanoTime();
        JsonNode fullEnd = admin.runToEnd("full-sync", body -> {
            long done = body.path("fullSync").path("rowsDone").asLong();
            fullBar.show(done);
            sample(fullPoints, fullStart, done);
        });
        long fullNanos = System.nanoTime() - fullStart;
        MigrationReport.Load fullLoad = fullCpu.end();
        ServerCounters.Snapshot fullCounters = counters.read().minus(fullCountersBefore);
        JsonNode full = fullEnd.path("fullSync");
        MigrationReport.FullSync fullSync = new MigrationReport.FullSync(
                full.path("rowsDone").asLong(),
                full.path("created").asLong(),
                full.path("refused").asLong(),
                fullNanos,
                importThreads,
                chunkSize);
        Progress.say(String.format(
                "full sync: %,.0f members/s (×%.3f the raw copy)",
                fullSync.membersPerSecond(), fullSync.membersPerSecond() / rawResult.membersPerSecond()));

        admin.runToEnd("incremental-sync", body -> {});
        CpuWindow incrementalCpu = CpuWindow.start();
        MigrationReport.Incremental incremental = incremental(admin, legacyUrl);
        MigrationReport.Load incrementalLoad = incrementalCpu.end();

        admin.runToEnd("incremental-sync", body -> {});
        ProgressBar verifyBar = new ProgressBar("verify", members, System.out);
        CpuWindow verifyCpu = CpuWindow.start();
        long verifyStart = System.nanoTime();
        JsonNode verifyEnd = admin.runToEnd(
                "verify?fresh=true",
                body -> verifyBar.show(body.path("verify").path("checked").asLong()));
        long verifyNanos = System.nanoTime() - verifyStart;
        MigrationReport.Load verifyLoad = verifyCpu.end();
        JsonNode v = verifyEnd.path("verify");
        MigrationReport.Verified verified = new MigrationReport.Verified(
                v.path("checked").asLong(),
                verifyNanos,
                v.path("mismatched").asLong(),
                v.path("missing").asLong(),
                v.path("extra").asLong(),
                verifyEnd.path("quarantined").asLong());

        String chartFile = null;
        if (report.wanted()) {
            Path chart = report.folder().resolve(CHART);
            Files.createDirectories(chart.getParent());
            Files.writeString(
                    chart,
                    MigrationChart.svg(
                            String.format(
                                    "Migration of %,d legacy members: rows done, and the incremental lag", members),
                            fullPoints,
                            rawPoints,
                            incremental.samples().stream()
                                    .map(s -> new MigrationChart.Point(s.atMillis() / 1000.0, s.lagMillis()))
                                    .toList(),
                            MigrationReport.LAG_GOAL_MILLIS),
                    StandardCharsets.UTF_8);
            chartFile = CHART;
        }
        return new MigrationReport.Run(
                members,
                loadNanos,
                rawResult,
                rawLoad,
                fullSync,
                fullLoad,
                incremental,
                incrementalLoad,
                verified,
                verifyLoad,
                rawCounters,
                fullCounters,
                chartFile);
    }

    private long load(MigrationAdmin admin) throws InterruptedException {
        long started = System.nanoTime();
        MigrationAdmin.Answer answer = admin.post("load?members=" + members + "&firstKey=" + FIRST_KEY + "&wipe=true");
        if (answer.status() != 202) {
            throw new IllegalStateException("load answered " + answer.status() + ": " + answer.body());
        }
        ProgressBar bar = new ProgressBar("legacy load", members, System.out);
        while (true) {
            JsonNode load = admin.status().path("load");
            bar.show(load.path("loaded").asLong());
            if (!load.path("running").asBoolean()) {
                if (load.has("failure")) throw new IllegalStateException("the load failed: " + load.path("failure"));
                break;
            }
            Thread.sleep(500);
        }
        bar.show(members);
        return System.nanoTime() - started;
    }

    /**
     * The legacy writer on, the incremental sync posted in a loop by a thread of its own, and the lag probe's
     * markers for {@code --lag-seconds}.
     */
    private MigrationReport.Incremental incremental(MigrationAdmin admin, String legacyUrl) throws Exception {
        JsonNode before = admin.status();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread driver = Thread.ofPlatform().name("incremental-sync-driver").start(() -> {
            try {
                while (running.get()) {
                    MigrationAdmin.Answer answer = admin.post("incremental-sync");
                    if (answer.status() == 200 || answer.leaseHeldByAnother()) {
                        Thread.sleep(100);
                    } else if (answer.status() != 202) {
                        throw new IllegalStateException(
                                "incremental-sync answered " + answer.status() + ": " + answer.body());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        MigrationAdmin.Answer started = admin.post("writer-start?perSecond=" + writerRate);
        if (started.status() != 200) throw new IllegalStateException("writer-start answered " + started.status());
        long writerStart = System.nanoTime();
        Progress.say("legacy writer at " + writerRate + " changes/s; measuring the incremental lag for " + lagSeconds
                + " s ...");
        LagProbe.Result probe;
        JsonNode after;
        try {
            probe = new LagProbe(legacyUrl, admin, markerKeys()).run(lagSeconds * 1000L, MARKER_INTERVAL_MILLIS);
            after = admin.status();
        } finally {
            admin.post("writer-stop");
            running.set(false);
            driver.join();
        }
        if (failure.get() != null) throw failure.get();
        double seconds = (System.nanoTime() - writerStart) / 1e9;
        long writes = after.path("writer").path("inserts").asLong()
                + after.path("writer").path("updates").asLong()
                - before.path("writer").path("inserts").asLong()
                - before.path("writer").path("updates").asLong();
        long applied = after.path("incrementalSync").path("applied").asLong()
                - before.path("incrementalSync").path("applied").asLong();
        List<Long> lags = MigrationReport.lags(probe.samples());
        Progress.say(String.format(
                "incremental lag: p50 %d ms, p99 %d ms over %d markers (%d lost)",
                MigrationReport.percentile(lags, 50), MigrationReport.percentile(lags, 99), lags.size(), probe.lost()));
        return new MigrationReport.Incremental(
                writerRate, writes / seconds, lagSeconds, probe.samples(), probe.lost(), applied);
    }

    /**
     * Members whose rows carry none of the population's deliberate breaks and are active (offsets below 97 carry
     * none; every 50th row's 7th and 9th are frozen and closed): the markers change their nicknames in turn.
     */
    static List<Long> markerKeys() {
        List<Long> keys = new ArrayList<>();
        for (long offset = 10; offset < 90; offset++) {
            if (offset % 50 != 7 && offset % 50 != 9) keys.add(FIRST_KEY + offset);
        }
        return keys;
    }

    /** A point at most every 200 ms, and the last. */
    private static synchronized void sample(List<MigrationChart.Point> points, long startNanos, long done) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (points.isEmpty() || seconds - points.getLast().seconds() >= 0.2) {
            points.add(new MigrationChart.Point(seconds, done));
        }
    }

    /** The whole machine's busy cores between start and end, from /proc/stat; null where there is none. */
    private record CpuWindow(long[] first) {
        static CpuWindow start() {
            return new CpuWindow(ticks());
        }

        MigrationReport.Load end() {
            long[] last = ticks();
            if (first == null || last == null || last[0] <= first[0]) return null;
            int cores = Runtime.getRuntime().availableProcessors();
            double busyShare = 1 - (double) (last[1] - first[1]) / (last[0] - first[0]);
            return new MigrationReport.Load(busyShare * cores, cores);
        }

        /** Total and idle (idle + iowait) ticks of all cores. */
        private static long[] ticks() {
            try {
                String[] fields = Files.readAllLines(Path.of("/proc/stat"))
                        .getFirst()
                        .trim()
                        .split("\\s+");
                long total = 0;
                for (int i = 1; i < fields.length; i++) total += Long.parseLong(fields[i]);
                return new long[] {total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
