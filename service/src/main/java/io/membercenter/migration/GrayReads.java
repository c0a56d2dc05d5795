package io.membercenter.migration;

import io.membercenter.member.Member;
import io.membercenter.member.MemberImport;
import io.membercenter.member.MemberReadRoute;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gray read switch: while the legacy store is still the old system's truth, a share of reads by id (the
 * members whose id falls in the first {@code percent} of 100 buckets) and every read of the chosen callers are
 * answered from member-center's store, and the legacy store is read too and compared; every other read by id is
 * answered from the legacy store, mapped ({@link LegacyMapping#map}), as the old system would have answered it.
 * Raising the share moves reads over member by member: the bucket is the id's, so a member's reads do not flip
 * between the stores from one read to the next.
 *
 * <p>The comparison runs off the request path (at most {@link #IN_FLIGHT} at once; more are counted as skipped)
 * and a difference is compared again, on both masters, {@link #RECHECK_AFTER_MILLIS} later: a write on its way
 * through the dual write or the incremental sync is not a finding. What still differs is listed by member id with
 * the differing fields (never values). A legacy row that is missing, refused by today's rules or unreachable
 * leaves the read to member-center's store: the switch never turns a member into a 404 or a 503.
 */
final class GrayReads implements MemberReadRoute {

    private static final Logger log = LoggerFactory.getLogger(GrayReads.class);

    static final String SOURCE = "legacy";
    private static final int IN_FLIGHT = 16;
    private static final long RECHECK_AFTER_MILLIS = 1_000;
    private static final long SETTING_TTL_NANOS = 1_000_000_000L;

    record Setting(int percent, Set<String> callers) {
        static final Setting OFF = new Setting(0, Set.of());

        boolean on() {
            return percent > 0 || !callers.isEmpty();
        }

        static Setting of(int percent, String callers) {
            return new Setting(percent, callers.isBlank() ? Set.of() : Set.of(callers.split(",")));
        }
    }

    record Counts(long servedByMemberCenter, long servedByLegacy, long compared, long skipped) {}

    private final LegacySource legacy;
    private final LegacyMapping mapping;
    private final MemberImport members;
    private final MigrationLedger ledger;
    private final Clock clock;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final ScheduledExecutorService rechecks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("gray-recheck").factory());
    private final AtomicLong servedByMemberCenter = new AtomicLong();
    private final AtomicLong servedByLegacy = new AtomicLong();
    private final AtomicLong compared = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile Setting setting = Setting.OFF;
    private volatile long settingReadAt = System.nanoTime() - SETTING_TTL_NANOS;

    GrayReads(LegacySource legacy, LegacyMapping mapping, MemberImport members, MigrationLedger ledger, Clock clock) {
        this.legacy = legacy;
        this.mapping = mapping;
        this.members = members;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** The bucket 0-99 of a member id, spread so that neighbouring ids fall in different buckets. */
    static int bucket(long memberId) {
        long h = memberId * 0x9E3779B97F4A7C15L;
        return (int) Math.floorMod(h ^ (h >>> 32), 100L);
    }

    static boolean toMemberCenter(Setting setting, String caller, long memberId) {
        return setting.callers().contains(caller) || bucket(memberId) < setting.percent();
    }

    @Override
    public Optional<Routed> route(String caller, long memberId, Optional<Member> found) {
        Setting current = setting();
        if (!current.on()) return Optional.empty();
        if (toMemberCenter(current, caller, memberId)) {
            servedByMemberCenter.incrementAndGet();
            compareLater(memberId, found);
            return Optional.empty();
        }
        Optional<MemberImport.Imported> row = legacyRow(memberId);
        if (row.isPresent() && differs(row.get(), found)) {
            // Never an answer older than a write member-center acknowledged: see differs.
            compareLater(memberId, found);
            row = Optional.empty();
        }
        Optional<Routed> fromLegacy = row.map(r -> new Routed(asMember(r, found), SOURCE));
        (fromLegacy.isPresent() ? servedByLegacy : servedByMemberCenter).incrementAndGet();
        return fromLegacy;
    }

    /**
     * Whether a legacy row differs from member-center's member, which is then not served: member-center is written
     * first — the API's writes land in the shards and reach
     * the legacy store through the asynchronous dual write — so a differing legacy row may be behind a write that
     * member-center acknowledged, and serving it would break the consistency promise (a read after an acknowledged
     * write returns that version or a newer one). The other cause, an old-system write the incremental sync has not
     * applied yet, is not a write member-center acknowledged, so answering member-center's member breaks nothing. The
     * difference is compared again a second later and listed if it stays.
     */
    private static boolean differs(MemberImport.Imported legacy, Optional<Member> found) {
        return found.isEmpty()
                || !LegacyMapping.differences(legacy, found.get()).isEmpty();
    }

    Counts counts() {
        return new Counts(servedByMemberCenter.get(), servedByLegacy.get(), compared.get(), skipped.get());
    }

    /** The switch as the ledger has it now; read on the request path at most once a second. */
    Setting setting() {
        long now = System.nanoTime();
        if (now - settingReadAt >= SETTING_TTL_NANOS) {
            settingReadAt = now;
            try {
                MigrationLedger.Run run = ledger.run();
                // cut over (or finished), every read is member-center's: the ledger keeps the switch at 0 then
                setting = Setting.of(run.grayPercent(), run.grayCallers());
            } catch (RuntimeException homeDown) {
                // keep the last setting: the home database's outage must not move reads between stores
            }
        }
        return setting;
    }

    /** Forgets the cached setting, so a step's change is in force on this instance at once. */
    void refresh() {
        settingReadAt = System.nanoTime() - SETTING_TTL_NANOS;
    }

    void close() {
        rechecks.shutdownNow();
    }

    /** The legacy row as today's rules read it; empty when it is missing, refused, or the store is unreachable. */
    private Optional<MemberImport.Imported> legacyRow(long memberId) {
        try {
            return legacy.read(Set.of(memberId)).stream()
                    .findFirst()
                    .map(mapping::map)
                    .filter(LegacyMapping.Valid.class::isInstance)
                    .map(valid -> ((LegacyMapping.Valid) valid).member());
        } catch (LegacySource.UnavailableException e) {
            return Optional.empty();
        }
    }

    /** The legacy row as a member; version and update time are member-center's (the legacy store has neither). */
    private static Member asMember(MemberImport.Imported row, Optional<Member> found) {
        return new Member(
                row.memberId(),
                row.mobile(),
                row.email(),
                row.nickname(),
                row.level(),
                row.status(),
                row.identities(),
                found.map(Member::version).orElse(0L),
                row.createdAt(),
                found.map(Member::updatedAt).orElse(row.createdAt()));
    }

    private void compareLater(long memberId, Optional<Member> found) {
        if (!inFlight.tryAcquire()) {
            skipped.incrementAndGet();
            return;
        }
        Thread.ofVirtual().name("gray-compare").start(() -> {
            try {
                if (finding(memberId, found).isPresent()) {
                    rechecks.schedule(() -> recheck(memberId), RECHECK_AFTER_MILLIS, TimeUnit.MILLISECONDS);
                }
                compared.incrementAndGet();
            } catch (RuntimeException e) {
                skipped.incrementAndGet();
                log.debug("event=gray_compare_failed reason={}", e.getClass().getSimpleName());
            } finally {
                inFlight.release();
            }
        });
    }

    private void recheck(long memberId) {
        try {
            finding(memberId, members.find(memberId))
                    .ifPresent(f -> ledger.grayMismatch(memberId, f.kind(), f.fields(), clock.millis()));
        } catch (RuntimeException e) {
            log.debug("event=gray_recheck_failed reason={}", e.getClass().getSimpleName());
        }
    }

    private record Finding(String kind, List<String> fields) {}

    /** Empty when the legacy row maps to the member (or is refused, the quarantine's); else what differs. */
    private Optional<Finding> finding(long memberId, Optional<Member> member) {
        Optional<LegacyMember> row = legacy.read(Set.of(memberId)).stream().findFirst();
        if (row.isEmpty()) {
            return member.isPresent() ? Optional.of(new Finding("EXTRA", List.of())) : Optional.empty();
        }
        if (!(mapping.map(row.get()) instanceof LegacyMapping.Valid valid)) return Optional.empty();
        if (member.isEmpty()) return Optional.of(new Finding("MISSING", List.of()));
        List<String> fields = LegacyMapping.differences(valid.member(), member.get());
        return fields.isEmpty() ? Optional.empty() : Optional.of(new Finding("MISMATCH", fields));
    }
}
