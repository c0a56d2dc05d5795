package io.membercenter.member;

import io.membercenter.cache.MemberCache;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.shard.ShardMap;
import io.membercenter.shard.ShardedDatabases;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a committed create or change does before it is acknowledged. Once the member row has
 * committed, the change is durable and is what every read of MySQL returns, so nothing after it may
 * turn the answer into an error: a caller told "failed" would retry a change that is done, and a
 * create's Idempotency-Key would lose the member it made. Every step here is therefore either
 * retried or left to something that finishes it later, and {@link #run} never throws.
 *
 * <h2>The steps, in this order</h2>
 * <ol>
 *   <li><b>Invalidate</b> first, so no failure of a later step can skip it: both data centers' caches
 *       drop the member and raise its pending marker and version floor to the new version, for every
 *       identifier it holds and every one the change touched, so neither a cache nor a search cluster
 *       that refreshes later can answer with anything older. A Redis that does not answer is queued
 *       a retry by the cache itself ({@code io.membercenter.cache}); anything else that fails here is
 *       retried.</li>
 *   <li><b>Confirm</b> the claims ({@link IdentifierClaims}). If it fails, the claims stay CLAIMED
 *       and the {@link ClaimSweeper} rolls them forward once they are older than {@code claim-ttl},
 *       since the member row holds them; until then a lookup follows a claimed entry like a confirmed
 *       one, and a competing claim waits for it to settle and loses.</li>
 *   <li><b>Release</b> the identifiers the change removed: their entries, reclaimed before the commit,
 *       are deleted by token. If it fails, the entry stays a claim of the member, which no longer holds
 *       it: a lookup verifies the member row and answers 404, a competing claim waits for it and, once
 *       it is older than {@code claim-ttl}, settles it (as the {@link ClaimSweeper} does): deleted, since
 *       the row does not hold it. So the identifier is free again within {@code claim-ttl} plus a sweep.</li>
 *   <li><b>Wait for the local replicas</b> of every database the write touched, so local reads that
 *       follow see it; retried, then given up (logged) — the replica normally applies the change
 *       within milliseconds anyway.</li>
 * </ol>
 * A failed step does not stop the ones after it.
 *
 * <p>Proved by {@code MemberPostCommitFailureTest}: each step made to fail once (a crash point) for a
 * create, a mobile change, a bind and an unbind: 2xx, the Idempotency-Key retry replays the same
 * member, no Redis in either data center keeps the old version, and the sweeper finishes what the
 * step left (an unconfirmed claim, or a reclaimed entry of a removed identifier).
 */
final class PostCommitSteps {

    private static final Logger log = LoggerFactory.getLogger(PostCommitSteps.class);
    private static final int INVALIDATION_ATTEMPTS = 3;
    private static final int REPLICA_WAIT_ATTEMPTS = 2;
    private static final long RETRY_PAUSE_MILLIS = 20;

    private final ShardedDatabases databases;
    private final ShardMap shards;
    private final MemberCache cache;
    private final IdentifierClaims claims;
    private final CrashPoints crashPoints;

    PostCommitSteps(ShardedDatabases databases, MemberCache cache, IdentifierClaims claims, CrashPoints crashPoints) {
        this.databases = databases;
        this.shards = databases.shardMap();
        this.cache = cache;
        this.claims = claims;
        this.crashPoints = crashPoints;
    }

    /**
     * Runs the steps after the commit of {@code committed}, whose claims ({@code claimed}, made with
     * {@code token}) are to be confirmed and whose {@code removed} identifiers released.
     */
    void run(
            int memberShard,
            Member committed,
            String token,
            Collection<IdentifierKey> claimed,
            Collection<IdentifierKey> removed) {
        List<IdentifierKey> touched = new ArrayList<>(claimed);
        touched.addAll(removed);
        attempt("invalidate", committed, INVALIDATION_ATTEMPTS, () -> {
            crashPoints.reach(CrashPoints.INVALIDATE_AFTER_COMMIT);
            invalidate(committed, touched);
        });
        if (!claimed.isEmpty()) {
            attempt("confirm", committed, 1, () -> {
                crashPoints.reach(CrashPoints.CONFIRM_AFTER_COMMIT);
                claims.confirm(claimed, token);
            });
        }
        if (!removed.isEmpty()) {
            attempt("release", committed, 1, () -> {
                crashPoints.reach(CrashPoints.RELEASE_AFTER_COMMIT);
                claims.release(removed, token);
            });
        }
        attempt("replica-wait", committed, REPLICA_WAIT_ATTEMPTS, () -> {
            crashPoints.reach(CrashPoints.REPLICA_WAIT_AFTER_COMMIT);
            awaitLocalCopies(memberShard, touched);
        });
    }

    private void invalidate(Member committed, Collection<IdentifierKey> touched) {
        if (cache != null) {
            Set<IdentifierKey> keys = new LinkedHashSet<>();
            keys.addAll(committed.identifiers());
            keys.addAll(touched);
            cache.invalidate(committed.memberId(), committed.version(), keys);
        }
    }

    private void awaitLocalCopies(int memberShard, Collection<IdentifierKey> identifiers) {
        Set<String> touched = new HashSet<>();
        touched.add(databases.databaseOf(memberShard));
        identifiers.forEach(k -> touched.add(databases.databaseOf(shards.shardOfIdentifier(k.hashKey()))));
        databases.awaitLocalCopies(touched);
    }

    /** Runs a step up to {@code attempts} times; a step that still fails is logged, never thrown. */
    private static void attempt(String step, Member committed, int attempts, Runnable work) {
        for (int attempt = 1; ; attempt++) {
            try {
                work.run();
                return;
            } catch (CrashPoints.SimulatedCrash crash) {
                throw crash;
            } catch (RuntimeException e) {
                if (attempt >= attempts) {
                    // No message: a store's error text can carry an identifier.
                    log.warn(
                            "event=post_commit_step_failed step={} memberId={} version={} attempts={} reason={}",
                            step,
                            committed.memberId(),
                            committed.version(),
                            attempts,
                            e.getClass().getSimpleName());
                    return;
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
