package io.membercenter.migration;

import io.membercenter.member.MemberImport;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The full sync: every legacy row up to the key that was last when it began, in key order, chunk by chunk, each
 * member created through the claim protocol ({@link MemberImport#create}), so no identifier gets two owners however
 * the legacy rows collide. A refused row goes to the quarantine with its reason. A chunk's rows are imported by
 * {@code import-threads} threads at once, rows sharing an identifier in key order on one of them
 * ({@link ChunkImport}: the outcome is the one-thread outcome).
 *
 * <h2>Why a crash loses nothing and duplicates nothing</h2>
 * The cursor (the last key handled) is saved after each chunk, and when the step's budget runs out mid-chunk. A step that dies mid-chunk
 * leaves some of the chunk's members created and the cursor before them; the next step reads the chunk again,
 * and {@link MemberImport#create} finds each created member by its id (the legacy key) and leaves it
 * ({@code AlreadyThere}). A quarantined row is quarantined again under the same key (one row per key). Rows
 * inserted or changed after the sync began are the change capture's, begun before the first chunk was read
 * ({@link IncrementalSync}).
 */
final class FullSync {

    private final LegacySource legacy;
    private final LegacyMapping mapping;
    private final MemberImport members;
    private final MigrationLedger ledger;
    private final MigrationProperties properties;
    private final Clock clock;
    /** A test's crash: the step stops after this many more imports, without saving its chunk (-1: never). */
    private final AtomicInteger crashAfterImports = new AtomicInteger(-1);

    FullSync(
            LegacySource legacy,
            LegacyMapping mapping,
            MemberImport members,
            MigrationLedger ledger,
            MigrationProperties properties,
            Clock clock) {
        this.legacy = legacy;
        this.mapping = mapping;
        this.members = members;
        this.ledger = ledger;
        this.properties = properties;
        this.clock = clock;
    }

    /** Thrown where a test made the step crash; nothing after it runs, as if the process had died there. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash of the full sync", null, false, false);
        }
    }

    void crashAfterImports(int imports) {
        crashAfterImports.set(imports);
    }

    /** Starts the sync if it has not begun; then works until the deadline or {@code maxRows}; true when done. */
    boolean step(long deadlineNanos, long maxRows) {
        MigrationLedger.Run run = ledger.run();
        if (run.phase() == MigrationLedger.Phase.IDLE) {
            String position = legacy.beginCapture();
            ledger.startFullSync(position, legacy.keyRange().max(), clock.millis());
            run = ledger.run();
        }
        Throttle throttle = new Throttle(properties.rowsPerSecond());
        long cursor = run.fullCursor();
        long rows = 0;
        while (System.nanoTime() < deadlineNanos && rows < maxRows) {
            long started = System.nanoTime();
            int limit = (int) Math.min(properties.chunkSize(), maxRows - rows);
            List<LegacyMember> chunk = legacy.readAfter(cursor, run.fullTarget(), limit);
            if (chunk.isEmpty()) {
                ledger.finishFullSync(clock.millis());
                return true;
            }
            List<LegacyMapping.Mapped> mapped = chunk.stream().map(mapping::map).toList();
            Map<Long, LegacyMapping.Mapped> mappedByKey = new HashMap<>();
            for (int i = 0; i < chunk.size(); i++) mappedByKey.put(chunk.get(i).key(), mapped.get(i));
            // The step's budget may end mid-chunk: what is done is saved, the next step goes on from there.
            Map<Long, MemberImport.Outcome> outcomes = new ChunkImport(
                            properties.importThreads(), row -> importOne(row, mappedByKey.get(row.key())))
                    .run(chunk, mapped, deadlineNanos);
            long created = 0, alreadyThere = 0, refused = 0;
            int handled = 0;
            for (LegacyMember row : chunk) {
                MemberImport.Outcome outcome = outcomes.get(row.key());
                if (outcome == null) break; // the cursor covers only the handled rows from the chunk's start
                switch (outcome) {
                    case MemberImport.Created ignored -> created++;
                    case MemberImport.AlreadyThere ignored -> alreadyThere++;
                    default -> refused++;
                }
                cursor = row.key();
                handled++;
            }
            rows += handled;
            ledger.fullChunkDone(
                    cursor, created, alreadyThere, refused, (System.nanoTime() - started) / 1_000_000, clock.millis());
            throttle.afterChunk(handled);
        }
        if (legacy.readAfter(cursor, run.fullTarget(), 1).isEmpty()) {
            ledger.finishFullSync(clock.millis());
            return true;
        }
        return false;
    }

    private MemberImport.Outcome importOne(LegacyMember row, LegacyMapping.Mapped mapped) {
        crashIfArmed();
        MemberImport.Outcome outcome = switch (mapped) {
            case LegacyMapping.Valid valid -> members.create(valid.member());
            case LegacyMapping.Invalid invalid -> new MemberImport.Refused(invalid.reason());
        };
        if (outcome instanceof MemberImport.Refused refused) {
            ledger.quarantine(row.key(), refused.reason(), clock.millis());
        }
        return outcome;
    }

    /** Counts down across the chunk's import threads; the import that finds it at 0 crashes the step. */
    private void crashIfArmed() {
        int left = crashAfterImports.getAndUpdate(n -> n < 0 ? n : n - 1);
        if (left == 0) {
            throw new SimulatedCrash();
        }
    }
}
