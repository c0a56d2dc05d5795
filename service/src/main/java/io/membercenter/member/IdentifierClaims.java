package io.membercenter.member;

import io.membercenter.api.ConflictException;
import io.membercenter.api.StoreUnavailableException;
import io.membercenter.member.OwnerEntries.Owner;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.shard.ShardMap;
import io.membercenter.shard.ShardedDatabases;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner entries around a member's commit: each identifier (mobile, e-mail, each third-party
 * identity) has one entry in the shard of the identifier's own hash, so a lookup touches one shard.
 *
 * <h2>Claim</h2>
 * For each identifier an operation adds, it inserts an owner entry
 * {@code (identifier -> memberId, CLAIMED, token)}. The primary key decides races: exactly one insert
 * wins. A loser finds the entry and waits (up to {@code claim-wait}) for it to settle; if it settles
 * to another member that really holds the identifier, the loser answers 409. An entry of the same
 * member that is settled is taken over (and restored if the operation does not commit); a settled
 * entry whose member no longer holds the identifier (a hand-made row, or one left before removals were
 * reclaimed: no crash or failed step leaves one now) is deleted.
 *
 * <h2>Reclaim, confirm, release, undo</h2>
 * Before a change's commit, each entry of an identifier the change removes is <em>reclaimed</em>: the member's
 * CONFIRMED entry becomes a CLAIMED entry under the change's token ({@link #reclaim}), so from then on it is a claim
 * like the ones the change adds, and a crash anywhere later leaves nothing the sweeper does not settle. After the
 * member row committed ({@link MemberWrites}), the added claims are confirmed ({@code CLAIMED -> CONFIRMED},
 * matched by token), then the reclaimed entries are deleted (matched by token, so an entry another operation took
 * over meanwhile is left alone). On a conflict or an error before the commit, the operation deletes its own claims
 * and confirms the reclaimed entries back (by token): nothing it wrote remains. Another member claiming a reclaimed
 * identifier meets a claim: it waits for it, and loses if the change does not commit — never a second owner.
 *
 * <h2>Settling a stale claim</h2>
 * A claim older than {@code claim-ttl} is settled — by the {@link ClaimSweeper}, or at once by a
 * request that needs the identifier: the member is first <em>fenced</em> (a transaction that bumps
 * its {@code fence} and aborts it if still pending), so the operation that made the claim — should
 * it be merely slow — can no longer commit; then the member row, now final, decides: if the member is
 * live and holds the identifier the claim is confirmed, otherwise it is deleted. For an added identifier that is
 * roll forward or roll back; for a reclaimed (removed) one the same two cases read the other way round: the row
 * still holds it, so the change did not commit, and the entry is the member's again; the row does not, so the
 * removal committed, and the entry goes. The decision is final: while the entry is this claim no other operation
 * can add or remove the identifier (each must take the entry first), and the fence stops the claim's own.
 *
 * <h2>Invariant</h2>
 * No identifier has two owners: the owner table's primary key, plus the rule that an entry is deleted
 * only by token after the member row says it is not held ({@code MemberConcurrencyTest}: 50 rounds of
 * 16 threads creating with one mobile and binding one identity).
 */
final class IdentifierClaims {

    private static final Logger log = LoggerFactory.getLogger(IdentifierClaims.class);

    /** A claim and, when it took over a settled entry of the same member, what to restore on failure. */
    record Claim(IdentifierKey key, Owner replaced) {}

    private final ShardedDatabases databases;
    private final ShardMap shards;
    private final Clock clock;
    private final MemberProperties properties;
    private final MemberRows rows;

    IdentifierClaims(ShardedDatabases databases, Clock clock, MemberProperties properties, MemberRows rows) {
        this.databases = databases;
        this.shards = databases.shardMap();
        this.clock = clock;
        this.properties = properties;
        this.rows = rows;
    }

    /**
     * Claims an identifier for a member. Waits briefly for an in-flight claim of someone else to
     * settle, and settles one that went stale. Throws {@link ConflictException} when another member
     * holds it.
     */
    Claim claim(IdentifierKey key, long memberId, String token) {
        int shard = shards.shardOfIdentifier(key.hashKey());
        long deadline = System.nanoTime() + properties.claimWait().toNanos();
        while (true) {
            long now = clock.millis();
            boolean inserted =
                    databases.onMaster(shard, c -> OwnerEntries.insertClaim(c, key, shard, memberId, token, now));
            if (inserted) {
                return new Claim(key, null);
            }
            Optional<Owner> existing = databases.onMaster(shard, c -> OwnerEntries.select(c, key));
            if (existing.isEmpty()) {
                continue; // released between our insert and our read
            }
            Owner owner = existing.get();
            if (!owner.claimed()) {
                if (owner.memberId() == memberId) {
                    if (databases.onMaster(shard, c -> OwnerEntries.takeOver(c, owner, token, clock.millis()))) {
                        return new Claim(key, owner);
                    }
                    continue;
                }
                if (settledOwnerHolds(owner)) {
                    throw new ConflictException(typeOf(key), key.masked());
                }
                deleteEntry(owner);
                continue;
            }
            if (isStale(owner)) {
                settleStale(owner);
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new ConflictException(typeOf(key), key.masked());
            }
            pause();
        }
    }

    /** Before a commit that did not happen: deletes fresh claims, restores entries taken over. */
    void undo(List<Claim> claims, String token) {
        for (Claim claim : claims) {
            int shard = shards.shardOfIdentifier(claim.key().hashKey());
            if (claim.replaced() == null) {
                databases.onMaster(shard, c -> OwnerEntries.delete(c, claim.key(), token, ClaimState.CLAIMED));
            } else {
                databases.onMaster(shard, c -> OwnerEntries.restore(c, claim.replaced(), token));
            }
        }
    }

    /**
     * Before the commit of a change that removes {@code keys}: each entry of the member becomes this operation's
     * claim, so that whatever happens after the commit the entry is a claim the {@link ClaimSweeper} settles by the
     * member row. One statement per physical database; an entry it did not take (a claim of another operation of
     * the member, in flight or crashed) is waited for like any claim. An entry that is missing or names another
     * member is not the member's to release and is left alone. Returns the keys now claimed under {@code token}.
     * Throws {@link StoreUnavailableException} when another operation of the member keeps one claimed longer than
     * {@code claim-wait}: the change is refused (503, Retry-After), and the caller puts back what it took.
     */
    List<IdentifierKey> reclaim(Collection<IdentifierKey> keys, long memberId, String token) {
        List<IdentifierKey> reclaimed = new ArrayList<>();
        byDatabase(keys).forEach((database, group) -> {
            int taken =
                    databases.onMaster(database, c -> OwnerEntries.reclaim(c, group, memberId, token, clock.millis()));
            if (taken == group.size()) {
                reclaimed.addAll(group);
                return;
            }
            for (IdentifierKey key : group) {
                if (reclaimOne(key, memberId, token)) reclaimed.add(key);
            }
        });
        return reclaimed;
    }

    /** The slow path of {@link #reclaim} for one key: what the one statement did not take. */
    private boolean reclaimOne(IdentifierKey key, long memberId, String token) {
        int shard = shards.shardOfIdentifier(key.hashKey());
        long deadline = System.nanoTime() + properties.claimWait().toNanos();
        while (true) {
            Optional<Owner> existing = databases.onMaster(shard, c -> OwnerEntries.select(c, key));
            if (existing.isEmpty() || existing.get().memberId() != memberId) {
                return false;
            }
            Owner owner = existing.get();
            if (owner.token().equals(token)) {
                return true;
            }
            if (!owner.claimed()) {
                if (databases.onMaster(shard, c -> OwnerEntries.takeOver(c, owner, token, clock.millis()))) {
                    return true;
                }
                continue;
            }
            if (isStale(owner)) {
                settleStale(owner);
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new StoreUnavailableException("Another change of the member's "
                        + typeOf(key).toLowerCase() + " is still running; try again.");
            }
            pause();
        }
    }

    /** Confirms this operation's entries among {@code keys}: one statement per physical database. */
    void confirm(Collection<IdentifierKey> keys, String token) {
        byDatabase(keys)
                .forEach((database, group) ->
                        databases.onMaster(database, c -> OwnerEntries.confirm(c, group, token, clock.millis())));
    }

    /**
     * Deletes this operation's claims among {@code keys} (one statement per physical database): the claims of a
     * create that did not commit, and after a change's commit the entries it removed ({@link #reclaim}); an entry
     * another operation holds is left alone.
     */
    void release(Collection<IdentifierKey> keys, String token) {
        byDatabase(keys)
                .forEach((database, group) ->
                        databases.onMaster(database, c -> OwnerEntries.delete(c, group, token, ClaimState.CLAIMED)));
    }

    /**
     * After an undone merge step ({@link MemberMerge}): drop the entry unless its member still holds the identifier or
     * another operation took it over meanwhile — the rule a change's release followed before changes reclaimed their
     * entries ({@link #reclaim}); the merge's undo still puts entries back without a claim of the member's.
     */
    void releaseIfNotHeld(IdentifierKey key, long memberId) {
        int shard = shards.shardOfIdentifier(key.hashKey());
        databases
                .onMaster(shard, c -> OwnerEntries.select(c, key))
                .filter(o -> o.memberId() == memberId && !o.claimed())
                .filter(o -> !settledOwnerHolds(o))
                .ifPresent(this::deleteEntry);
    }

    private Map<String, List<IdentifierKey>> byDatabase(Collection<IdentifierKey> keys) {
        Map<String, List<IdentifierKey>> groups = new LinkedHashMap<>();
        for (IdentifierKey key : keys) {
            groups.computeIfAbsent(
                            databases.databaseOf(shards.shardOfIdentifier(key.hashKey())), d -> new ArrayList<>())
                    .add(key);
        }
        return groups;
    }

    /**
     * Finishes or releases a claim whose operation may have died. Fencing the member first means the
     * operation, if it still runs, can no longer commit; what the member row says afterwards is final.
     */
    void settleStale(Owner owner) {
        long memberId = owner.memberId();
        int shard = shards.shardOfMember(memberId);
        Optional<MemberRows.Row> row = databases.inTransaction(shard, c -> {
            MemberRows.fence(c, memberId);
            return rows.select(c, memberId);
        });
        boolean holds = row.filter(MemberRows.Row::live)
                .map(r -> r.member().holds(owner.key()))
                .orElse(false);
        int ownerShard = shards.shardOfIdentifier(owner.key().hashKey());
        if (holds) {
            databases.onMaster(ownerShard, c -> OwnerEntries.confirm(c, owner.key(), owner.token(), clock.millis()));
            log.info("event=claim_rolled_forward identifier={} memberId={}", owner.key(), memberId);
        } else {
            databases.onMaster(ownerShard, c -> OwnerEntries.delete(c, owner.key(), owner.token(), ClaimState.CLAIMED));
            log.info("event=claim_released identifier={} memberId={}", owner.key(), memberId);
        }
    }

    /** A CONFIRMED entry whose member no longer holds the identifier is a leftover of a removal. */
    private boolean settledOwnerHolds(Owner owner) {
        int shard = shards.shardOfMember(owner.memberId());
        return databases
                .onMaster(shard, c -> rows.select(c, owner.memberId()))
                .filter(MemberRows.Row::live)
                .map(r -> r.member().holds(owner.key()))
                .orElse(false);
    }

    private void deleteEntry(Owner owner) {
        int shard = shards.shardOfIdentifier(owner.key().hashKey());
        databases.onMaster(shard, c -> OwnerEntries.delete(c, owner.key(), owner.token(), owner.state()));
    }

    private boolean isStale(Owner owner) {
        return clock.millis() - owner.changedAt() > properties.claimTtl().toMillis();
    }

    private static String typeOf(IdentifierKey key) {
        return key.kind().name();
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("Interrupted while waiting for a claim to settle.");
        }
    }
}
