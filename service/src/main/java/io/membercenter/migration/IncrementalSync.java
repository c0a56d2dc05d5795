package io.membercenter.migration;

import io.membercenter.member.MemberImport;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The incremental sync: the legacy store's changes since the full sync began, applied to the shards.
 *
 * <h2>Why re-reading the row is ordered and idempotent</h2>
 * A batch of changes names the members they touched; each is applied by re-reading its legacy row now and making
 * the member hold exactly that ({@link MemberImport#replace}, through the claim protocol). The row read now is at
 * least as new as every change in the batch, so the member ends in the legacy row's latest state whatever order the
 * changes came in, and applying a batch twice (a crash before its position was acknowledged) writes the same
 * state again, which commits nothing. The position is acknowledged only after the whole batch is applied.
 *
 * <p>A row the dual write wrote back and no legacy caller changed since ({@link LegacySource#writtenBack}) is
 * skipped: its content is a state member-center committed, and the member holds it or a newer one, so applying it
 * could only set the member back; this is what keeps a change from going round member-center -> legacy ->
 * member-center.
 *
 * <p>A row that becomes valid (the old system fixed it) is imported and leaves the quarantine; one that breaks
 * today's rules goes to it, and its member keeps its last valid state. A deleted legacy member is listed in the
 * quarantine ("deleted in the legacy store"): member-center deletes no member on its own.
 */
final class IncrementalSync {

    /** Changes read per batch; a step that runs out of budget mid-batch acknowledges the transactions it applied. */
    private static final int MAX_CHANGES_PER_BATCH = 400;

    private final LegacySource legacy;
    private final LegacyMapping mapping;
    private final MemberImport members;
    private final MigrationLedger ledger;
    private final Clock clock;

    IncrementalSync(
            LegacySource legacy, LegacyMapping mapping, MemberImport members, MigrationLedger ledger, Clock clock) {
        this.legacy = legacy;
        this.mapping = mapping;
        this.members = members;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * Applies transactions in commit order until none is left or the deadline; true when caught up. A member that
     * several transactions of one batch touched is applied once, at the first of them: the row read then already
     * holds the later ones. The position is acknowledged after the last transaction whose members are all applied.
     */
    boolean step(long deadlineNanos) {
        while (System.nanoTime() < deadlineNanos) {
            List<LegacySource.Committed> batch = legacy.changes(MAX_CHANGES_PER_BATCH);
            if (batch.stream().allMatch(t -> t.changes() == 0)) {
                if (!batch.isEmpty()) legacy.acknowledge(batch.getLast().positionAfter());
                return true;
            }
            Set<Long> applied = new HashSet<>();
            String position = null;
            long changes = 0;
            long lastCommit = 0;
            for (LegacySource.Committed transaction : batch) {
                Set<Long> todo = new TreeSet<>(transaction.keys());
                todo.removeAll(applied);
                // rows the dual write wrote and no legacy caller changed since: member-center's own state, echoed
                Set<Long> echoes = legacy.writtenBack(todo);
                todo.removeAll(echoes);
                applied.addAll(echoes);
                Map<Long, LegacyMember> rows =
                        legacy.read(todo).stream().collect(Collectors.toMap(LegacyMember::key, Function.identity()));
                for (long key : todo) {
                    LegacyMember row = rows.get(key);
                    if (row != null) {
                        apply(row);
                    }
                    applied.add(key);
                }
                for (long key : transaction.deleted()) {
                    ledger.quarantine(key, "deleted in the legacy store", clock.millis());
                }
                position = transaction.positionAfter();
                changes += transaction.changes();
                lastCommit = Math.max(lastCommit, transaction.commitMillis());
                if (System.nanoTime() >= deadlineNanos) {
                    break;
                }
            }
            legacy.acknowledge(position);
            ledger.incrementalApplied(changes, lastCommit, position, clock.millis());
        }
        return false;
    }

    private void apply(LegacyMember row) {
        MemberImport.Outcome outcome = switch (mapping.map(row)) {
            case LegacyMapping.Valid valid -> members.replace(valid.member());
            case LegacyMapping.Invalid invalid -> new MemberImport.Refused(invalid.reason());
        };
        if (outcome instanceof MemberImport.Refused refused) {
            ledger.quarantine(row.key(), refused.reason(), clock.millis());
        } else {
            ledger.unquarantine(row.key());
        }
    }
}
