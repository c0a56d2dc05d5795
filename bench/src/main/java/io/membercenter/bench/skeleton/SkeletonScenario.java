package io.membercenter.bench.skeleton;

import io.membercenter.bench.api.MemberApi;
import io.membercenter.bench.baseline.JdbcBaseline;

import io.membercenter.bench.keys.KeySampler;
import io.membercenter.bench.load.ClosedLoop;
import io.membercenter.bench.load.LoadResult;
import io.membercenter.bench.load.OpenLoop;
import io.membercenter.bench.load.Operation;
import io.membercenter.bench.report.MachineMeter;
import io.membercenter.bench.report.MachineLoad;
import io.membercenter.bench.report.ResultRow;
import io.membercenter.bench.report.ResultRow.Measured;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/** Runs the skeleton's pairs, service then baseline, each closed loop and, if asked, open loop. */
final class SkeletonScenario {

    /** Hot keys are spread over the shards rather than being the first members created. */
    private static final long KEY_SHUFFLE_SEED = 42;
    private static final int MAX_CREATE_ATTEMPTS = 5;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

    private final SkeletonSettings settings;
    private final MemberApi api;
    private final JdbcBaseline jdbc;
    private final Consumer<String> progress;

    SkeletonScenario(SkeletonSettings settings, MemberApi api, JdbcBaseline jdbc, Consumer<String> progress) {
        this.settings = settings;
        this.api = api;
        this.jdbc = jdbc;
        this.progress = progress;
    }

    /** A call of the service and the baseline that does the same work without it. */
    private record Pair(String service, Operation serviceCall, String baseline, Operation baselineCall) {}

    /** Reads first, on exactly the members created for them; then writes, which only add rows. */
    List<ResultRow> run() throws SQLException {
        Keys keys = createMembers();
        jdbc.createBenchTable();
        List<ResultRow> rows = new ArrayList<>(measure(reads(keys, settings.keySampler())));
        rows.addAll(measure(writes()));
        return rows;
    }

    private Pair reads(Keys keys, KeySampler sampler) {
        return new Pair("api-get-by-id", () -> api.get(keys.memberId(sampler.nextIndex(ThreadLocalRandom.current()))),
                "jdbc-point-select", () -> {
                    int key = sampler.nextIndex(ThreadLocalRandom.current());
                    jdbc.select(keys.database(key), keys.memberId(key));
                });
    }

    private Pair writes() {
        return new Pair("api-create", api::create, "jdbc-insert", jdbc::insert);
    }

    private List<ResultRow> measure(Pair pair) {
        ClosedLoop closedLoop = settings.closedLoop();
        Measured service = run(pair.service(), closedLoop::run, pair.serviceCall(), "closed loop");
        Measured baseline = run(pair.baseline(), closedLoop::run, pair.baselineCall(), "closed loop");
        List<ResultRow> rows = new ArrayList<>(List.of(ResultRow.comparedTo(pair.service(), service, baseline),
                ResultRow.baseline(pair.baseline(), baseline)));
        double serviceThroughput = service.result().throughputPerSecond();
        if (settings.openLoopFraction() > 0 && serviceThroughput > 0) {
            // The same rate for both, set by the slower side: latency compared at one load, not at two.
            OpenLoop openLoop = settings.openLoopAt(Math.max(1, Math.round(serviceThroughput * settings.openLoopFraction())));
            String mode = String.format(Locale.ROOT, "open loop at %,.0f/s", openLoop.ratePerSecond());
            Measured serviceOpen = run(pair.service(), openLoop::run, pair.serviceCall(), mode);
            Measured baselineOpen = run(pair.baseline(), openLoop::run, pair.baselineCall(), mode);
            rows.add(ResultRow.comparedTo(pair.service(), serviceOpen, baselineOpen));
            rows.add(ResultRow.baseline(pair.baseline(), baselineOpen));
        }
        return rows;
    }

    private Measured run(String name, Function<Operation, LoadResult> generator, Operation operation, String mode) {
        progress.accept(String.format(Locale.ROOT, "%-18s %s: %d ms warm-up + %d ms measured ...", name, mode,
                settings.warmup().toMillis(), settings.measured().toMillis()));
        CompletableFuture<Optional<MachineLoad>> machine = MachineMeter.measureWindow(settings.warmup(), settings.measured());
        Measured measured = new Measured(generator.apply(operation), machine.join());
        progress.accept(String.format(Locale.ROOT, "%-18s %s", name, summary(measured)));
        return measured;
    }

    private static String summary(Measured measured) {
        LoadResult result = measured.result();
        return String.format(Locale.ROOT, "%,.0f ops/s, p50 %.2f ms, p99 %.2f ms, errors %d%s, CPU cores JVM + MariaDB + "
                        + "other: %s, I/O stall %s%s", result.throughputPerSecond(), result.latency().p50Nanos() / 1e6,
                result.latency().p99Nanos() / 1e6, result.errors(),
                result.dropped() > 0 ? ", dropped " + result.dropped() : "",
                measured.machine().map(MachineLoad::describeCpu).orElse("unknown"),
                measured.machine().map(MachineLoad::describeIoStall).orElse("unknown"),
                result.firstError().map(e -> " (first error, warm-up included: " + e + ")").orElse(""));
    }

    /** The members every read asks for, created through the API, with the database each landed in. */
    private record Keys(long[] memberIds, String[] databases) {
        long memberId(int key) {
            return memberIds[key];
        }

        String database(int key) {
            return databases[key];
        }
    }

    private Keys createMembers() throws SQLException {
        progress.accept(String.format(Locale.ROOT, "creating %,d members through the API (%d at a time) ...",
                settings.members(), settings.concurrency()));
        List<Long> created = new ArrayList<>(createThroughApi(settings.members(), settings.concurrency()));
        Collections.shuffle(created, new Random(KEY_SHUFFLE_SEED));
        Map<Long, String> databaseOf = jdbc.databaseOfEachMember();
        long[] memberIds = new long[created.size()];
        String[] databases = new String[created.size()];
        for (int key = 0; key < memberIds.length; key++) {
            memberIds[key] = created.get(key);
            databases[key] = databaseOf.get(memberIds[key]);
            if (databases[key] == null) {
                throw new IllegalStateException("Member " + memberIds[key] + " was created but is in no member database");
            }
        }
        progress.accept(String.format(Locale.ROOT, "created %,d members: %d in member_0, %d in member_1",
                memberIds.length, countIn(databases, "member_0"), countIn(databases, "member_1")));
        return new Keys(memberIds, databases);
    }

    /**
     * Setup, not measurement: every create must succeed, or the reads would ask for members that are not there.
     * A 503 is retried, as the contract allows a caller to (nothing was written); how often is reported.
     */
    private ConcurrentLinkedQueue<Long> createThroughApi(int count, int concurrency) {
        ConcurrentLinkedQueue<Long> created = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Exception> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger remaining = new AtomicInteger(count);
        AtomicInteger retried = new AtomicInteger();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < concurrency; i++) {
                workers.submit(() -> {
                    while (failures.isEmpty() && remaining.getAndDecrement() > 0) {
                        try {
                            created.add(createRetrying503(retried));
                        } catch (Exception e) {
                            failures.add(e);
                        }
                    }
                });
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("Creating the members to read failed");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
        if (retried.get() > 0) {
            progress.accept(String.format(Locale.ROOT, "%d of %,d creates answered 503 and were retried", retried.get(), count));
        }
        return created;
    }

    private long createRetrying503(AtomicInteger retried) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return api.create();
            } catch (MemberApi.UnexpectedStatus e) {
                if (!e.isRetryable() || attempt == MAX_CREATE_ATTEMPTS) {
                    throw e;
                }
                retried.incrementAndGet();
                Thread.sleep(RETRY_PAUSE);
            }
        }
    }

    private static long countIn(String[] databases, String database) {
        return Arrays.stream(databases).filter(database::equals).count();
    }
}
