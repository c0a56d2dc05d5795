package io.membercenter.member;

import io.membercenter.api.StoreUnavailableException;
import io.membercenter.shard.ShardedDatabases;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes what crashed operations left behind, database by database: claims past their TTL are
 * rolled forward or released, creates still PENDING past the TTL are aborted, aborted rows and
 * expired idempotency records are purged. Every step is a compare-and-set, so several instances may
 * sweep at once.
 *
 * <h2>Crashes and the sweeper</h2>
 * A crash can leave a claim unconfirmed or a row pending. A claim older than {@code claim-ttl} is
 * settled (here every {@code sweep-interval}, or at once by a request that needs the identifier;
 * how, see {@link IdentifierClaims}): its member is fenced first, so the crashed operation — should
 * it be merely slow — can no longer commit, and then the member row decides. So an identifier is never
 * blocked longer than {@code claim-ttl} plus one sweep, and a half-created member is never visible (a
 * pending row is never read, and is aborted).
 *
 * <p>Candidates come from non-locking reads and each is changed by primary key, so a sweep never
 * range-locks an index that live writes use.
 *
 * <p>A change reclaims the entries it removes before its commit ({@link IdentifierClaims#reclaim}), so a
 * crash between a change's commit and its release leaves a claim too: the member row no longer holds the
 * identifier, and the claim is deleted; a crash before the commit leaves the row holding it, and the claim
 * is confirmed back. Settled entries are never swept: none is left by a crash.
 *
 * <h2>Invariant</h2>
 * Crash between the writes of a create or a change: the identifier is free again after the sweep (or, not
 * removed after all, its member's again), no half-member is visible, and no entry names a member that does
 * not hold it ({@code MemberCrashRecoveryTest}, {@code governance.CrashStormTest}).
 */
final class ClaimSweeper {

    private static final Logger log = LoggerFactory.getLogger(ClaimSweeper.class);
    private static final int BATCH = 200;
    private static final Duration ABORTED_RETENTION = Duration.ofDays(1);

    private final IdentifierClaims claims;
    private final IdempotencyRecords idempotency;
    private final ShardedDatabases databases;
    private final Clock clock;
    private final MemberProperties properties;
    private final AtomicLong claimsSwept = new AtomicLong();

    ClaimSweeper(
            IdentifierClaims claims,
            IdempotencyRecords idempotency,
            ShardedDatabases databases,
            Clock clock,
            MemberProperties properties) {
        this.claims = claims;
        this.idempotency = idempotency;
        this.databases = databases;
        this.clock = clock;
        this.properties = properties;
    }

    /** One pass over every physical database; returns how many stale claims it settled. */
    public int sweep() {
        int settled = 0;
        for (String database : databases.databaseNames()) {
            try {
                settled += sweep(database);
            } catch (StoreUnavailableException e) {
                log.warn("event=sweep_skipped database={} reason=unavailable", database);
            }
        }
        claimsSwept.addAndGet(settled);
        return settled;
    }

    private int sweep(String database) {
        int aborted = abortStalePending(database);
        int settled = 0;
        for (OwnerEntries.Owner claim : staleClaims(database)) {
            claims.settleStale(claim);
            settled++;
        }
        int purged = purgeAborted(database) + idempotency.purgeExpired(database);
        if (aborted + settled + purged > 0) {
            log.info(
                    "event=sweep database={} abortedCreates={} settledClaims={} purgedRows={}",
                    database,
                    aborted,
                    settled,
                    purged);
        }
        return settled;
    }

    public long claimsSwept() {
        return claimsSwept.get();
    }

    /** Stale claims of one physical database, oldest first. */
    private List<OwnerEntries.Owner> staleClaims(String database) {
        long before = clock.millis() - properties.claimTtl().toMillis();
        return databases.onMaster(database, c -> OwnerEntries.claimedBefore(c, before, BATCH));
    }

    /** Aborts creates that stayed PENDING past the claim TTL; their claims are swept separately. */
    private int abortStalePending(String database) {
        long before = clock.millis() - properties.claimTtl().toMillis();
        int aborted = 0;
        for (long memberId : databases.onMaster(database, c -> MemberRows.idsIn(c, Lifecycle.PENDING, before))) {
            aborted += databases.onMaster(database, c -> MemberRows.abortPending(c, memberId));
        }
        return aborted;
    }

    /** Deletes aborted rows after a day; ids are never reused, so nothing can point at them. */
    private int purgeAborted(String database) {
        long before = clock.millis() - ABORTED_RETENTION.toMillis();
        int purged = 0;
        for (long memberId : databases.onMaster(database, c -> MemberRows.idsIn(c, Lifecycle.ABORTED, before))) {
            purged += databases.onMaster(
                    database,
                    c -> Statements.update(
                            c,
                            "DELETE FROM member WHERE member_id = ? AND lifecycle = ?",
                            memberId,
                            Lifecycle.ABORTED));
        }
        return purged;
    }
}
