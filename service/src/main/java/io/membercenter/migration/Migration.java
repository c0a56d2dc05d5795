package io.membercenter.migration;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The migration's steps and the order they must run in. Each step is one call that works for at most
 * {@code step-budget} under the ledger's lease (one step at a time across every instance) and says whether it is
 * done; called again, it goes on where it stopped, after a crash too.
 *
 * <pre>
 *   IDLE --load, writer-start--> IDLE --full-sync...--> FULL_SYNC_DONE --incremental-sync...--> INCREMENTAL
 *                                         verify: from FULL_SYNC_DONE on, as often as wanted
 * </pre>
 * A step asked for out of order is refused ({@link OutOfOrder}, 409) and changes nothing; dual write, the gray
 * read switch, cutover and rollback are named but not built ({@link NotBuilt}).
 */
final class Migration {

    static final List<String> STEPS =
            List.of("load", "writer-start", "writer-stop", "full-sync", "incremental-sync", "verify", "reset");
    static final List<String> NOT_BUILT = List.of("dual-write", "gray-read", "cutover", "rollback", "finish");

    /** A step asked for when the migration is not where it can run. */
    static final class OutOfOrder extends RuntimeException {
        OutOfOrder(String message) {
            super(message);
        }
    }

    /** Another step holds the lease. */
    static final class StepRunning extends RuntimeException {
        StepRunning() {
            super("Another migration step is running; try again when it ends.");
        }
    }

    static final class NotBuilt extends RuntimeException {
        NotBuilt(String step) {
            super("The " + step + " step is not built yet.");
        }
    }

    /** What a step answers: done or not, and the migration's state after it. */
    record Result(boolean done, Map<String, Object> status) {}

    private final LegacySource legacy;
    private final MigrationLedger ledger;
    private final FullSync fullSync;
    private final IncrementalSync incremental;
    private final Verify verify;
    private final LegacyWriter writer;
    private final MigrationProperties properties;
    private final Clock clock;
    private final AtomicReference<Thread> loader = new AtomicReference<>();
    private final AtomicLong loaded = new AtomicLong();
    private final AtomicLong loadTarget = new AtomicLong();
    private volatile String loadFailure;

    Migration(
            LegacySource legacy,
            MigrationLedger ledger,
            FullSync fullSync,
            IncrementalSync incremental,
            Verify verify,
            LegacyWriter writer,
            MigrationProperties properties,
            Clock clock) {
        this.legacy = legacy;
        this.ledger = ledger;
        this.fullSync = fullSync;
        this.incremental = incremental;
        this.verify = verify;
        this.writer = writer;
        this.properties = properties;
        this.clock = clock;
    }

    Result fullSync(long maxRows) {
        MigrationLedger.Phase phase = ledger.run().phase();
        if (phase != MigrationLedger.Phase.IDLE && phase != MigrationLedger.Phase.FULL_SYNC) {
            throw new OutOfOrder("The full sync is done (phase " + phase + "); next: incremental-sync or verify.");
        }
        if (loader.get() != null) {
            throw new OutOfOrder("The legacy store is still being loaded; start the full sync when the load is done.");
        }
        return leased(() -> fullSync.step(deadline(), maxRows));
    }

    Result incrementalSync() {
        requireFullSyncDone("incremental-sync");
        return leased(() -> incremental.step(deadline()));
    }

    Result verify(boolean fresh) {
        requireFullSyncDone("verify");
        return leased(() -> verify.step(deadline(), fresh));
    }

    /** Loads a population into the legacy store in the background; only before the full sync begins. */
    Result load(int members, long firstKey, boolean wipe) {
        if (ledger.run().phase() != MigrationLedger.Phase.IDLE) {
            throw new OutOfOrder("The legacy store is loaded before the full sync begins; the full sync has begun"
                    + " (reset to start over, or writer-start for live writes).");
        }
        Thread thread = Thread.ofVirtual().name("legacy-loader").unstarted(() -> {
            try {
                legacy.ensureSchema();
                if (wipe) legacy.wipe();
                LegacyPopulation.load(legacy, firstKey, members, loaded::set);
            } catch (RuntimeException e) {
                loadFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
            } finally {
                loader.set(null);
            }
        });
        if (!loader.compareAndSet(null, thread)) {
            throw new StepRunning();
        }
        loaded.set(0);
        loadTarget.set(members);
        loadFailure = null;
        thread.start();
        return new Result(false, status());
    }

    /** Waits for a load started by {@link #load}; for tests and the bench. */
    void awaitLoad() throws InterruptedException {
        Thread thread = loader.get();
        if (thread != null) thread.join();
        if (loadFailure != null) throw new IllegalStateException("The load failed: " + loadFailure);
    }

    /** A test's crash: the next full-sync step dies after this many rows, as a killed process would. */
    void crashFullSyncAfter(int rows) {
        fullSync.crashAfterImports(rows);
    }

    Result writerStart(Optional<Integer> perSecond) {
        legacy.ensureSchema();
        writer.start(perSecond.orElse(properties.writerRate()));
        return new Result(true, status());
    }

    Result writerStop() {
        writer.stop();
        return new Result(true, status());
    }

    /** Back to IDLE: the ledger emptied and the change capture dropped. Members already copied stay. */
    Result reset() {
        writer.stop();
        return leased(() -> {
            legacy.endCapture();
            ledger.reset(clock.millis());
            return true;
        });
    }

    Map<String, Object> status() {
        MigrationLedger.Run run = ledger.run();
        long now = clock.millis();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("phase", run.phase().name());
        body.put("legacy", Map.of("kind", legacy.kind()));
        Map<String, Object> full = new LinkedHashMap<>();
        long done = run.fullCreated() + run.fullAlreadyThere() + run.fullRefused();
        full.put("target", run.fullTarget());
        full.put("cursor", run.fullCursor());
        full.put("rowsDone", done);
        full.put("created", run.fullCreated());
        full.put("alreadyThere", run.fullAlreadyThere());
        full.put("refused", run.fullRefused());
        double rate = run.fullBusyMillis() == 0 ? 0 : done * 1000.0 / run.fullBusyMillis();
        full.put("rowsPerSecond", Math.round(rate));
        long range = Math.max(0, run.fullTarget());
        full.put(
                "percent",
                run.phase() == MigrationLedger.Phase.IDLE
                        ? 0
                        : run.fullFinishedAt() != 0 || range == 0
                                ? 100
                                : Math.min(100, run.fullCursor() * 100 / range));
        full.put(
                "etaSeconds",
                run.fullFinishedAt() != 0 || rate == 0 ? 0 : Math.round(Math.max(0, estimateRemaining(run)) / rate));
        full.put("startedAt", run.fullStartedAt());
        full.put("finishedAt", run.fullFinishedAt());
        body.put("fullSync", full);
        Map<String, Object> incr = new LinkedHashMap<>();
        incr.put("startPosition", run.capturePosition());
        incr.put("applied", run.incrApplied());
        incr.put("lagBytes", run.phase() == MigrationLedger.Phase.IDLE ? 0 : legacyLag());
        incr.put("lastCommitAt", run.incrLastCommitAt());
        incr.put("lastAppliedAt", run.incrLastAppliedAt());
        body.put("incrementalSync", incr);
        Map<String, Long> counts = ledger.mismatchCounts();
        Map<String, Object> verified = new LinkedHashMap<>();
        verified.put("target", run.verifyTarget());
        verified.put("cursor", run.verifyCursor());
        verified.put("checked", run.verifyChecked());
        verified.put("mismatched", counts.get("MISMATCH"));
        verified.put("missing", counts.get("MISSING"));
        verified.put("extra", counts.get("EXTRA"));
        verified.put("startedAt", run.verifyStartedAt());
        verified.put("finishedAt", run.verifyFinishedAt());
        body.put("verify", verified);
        body.put("quarantined", ledger.quarantineCount());
        LegacyWriter.Counts w = writer.counts();
        body.put(
                "writer",
                Map.of(
                        "running",
                        w.running(),
                        "inserts",
                        w.inserts(),
                        "updates",
                        w.updates(),
                        "failures",
                        w.failures()));
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("running", loader.get() != null);
        load.put("loaded", loaded.get());
        load.put("target", loadTarget.get());
        if (loadFailure != null) load.put("failure", loadFailure);
        body.put("load", load);
        body.put("leaseHeld", run.leaseUntil() > now);
        return body;
    }

    List<MigrationLedger.Quarantined> quarantined(long after, int limit) {
        return ledger.quarantined(after, limit);
    }

    List<MigrationLedger.Mismatch> mismatches(long after, int limit) {
        return ledger.mismatches(after, limit);
    }

    private long estimateRemaining(MigrationLedger.Run run) {
        long done = run.fullCreated() + run.fullAlreadyThere() + run.fullRefused();
        if (run.fullCursor() == 0) return run.fullTarget();
        // keys are dense in practice: rows left ~ rows done * keys left / keys done
        long keysDone = run.fullCursor();
        return keysDone == 0 ? 0 : done * (run.fullTarget() - run.fullCursor()) / keysDone;
    }

    private long legacyLag() {
        try {
            return legacy.captureLag();
        } catch (RuntimeException unavailable) {
            return -1;
        }
    }

    private void requireFullSyncDone(String step) {
        MigrationLedger.Phase phase = ledger.run().phase();
        if (phase != MigrationLedger.Phase.FULL_SYNC_DONE && phase != MigrationLedger.Phase.INCREMENTAL) {
            throw new OutOfOrder("The " + step + " step runs after the full sync is done; the migration is in phase "
                    + phase + ": run full-sync to its end first.");
        }
    }

    private long deadline() {
        return System.nanoTime() + properties.stepBudget().toNanos();
    }

    private interface Work {
        boolean run();
    }

    /**
     * Runs the work under the lease, which outlasts the step budget by a margin: a step that dies keeps it until
     * then, so a step on another instance cannot start while the dead one's last statements may still land.
     */
    private Result leased(Work work) {
        ledger.run();
        long now = clock.millis();
        if (!ledger.tryLease(now, now + properties.stepBudget().toMillis() * 2 + 1_000)) {
            throw new StepRunning();
        }
        boolean done;
        try {
            done = work.run();
        } catch (FullSync.SimulatedCrash crash) {
            throw crash; // a crash keeps the lease: nothing after it runs
        } catch (RuntimeException e) {
            ledger.releaseLease();
            throw e;
        }
        ledger.releaseLease();
        return new Result(done, status());
    }
}
