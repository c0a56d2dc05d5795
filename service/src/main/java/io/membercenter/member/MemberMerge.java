package io.membercenter.member;

import io.membercenter.api.ConflictException;
import io.membercenter.api.StoreUnavailableException;
import io.membercenter.governance.MemberMerges;
import io.membercenter.member.MergeRecords.Plan;
import io.membercenter.member.MergeRecords.Stored;
import io.membercenter.member.OwnerEntries.Owner;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.Outbox;
import io.membercenter.shard.ShardMap;
import io.membercenter.shard.ShardedDatabases;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Merges two members who are one person through the claim protocol ({@link IdentifierClaims}): the merged member's
 * identifiers go to the survivor, the merged member is closed ({@link Lifecycle#MERGED}, {@code merged_into}). The
 * steps, and what a crash after each leaves for the {@link ClaimSweeper}:
 * <ol>
 *   <li><b>Intent</b> ({@link MergeRecords}): the pair, a token, the plan (every identifier the merged member holds,
 *       at its version), a lease. Unique per merged member and per pair: a retry finds it.</li>
 *   <li><b>Take</b> each planned entry of the merged member: {@code CONFIRMED -> CLAIMED} with the merge's token,
 *       still naming the merged member. Crash: the sweeper finds the merged member LIVE holding them and rolls them
 *       forward — nothing happened.</li>
 *   <li><b>Close</b> the merged member in one statement at the version and fence read: {@code LIVE -> MERGED}, no
 *       identifiers, status {@code CLOSED}, {@code version + 1}, its change in the outbox. Crash: the claims name a
 *       member that is not LIVE, the sweeper deletes them; the identifiers are free, no row holds them.</li>
 *   <li><b>Hand over</b> the claims to the survivor (same token, aged from now) — or claim afresh one whose claim the
 *       sweeper removed — and <b>commit</b> the survivor at its version and fence: it gains every identity, and the
 *       mobile and the e-mail when it has none of that kind (else they are released), {@code version + 1}. Crash
 *       before the commit: the sweeper finds the survivor not holding them and deletes them; after: it confirms
 *       them.</li>
 *   <li><b>Confirm</b> the survivor's claims, <b>release</b> the others (by token), and finish the record.</li>
 * </ol>
 * At no moment do two member rows hold one identifier (the merged member loses them before the survivor gains them),
 * and an entry names one member throughout; between the close and the survivor's commit a lookup of a moved
 * identifier answers 404 (no row holds it). A crash leaves nothing the sweeper does not settle; the merge itself is
 * finished by a retry of the same pair once its lease is over (what the sweeper freed is claimed again if still free,
 * else recorded as lost).
 */
final class MemberMerge implements MemberMerges {

    private static final int ATTEMPTS = 16;
    private static final int MAX_HOPS = 8;

    private final ShardedDatabases databases;
    private final ShardMap shards;
    private final Clock clock;
    private final MemberProperties properties;
    private final MemberRows rows;
    private final IdentitiesColumn identities;
    private final IdentifierClaims claims;
    private final PostCommitSteps postCommit;
    private final MemberChangeEvents changeEvents;
    private final MergeRecords records;

    MemberMerge(
            ShardedDatabases databases,
            Clock clock,
            MemberProperties properties,
            MemberRows rows,
            IdentitiesColumn identities,
            IdentifierClaims claims,
            PostCommitSteps postCommit,
            MemberChangeEvents changeEvents,
            MergeRecords records) {
        this.databases = databases;
        this.shards = databases.shardMap();
        this.clock = clock;
        this.properties = properties;
        this.rows = rows;
        this.identities = identities;
        this.claims = claims;
        this.postCommit = postCommit;
        this.changeEvents = changeEvents;
        this.records = records;
    }

    /** The merged member closed (at {@code version}), with the plan it was closed by. */
    private record Closed(Plan plan, long version) {}

    /** The survivor after it gained what moved. */
    private record Gained(
            long version, List<IdentifierKey> moved, List<IdentifierKey> released, List<IdentifierKey> lost) {}

    @Override
    public Outcome merge(long survivorId, long mergedId, String reason, String actor) {
        if (survivorId == mergedId) return new Refused("The survivor and the merged member are the same member.");
        Optional<Stored> earlier = records.ofPair(survivorId, mergedId);
        if (earlier.isPresent()) return again(earlier.get(), survivorId, mergedId);
        Optional<MemberRows.Row> survivor = row(survivorId);
        Optional<MemberRows.Row> merged = row(mergedId);
        Optional<Outcome> refused = check("survivor", survivorId, survivor).or(() -> check("merged", mergedId, merged));
        if (refused.isPresent()) return refused.get();
        Member mergedMember = merged.get().member();
        Plan plan = new Plan(mergedMember.version(), mergedMember.identifiers());
        long now = clock.millis();
        Optional<Long> started = records.start(
                survivorId,
                mergedId,
                OwnerEntries.newToken(),
                plan,
                survivor.get().member().version(),
                actor,
                reason,
                now,
                now + lease());
        if (started.isEmpty()) {
            return records.ofPair(survivorId, mergedId)
                    .map(stored -> again(stored, survivorId, mergedId))
                    .orElseGet(InProgress::new);
        }
        return new Done(run(records.ofPair(survivorId, mergedId).orElseThrow()), false);
    }

    @Override
    public List<Merge> mergesOf(long memberId) {
        return records.of(memberId);
    }

    /** The same pair asked again: its record, or the merge finished now if it stopped midway. */
    private Outcome again(Stored stored, long survivorId, long mergedId) {
        Merge merge = stored.merge();
        if (merge.survivor() != survivorId || merge.merged() != mergedId) {
            return new Refused("Member " + merge.merged() + " was merged into member " + merge.survivor() + ".");
        }
        if (merge.done()) return new Done(merge, true);
        long now = clock.millis();
        if (!records.lease(merge.id(), now, now + lease())) return new InProgress();
        return new Done(run(stored), true);
    }

    private static Optional<Outcome> check(String field, long memberId, Optional<MemberRows.Row> row) {
        if (row.isEmpty()
                || row.get().lifecycle() == Lifecycle.PENDING
                || row.get().lifecycle() == Lifecycle.ABORTED) {
            return Optional.of(new Unknown(field, memberId));
        }
        if (!row.get().live()) {
            return Optional.of(new Refused("The " + field + " member " + memberId + " is not LIVE (it is "
                    + row.get().lifecycle() + ")."));
        }
        return Optional.empty();
    }

    private Merge run(Stored stored) {
        Merge merge = stored.merge();
        try {
            Closed closed = close(stored);
            Gained gained = gain(stored, closed.plan());
            records.finish(
                    merge.id(),
                    gained.moved(),
                    gained.released(),
                    gained.lost(),
                    gained.version(),
                    closed.version(),
                    clock.millis());
            return records.ofPair(merge.survivor(), merge.merged())
                    .orElseThrow()
                    .merge();
        } catch (RuntimeException e) {
            records.unlease(merge.id());
            throw e;
        }
    }

    /** Takes the merged member's entries and closes it; an already closed one (a resumed merge) is left as it is. */
    private Closed close(Stored stored) {
        long mergedId = stored.merge().merged();
        int shard = shards.shardOfMember(mergedId);
        Plan plan = stored.plan();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            MemberRows.Row row = row(mergedId).orElseThrow();
            if (row.lifecycle() == Lifecycle.MERGED)
                return new Closed(plan, row.member().version());
            Member before = row.member();
            if (before.version() != plan.mergedVersion()) {
                plan = new Plan(before.version(), before.identifiers());
                records.replan(stored.merge().id(), plan);
            }
            List<IdentifierClaims.Claim> taken = take(plan.keys(), mergedId, stored.token());
            Member closed = new Member(
                    mergedId,
                    null,
                    null,
                    before.nickname(),
                    before.level(),
                    Member.Status.CLOSED,
                    List.of(),
                    before.version() + 1,
                    before.createdAt(),
                    clock.instant());
            long survivorId = stored.merge().survivor();
            boolean committed = databases.inTransaction(shard, c -> {
                boolean done = Statements.update(
                                c,
                                "UPDATE member SET lifecycle = ?, merged_into = ?, mobile = NULL, email = NULL, "
                                        + "identities = ?, status = ?, version = version + 1, updated_at = ? "
                                        + "WHERE member_id = ? AND version = ? AND fence = ? AND lifecycle = ?",
                                Lifecycle.MERGED,
                                survivorId,
                                identities.write(List.of()),
                                Member.Status.CLOSED,
                                closed.updatedAt().toEpochMilli(),
                                mergedId,
                                before.version(),
                                row.fence(),
                                Lifecycle.LIVE)
                        == 1;
                if (done) {
                    Outbox.append(
                            c,
                            shard,
                            changeEvents.of(closed, before.identifiers()),
                            closed.updatedAt().toEpochMilli());
                }
                return done;
            });
            if (committed) {
                postCommit.run(shard, closed, null, List.of(), before.identifiers());
                return new Closed(plan, closed.version());
            }
            undo(taken, stored.token(), mergedId);
        }
        throw new StoreUnavailableException("The merged member is changing too fast; try again.");
    }

    /**
     * Each planned entry that names the merged member becomes this merge's claim, still naming it. An entry that is
     * not the merged member's (missing, another member's, another operation's claim) is not taken: the merged member
     * drops the identifier all the same, and its entry stays whoever's it is.
     */
    private List<IdentifierClaims.Claim> take(List<IdentifierKey> keys, long mergedId, String token) {
        List<IdentifierClaims.Claim> taken = new ArrayList<>();
        for (IdentifierKey key : keys) {
            int shard = shards.shardOfIdentifier(key.hashKey());
            Optional<Owner> entry = databases.onMaster(shard, c -> OwnerEntries.select(c, key));
            if (entry.isEmpty() || entry.get().memberId() != mergedId) continue;
            Owner owner = entry.get();
            if (owner.claimed()) {
                if (owner.token().equals(token)) taken.add(new IdentifierClaims.Claim(key, null));
            } else if (databases.onMaster(shard, c -> OwnerEntries.takeOver(c, owner, token, clock.millis()))) {
                taken.add(new IdentifierClaims.Claim(key, owner));
            }
        }
        return taken;
    }

    /** The close did not commit: the entries go back to the merged member, or away if it no longer holds them. */
    private void undo(List<IdentifierClaims.Claim> taken, String token, long mergedId) {
        for (IdentifierClaims.Claim claim : taken) {
            int shard = shards.shardOfIdentifier(claim.key().hashKey());
            if (claim.replaced() == null) {
                databases.onMaster(shard, c -> OwnerEntries.confirm(c, claim.key(), token, clock.millis()));
            } else {
                databases.onMaster(shard, c -> OwnerEntries.restore(c, claim.replaced(), token));
            }
            claims.releaseIfNotHeld(claim.key(), mergedId);
        }
    }

    /**
     * The survivor gains what moves: every identity, the mobile and the e-mail when it has none of that kind. A
     * survivor merged away meanwhile hands over to its own survivor.
     */
    private Gained gain(Stored stored, Plan plan) {
        long target = stored.merge().survivor();
        String token = stored.token();
        for (int attempt = 1, hops = 0; attempt <= ATTEMPTS; attempt++) {
            MemberRows.Row row = row(target).orElseThrow();
            if (!row.live()) {
                Optional<Long> next = records.survivorOf(target);
                if (row.lifecycle() != Lifecycle.MERGED || next.isEmpty() || ++hops > MAX_HOPS) {
                    release(plan.keys(), token);
                    return new Gained(row.member().version(), List.of(), List.of(), plan.keys());
                }
                target = next.get();
                continue;
            }
            Member before = row.member();
            Member after = before;
            List<IdentifierKey> moved = new ArrayList<>();
            List<IdentifierKey> claimedNow = new ArrayList<>();
            List<IdentifierKey> released = new ArrayList<>();
            List<IdentifierKey> lost = new ArrayList<>();
            for (IdentifierKey key : plan.keys()) {
                if (before.holds(key)) {
                    moved.add(key); // an earlier attempt of this merge committed it
                    continue;
                }
                if (!fits(after, key)) {
                    released.add(key);
                    continue;
                }
                if (!own(key, target, token)) {
                    lost.add(key);
                    continue;
                }
                claimedNow.add(key);
                after = with(after, key);
            }
            moved.addAll(claimedNow);
            if (claimedNow.isEmpty()) {
                release(released, token);
                return new Gained(before.version(), moved, released, lost);
            }
            Member next = after.committedAs(before.version() + 1, clock.instant());
            int shard = shards.shardOfMember(target);
            boolean committed = databases.inTransaction(shard, c -> {
                boolean done = rows.commitUpdate(c, next, before.version(), row.fence());
                if (done) {
                    Outbox.append(
                            c,
                            shard,
                            changeEvents.of(next, List.of()),
                            next.updatedAt().toEpochMilli());
                }
                return done;
            });
            if (committed) {
                postCommit.run(shard, next, token, claimedNow, List.of());
                release(released, token);
                return new Gained(next.version(), moved, released, lost);
            }
        }
        throw new StoreUnavailableException("The survivor is changing too fast; try again.");
    }

    /**
     * Makes this merge's claim name the target, aged from now; or, where the sweeper removed it, claims the
     * identifier afresh. False when another member has it now.
     */
    private boolean own(IdentifierKey key, long target, String token) {
        int shard = shards.shardOfIdentifier(key.hashKey());
        if (databases.onMaster(shard, c -> OwnerEntries.handOver(c, key, token, target, clock.millis()))) return true;
        try {
            claims.claim(key, target, token);
            return true;
        } catch (ConflictException taken) {
            return false;
        }
    }

    /** Identifiers of this merge that did not move: their claims (by token) are deleted, the entries of others kept. */
    private void release(List<IdentifierKey> keys, String token) {
        claims.release(keys, token);
    }

    /** A member holds one mobile and one e-mail; identities without limit. */
    private static boolean fits(Member member, IdentifierKey key) {
        return switch (key.kind()) {
            case MOBILE -> member.mobile() == null;
            case EMAIL -> member.email() == null;
            case IDENTITY -> true;
        };
    }

    private static Member with(Member member, IdentifierKey key) {
        return switch (key.kind()) {
            case MOBILE -> member.withMobile(key.value());
            case EMAIL -> member.withEmail(key.value());
            case IDENTITY -> {
                int colon = key.value().indexOf(':');
                List<Member.Identity> more = new ArrayList<>(member.identities());
                more.add(new Member.Identity(
                        key.value().substring(0, colon), key.value().substring(colon + 1)));
                yield member.withIdentities(more);
            }
        };
    }

    private Optional<MemberRows.Row> row(long memberId) {
        return databases.onMaster(shards.shardOfMember(memberId), c -> rows.select(c, memberId));
    }

    /** A merge's lease: as long as a claim lives, so a retry resumes a crashed merge after what a sweep waits. */
    private long lease() {
        return properties.claimTtl().toMillis();
    }
}
