package io.membercenter.migration;

import io.membercenter.member.Member;
import io.membercenter.member.MemberImport;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The verify: every legacy key range compared with the members of the same ids, field by field after normalisation
 * ({@link LegacyMapping#differences}), every finding recorded by member id: MISMATCH with the differing fields,
 * MISSING (a valid legacy row without a member, or an invalid one nobody quarantined), EXTRA (a member in the
 * legacy store's key range with no legacy row). Members outside that range were never the legacy store's (the
 * ids member-center generates are far above it), so they are not compared. Not a sample: the whole range, chunk by chunk, resumable from its saved cursor.
 *
 * <p>With the legacy system still writing, a row may change between the change capture's last batch and the
 * comparison. So a chunk is compared after the capture was drained, and a row that differs is compared again
 * after one more drain: what still differs then is a finding. Quarantined rows are the quarantine's, not findings.
 */
final class Verify {

    private final LegacySource legacy;
    private final LegacyMapping mapping;
    private final MemberImport members;
    private final MigrationLedger ledger;
    private final IncrementalSync incremental;
    private final MigrationProperties properties;
    private final Clock clock;

    Verify(
            LegacySource legacy,
            LegacyMapping mapping,
            MemberImport members,
            MigrationLedger ledger,
            IncrementalSync incremental,
            MigrationProperties properties,
            Clock clock) {
        this.legacy = legacy;
        this.mapping = mapping;
        this.members = members;
        this.ledger = ledger;
        this.incremental = incremental;
        this.properties = properties;
        this.clock = clock;
    }

    /** A new verify when none is running ({@code fresh} or the last one finished); then works until the deadline. */
    boolean step(long deadlineNanos, boolean fresh) {
        MigrationLedger.Run run = ledger.run();
        if (fresh || run.verifyStartedAt() == 0 || run.verifyFinishedAt() != 0) {
            // the legacy store's own key range: member ids outside it are not the migration's (API-created ones)
            LegacySource.KeyRange range = legacy.keyRange();
            ledger.startVerify(Math.max(0, range.min() - 1), range.max(), clock.millis());
            run = ledger.run();
        }
        Throttle throttle = new Throttle(properties.rowsPerSecond());
        long cursor = run.verifyCursor();
        long target = run.verifyTarget();
        while (System.nanoTime() < deadlineNanos) {
            if (cursor >= target) {
                ledger.finishVerify(clock.millis());
                return true;
            }
            drainChanges(deadlineNanos);
            List<LegacyMember> chunk = legacy.readAfter(cursor, target, properties.chunkSize());
            long upTo = chunk.size() < properties.chunkSize()
                    ? target
                    : chunk.getLast().key();
            compare(chunk, cursor, upTo, deadlineNanos);
            ledger.verifyChunkDone(upTo, chunk.size(), clock.millis());
            cursor = upTo;
            throttle.afterChunk(Math.max(1, chunk.size()));
        }
        return false;
    }

    private void compare(List<LegacyMember> chunk, long from, long upTo, long deadlineNanos) {
        Map<Long, Member> found = new HashMap<>();
        members.liveInRange(LegacyMapping.memberIdOf(from), LegacyMapping.memberIdOf(upTo))
                .forEach(m -> found.put(m.memberId(), m));
        Set<Long> quarantined = ledger.quarantinedKeys(from, upTo);
        for (LegacyMember row : chunk) {
            long memberId = LegacyMapping.memberIdOf(row.key());
            Member member = found.remove(memberId);
            if (quarantined.contains(row.key())) {
                continue;
            }
            Optional<List<String>> differs = findingOf(row, member);
            if (differs.isPresent()) {
                // a change may have landed since the last drain: look again once the capture is drained
                drainChanges(deadlineNanos);
                Optional<LegacyMember> again =
                        legacy.read(Set.of(row.key())).stream().findFirst();
                Optional<Member> now = members.find(memberId);
                if (again.isEmpty() || ledger.isQuarantined(row.key())) {
                    continue;
                }
                differs = findingOf(again.get(), now.orElse(null));
                differs.ifPresent(fields ->
                        ledger.mismatch(memberId, now.isEmpty() ? "MISSING" : "MISMATCH", fields, clock.millis()));
            }
        }
        for (Member extra : found.values()) {
            if (legacy.read(Set.of(extra.memberId())).isEmpty()) {
                ledger.mismatch(extra.memberId(), "EXTRA", List.of(), clock.millis());
            }
        }
    }

    /** Empty when the member is what the legacy row maps to; else the differing fields. */
    private Optional<List<String>> findingOf(LegacyMember row, Member member) {
        return switch (mapping.map(row)) {
            case LegacyMapping.Invalid ignored -> Optional.of(List.of("refused but not quarantined"));
            case LegacyMapping.Valid valid -> {
                if (member == null) yield Optional.of(List.of());
                List<String> fields = LegacyMapping.differences(valid.member(), member);
                yield fields.isEmpty() ? Optional.empty() : Optional.of(fields);
            }
        };
    }

    private void drainChanges(long deadlineNanos) {
        if (ledger.run().phase() == MigrationLedger.Phase.FULL_SYNC_DONE
                || ledger.run().phase() == MigrationLedger.Phase.INCREMENTAL) {
            incremental.step(Math.min(deadlineNanos, System.nanoTime() + 2_000_000_000L));
        }
    }
}
