package io.membercenter.migration;

import io.membercenter.replication.ReplicationProgress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The migration's steps and the order they must run in. Each step is one call that works for at most
 * {@code step-budget} under the ledger's lease (one step at a time across every instance) and says whether it is
 * done; called again, it goes on where it stopped, after a crash too.
 *
 * <pre>
 *   IDLE --load, writer-start--> IDLE --full-sync...--> FULL_SYNC_DONE --incremental-sync...--> INCREMENTAL
 *                                         verify: from FULL_SYNC_DONE on, as often as wanted
 *                                         dual-write-start / -stop: from FULL_SYNC_DONE on, a switch
 *                                         gray-reads?percent=&callers=: while the dual write is on
 *                                         cutover: INCREMENTAL/FULL_SYNC_DONE --> CUTOVER --finish--> FINISHED
 *                                         rollback: from any phase but FINISHED (CUTOVER --> INCREMENTAL)
 * </pre>
 * A step asked for out of order is refused ({@link OutOfOrder}, 409) and changes nothing.
 */
final class Migration {

    static final List<String> STEPS = List.of(
            "load",
            "writer-start",
            "writer-stop",
            "full-sync",
            "incremental-sync",
            "verify",
            "dual-write-start",
            "dual-write-stop",
            "gray-reads",
            "cutover",
            "rollback",
            "finish",
            "reset");

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

    /** What a step answers: done or not, and the migration's state after it. */
    record Result(boolean done, Map<String, Object> status) {}

    private final LegacySource legacy;
    private final MigrationLedger ledger;
    private final FullSync fullSync;
    private final IncrementalSync incremental;
    private final Verify verify;
    private final LegacyWriter writer;
    private final DualWrite dualWrite;
    private final GrayReads grayReads;
    private final ReplicationProgress progress;
    private final boolean changeStream;
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
            DualWrite dualWrite,
            GrayReads grayReads,
            ReplicationProgress progress,
            boolean changeStream,
            MigrationProperties properties,
            Clock clock) {
        this.legacy = legacy;
        this.ledger = ledger;
        this.fullSync = fullSync;
        this.incremental = incremental;
        this.verify = verify;
        this.writer = writer;
        this.dualWrite = dualWrite;
        this.grayReads = grayReads;
        this.progress = progress;
        this.changeStream = changeStream;
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

    /** From the full sync's end on, cut over too: then it compares the legacy store the dual write keeps. */
    Result verify(boolean fresh) {
        if (ledger.run().phase() != MigrationLedger.Phase.CUTOVER) requireFullSyncDone("verify");
        return leased(() -> verify.step(deadline(), fresh));
    }

    /**
     * Switches the dual write on: from now on every member change member-center commits is written to the legacy
     * store too ({@link DualWrite}). Only once the full sync is done (before, the legacy store is the only truth and
     * a write-back could race the copy), and only with the change stream on, since it is what the dual write reads.
     */
    Result dualWriteStart() {
        requireFullSyncDone("dual-write-start");
        if (!changeStream) {
            throw new OutOfOrder("The dual write reads member-center's change stream, and change capture is off"
                    + " (member-center.replication.kafka-bootstrap).");
        }
        if (ledger.run().dualWriteSince() != 0) {
            throw new OutOfOrder("The dual write is on already; dual-write-stop first to switch it on anew.");
        }
        // wall-clock time, as Kafka stamps the records the dual write reads from this moment
        long since = System.currentTimeMillis();
        return leased(() -> {
            ledger.dualWrite(since, clock.millis());
            return true;
        });
    }

    /** Switches the dual write off; what it owes stays in the failure log (repaired once it is on again). */
    Result dualWriteStop() {
        MigrationLedger.Run run = ledger.run();
        if (run.dualWriteSince() == 0) {
            throw new OutOfOrder("The dual write is not on.");
        }
        if (run.phase() == MigrationLedger.Phase.CUTOVER) {
            throw new OutOfOrder("Cut over, the dual write is what keeps a rollback possible: finish stops it.");
        }
        if (run.grayPercent() > 0 || !run.grayCallers().isEmpty()) {
            throw new OutOfOrder("Reads are answered from the legacy store, which needs the dual write: switch the"
                    + " gray reads off (gray-reads?percent=0) first.");
        }
        return leased(() -> {
            ledger.dualWrite(0, clock.millis());
            return true;
        });
    }

    /**
     * Sets the gray read switch: {@code percent} of reads by id (by member id) and every read of {@code callers}
     * answered from member-center's store and compared with the legacy store, the others from the legacy store
     * ({@link GrayReads}). Only while the dual write is on: otherwise the legacy store would lack member-center's
     * writes, and the reads it answers would go back in time.
     */
    Result grayReads(int percent, List<String> callers) {
        requireFullSyncDone("gray-reads");
        if (ledger.run().dualWriteSince() == 0) {
            throw new OutOfOrder("Gray reads answer from the legacy store too, which is current only while the dual"
                    + " write is on: run dual-write-start first.");
        }
        return leased(() -> {
            ledger.grayReads(percent, String.join(",", callers), clock.millis());
            grayReads.refresh();
            return true;
        });
    }

    /**
     * Cuts over: every read and write on member-center's store, the gray switch off, the dual write kept on (reverse
     * replication) so that a rollback finds the legacy store complete. Only with the dual write on and owing
     * nothing, and with the legacy writer (the old system's callers) stopped: after the cutover the legacy store is
     * no longer a source, so a write there would be the old system's alone.
     */
    Result cutover() {
        requireFullSyncDone("cutover");
        MigrationLedger.Run run = ledger.run();
        if (run.dualWriteSince() == 0) {
            throw new OutOfOrder("The cutover keeps the dual write running for a rollback: dual-write-start first.");
        }
        if (ledger.dualWriteOwedCount() > 0) {
            throw new OutOfOrder("The dual write owes the legacy store changes (dual-write-failures): cut over once"
                    + " it has repaired them.");
        }
        if (writer.counts().running()) {
            throw new OutOfOrder("The old system's callers still write to the legacy store: writer-stop first.");
        }
        return leased(() -> {
            ledger.cutover(clock.millis());
            grayReads.refresh();
            return true;
        });
    }

    /**
     * Rolls back from any phase before the finish: the legacy store becomes the truth again, complete. With the
     * dual write on, the step waits (within its budget, then 202: ask again) until it has applied every member change committed before the rollback
     * was asked for and owes nothing (the failure log repaired), then switches it and the gray reads off; a cut-over
     * migration goes back to INCREMENTAL. Without the dual write member-center never wrote to the legacy store, so
     * there is nothing to wait for. Copied members stay (reset drops the migration's records).
     */
    Result rollback() {
        MigrationLedger.Run run = ledger.run();
        if (run.phase() == MigrationLedger.Phase.FINISHED) {
            throw new OutOfOrder("The migration is finished: the dual write stopped, so the legacy store is no longer"
                    + " complete and there is nothing to roll back to.");
        }
        return leased(() -> {
            MigrationLedger.Run now = ledger.run();
            if (now.dualWriteSince() != 0) {
                long from = now.rollbackFrom();
                if (from == 0) {
                    from = clock.millis();
                    ledger.rollbackFrom(from);
                }
                long deadline = deadline();
                while (!dualWriteApplied(now.dualWriteSince(), from)) {
                    if (System.nanoTime() >= deadline) return false;
                    LockSupport.parkNanos(100_000_000L); // the dual write commits its offsets once a second
                }
            }
            ledger.rolledBack(clock.millis());
            grayReads.refresh();
            return true;
        });
    }

    /** Finishes a cut-over migration: the dual write and the legacy change capture stop; no rollback after it. */
    Result finish() {
        if (ledger.run().phase() != MigrationLedger.Phase.CUTOVER) {
            throw new OutOfOrder("The finish comes after the cutover; the migration is in phase "
                    + ledger.run().phase() + ".");
        }
        return leased(() -> {
            legacy.endCapture();
            ledger.finish(clock.millis());
            return true;
        });
    }

    /** Whether the dual write has applied every change committed before {@code before} and owes nothing. */
    private boolean dualWriteApplied(long since, long before) {
        return progress.appliedBefore(DualWrite.consumerGroup(since)).orElse(0) >= before
                && ledger.dualWriteOwedCount() == 0;
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
        DualWrite.Counts d = dualWrite.counts();
        Map<String, Object> dual = new LinkedHashMap<>();
        dual.put("on", run.dualWriteSince() != 0);
        dual.put("since", run.dualWriteSince());
        dual.put("consuming", d.running());
        dual.put("written", d.written());
        dual.put("unchanged", d.unchanged());
        dual.put("failed", d.failed());
        dual.put("repaired", d.repaired());
        dual.put("owed", ledger.dualWriteOwedCount());
        body.put("dualWrite", dual);
        GrayReads.Counts g = grayReads.counts();
        Map<String, Object> gray = new LinkedHashMap<>();
        gray.put("percent", run.grayPercent());
        gray.put(
                "callers",
                run.grayCallers().isEmpty()
                        ? List.of()
                        : List.of(run.grayCallers().split(",")));
        gray.put("servedByMemberCenter", g.servedByMemberCenter());
        gray.put("servedByLegacy", g.servedByLegacy());
        gray.put("compared", g.compared());
        gray.put("skipped", g.skipped());
        gray.put("mismatched", ledger.grayMismatchCount());
        gray.put(
                "mismatches",
                ledger.grayMismatches(0, 100).stream()
                        .map(m ->
                                Map.of("memberId", Long.toString(m.memberId()), "kind", m.kind(), "fields", m.fields()))
                        .toList());
        body.put("grayReads", gray);
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

    List<MigrationLedger.Mismatch> grayMismatches(long after, int limit) {
        return ledger.grayMismatches(after, limit);
    }

    List<MigrationLedger.Owed> dualWriteOwed(long after, int limit) {
        return ledger.dualWriteOwed(after, limit);
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
        if (dualWrite.legacyDown()) return -1;
        try {
            return legacy.captureLag();
        } catch (RuntimeException unavailable) {
            return -1;
        }
    }

    private void requireFullSyncDone(String step) {
        MigrationLedger.Phase phase = ledger.run().phase();
        if (phase == MigrationLedger.Phase.CUTOVER || phase == MigrationLedger.Phase.FINISHED) {
            throw new OutOfOrder("The " + step + " step runs before the cutover; the migration is in phase " + phase
                    + (phase == MigrationLedger.Phase.CUTOVER ? ": roll back first." : "."));
        }
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
