package io.membercenter.member;

import io.membercenter.api.StoreUnavailableException;
import io.membercenter.shard.ShardedDatabases;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes what crashed operations left behind, database by database: claims past their TTL are
 * rolled forward or released, creates still PENDING past the TTL are aborted, aborted rows and
 * expired idempotency records are purged. Every step is a compare-and-set, so several instances may
 * sweep at once.
 */
final class ClaimSweeper {

    private static final Logger log = LoggerFactory.getLogger(ClaimSweeper.class);
    private static final int BATCH = 200;

    private final MemberStore store;
    private final IdempotencyRecords idempotency;
    private final ShardedDatabases databases;
    private final AtomicLong claimsSwept = new AtomicLong();

    ClaimSweeper(MemberStore store, IdempotencyRecords idempotency, ShardedDatabases databases) {
        this.store = store;
        this.idempotency = idempotency;
        this.databases = databases;
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
        int aborted = store.abortStalePending(database);
        int settled = 0;
        for (MemberStore.Owner claim : store.staleClaims(database, BATCH)) {
            store.sweepClaim(claim);
            settled++;
        }
        int purged = store.purgeAborted(database) + idempotency.purgeExpired(database);
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
}
