package io.membercenter.member;

import io.membercenter.api.ConflictException;
import io.membercenter.api.NotFoundException;
import io.membercenter.api.PreconditionFailedException;
import io.membercenter.api.StoreUnavailableException;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.Outbox;
import io.membercenter.shard.ShardMap;
import io.membercenter.shard.ShardedDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Creates and changes members. A create or an identifier change writes several shards, often
 * several physical databases, with no distributed transaction: the member row is the single commit
 * point and the owner entries are claims around it ({@link IdentifierClaims}).
 *
 * <h2>Claim, commit, confirm</h2>
 * <ol>
 *   <li><b>Create</b> first inserts the member row as {@link Lifecycle#PENDING} (invisible to every
 *       read).</li>
 *   <li><b>Claim</b> each identifier the operation adds, and <b>reclaim</b> the entry of each one a
 *       change removes (the member's CONFIRMED entry becomes a claim under the change's token, one
 *       statement per physical database: {@link IdentifierClaims#reclaim}), so a crash after the commit
 *       leaves a claim the sweeper settles by the row, never a settled entry the row does not hold.</li>
 *   <li><b>Commit</b>: one statement on the member row — {@code PENDING -> LIVE} for a create, the
 *       new fields with {@code version = version + 1} for a change — guarded by the version and the
 *       {@code fence} read before claiming. Before this point nothing is visible; after it, the change
 *       is durable and is what every read returns. The change event goes to the outbox in the same
 *       transaction.</li>
 *   <li><b>Confirm</b> the claims, then release (delete by token) the reclaimed entries: these and the
 *       rest of what runs between the commit and the answer are the {@link PostCommitSteps}, which
 *       never turn a committed change into an error.</li>
 * </ol>
 * On a conflict or an error before the commit, the operation deletes its own claims, confirms the
 * reclaimed entries back and aborts its pending row; nothing it wrote remains visible. A change that
 * touches no identifier needs no claims: it is one transaction with the row locked.
 *
 * <h2>Invariant</h2>
 * {@code version} grows by exactly one per committed change, in the same statement as the change; a
 * change that changes nothing commits nothing.
 */
final class MemberWrites {

    private static final int MAX_UPDATE_ATTEMPTS = 16;

    private final ShardedDatabases databases;
    private final ShardMap shards;
    private final Clock clock;
    private final CrashPoints crashPoints;
    private final MemberRows rows;
    private final IdentifierClaims claims;
    private final PostCommitSteps postCommit;
    private final MemberChangeEvents changeEvents;
    private final AbuseLimits abuse;

    MemberWrites(
            ShardedDatabases databases,
            Clock clock,
            CrashPoints crashPoints,
            MemberRows rows,
            IdentifierClaims claims,
            PostCommitSteps postCommit,
            MemberChangeEvents changeEvents,
            AbuseLimits abuse) {
        this.databases = databases;
        this.shards = databases.shardMap();
        this.clock = clock;
        this.crashPoints = crashPoints;
        this.rows = rows;
        this.claims = claims;
        this.postCommit = postCommit;
        this.changeEvents = changeEvents;
        this.abuse = abuse;
    }

    /** Pending row, claims, commit (PENDING -> LIVE, fenced), confirm. */
    Member create(long memberId, MemberRequests.NewMember request) {
        Instant now = clock.instant();
        Member member = new Member(
                memberId,
                request.mobile(),
                request.email(),
                request.nickname(),
                request.level(),
                request.status(),
                request.identities(),
                1,
                now,
                now);
        // A new member bound to an identity is one more member of that identity (identity-rebound); a create is
        // no identifier change of a member (identifier-churn). An import (create(Member)) is not counted: it
        // brings the legacy store's history, not a caller's bind.
        AbuseLimits.Reservation reserved = abuse.reserveChange(memberId, member.identifiers(), false);
        try {
            return create(member);
        } catch (RuntimeException e) {
            reserved.release();
            throw e;
        }
    }

    /**
     * The same protocol for a member whose fields and dates are already set (version 1): an import from another
     * store keeps the member's own creation time.
     */
    Member create(Member member) {
        long memberId = member.memberId();
        int shard = shards.shardOfMember(memberId);
        databases.onMaster(shard, c -> rows.insertPending(c, member, shard));
        String token = OwnerEntries.newToken();
        List<IdentifierKey> claimed = new ArrayList<>();
        try {
            for (IdentifierKey key : member.identifiers()) {
                claims.claim(key, memberId, token);
                claimed.add(key);
            }
        } catch (ConflictException | StoreUnavailableException e) {
            abortPending(memberId);
            claims.release(claimed, token);
            throw e;
        }
        crashPoints.reach(CrashPoints.CREATE_AFTER_CLAIMS);
        boolean committed = databases.inTransaction(shard, c -> {
            boolean live = MemberRows.commitPending(c, memberId);
            if (live) {
                appendChange(c, shard, member, List.of());
            }
            return live;
        });
        if (!committed) {
            claims.release(claimed, token);
            throw new StoreUnavailableException("The create took too long and was abandoned; nothing was created.");
        }
        crashPoints.reach(CrashPoints.CREATE_AFTER_COMMIT);
        postCommit.run(shard, member, token, claimed, List.of());
        return member;
    }

    /** Fences off a create that has not committed; a committed member is left as it is. */
    void abortPending(long memberId) {
        databases.onMaster(shards.shardOfMember(memberId), c -> MemberRows.abortPending(c, memberId));
    }

    /**
     * What a create that did not answer left behind: a pending row is fenced off (it can never commit
     * afterwards) and a committed member is returned. Read on the master, in the transaction that
     * fences, so a lagging replica cannot hide a member that did commit.
     */
    Optional<Member> settleCreate(long memberId) {
        return databases
                .inTransaction(shards.shardOfMember(memberId), c -> {
                    MemberRows.abortPending(c, memberId);
                    return rows.select(c, memberId);
                })
                .filter(MemberRows.Row::live)
                .map(MemberRows.Row::member);
    }

    /**
     * Applies a change to the current member: claims the identifiers it adds, reclaims the entries of
     * those it removes, commits with a version and fence check, confirms, then releases the reclaimed.
     * A change that changes nothing commits nothing and keeps the version.
     */
    Member update(long memberId, UnaryOperator<Member> change, OptionalLong expectedVersion) {
        int shard = shards.shardOfMember(memberId);
        for (int attempt = 1; attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
            MemberRows.Row current = liveRow(databases.onMaster(shard, c -> rows.select(c, memberId)), memberId);
            Member before = checkVersion(current.member(), expectedVersion);
            Member after = change.apply(before);
            if (after.sameContentAs(before)) {
                return before;
            }
            if (after.identifiers().equals(before.identifiers())) {
                return updateInPlace(shard, memberId, change, expectedVersion);
            }
            Optional<Member> committed = tryCommit(shard, current, after);
            if (committed.isPresent()) {
                return committed.get();
            }
            if (expectedVersion.isPresent()) {
                throw new PreconditionFailedException("The member changed while the request ran.");
            }
        }
        throw new StoreUnavailableException("The member is changing too fast; try again.");
    }

    /**
     * A change that touches no identifier needs no claims: one transaction with the row locked, so
     * concurrent writers queue instead of retrying.
     */
    private Member updateInPlace(int shard, long memberId, UnaryOperator<Member> change, OptionalLong expectedVersion) {
        Optional<Member> result = databases.inTransaction(shard, c -> {
            MemberRows.Row locked = liveRow(rows.selectForUpdate(c, memberId), memberId);
            Member before = checkVersion(locked.member(), expectedVersion);
            Member after = change.apply(before);
            if (after.sameContentAs(before)) {
                return Optional.of(before);
            }
            if (!after.identifiers().equals(before.identifiers())) {
                return Optional.<Member>empty();
            }
            Member next = after.committedAs(before.version() + 1, clock.instant());
            rows.commitUpdate(c, next, before.version(), locked.fence());
            appendChange(c, shard, next, List.of());
            return Optional.of(next);
        });
        if (result.isEmpty()) {
            return update(memberId, change, expectedVersion);
        }
        postCommit.run(shard, result.get(), null, List.of(), List.of());
        return result.get();
    }

    private static MemberRows.Row liveRow(Optional<MemberRows.Row> row, long memberId) {
        return row.filter(MemberRows.Row::live).orElseThrow(() -> new NotFoundException("No member " + memberId + "."));
    }

    private static Member checkVersion(Member member, OptionalLong expectedVersion) {
        if (expectedVersion.isPresent() && expectedVersion.getAsLong() != member.version()) {
            throw new PreconditionFailedException(
                    "The member is at version " + member.version() + ", not " + expectedVersion.getAsLong() + ".");
        }
        return member;
    }

    private Optional<Member> tryCommit(int shard, MemberRows.Row current, Member after) {
        Member before = current.member();
        Set<IdentifierKey> added = new LinkedHashSet<>(after.identifiers());
        before.identifiers().forEach(added::remove);
        Set<IdentifierKey> removed = new LinkedHashSet<>(before.identifiers());
        after.identifiers().forEach(removed::remove);

        // Before any claim: a change the abuse limits refuse leaves nothing behind; one that does not commit gives
        // its slots back.
        AbuseLimits.Reservation reserved = abuse.reserveChange(before.memberId(), added, true);
        String token = OwnerEntries.newToken();
        List<IdentifierClaims.Claim> taken = new ArrayList<>();
        List<IdentifierKey> reclaimed;
        try {
            for (IdentifierKey key : added) {
                taken.add(claims.claim(key, before.memberId(), token));
            }
            reclaimed = claims.reclaim(removed, before.memberId(), token);
        } catch (ConflictException | StoreUnavailableException e) {
            claims.undo(taken, token);
            claims.confirm(removed, token); // by token: only the entries this change reclaimed
            reserved.release();
            throw e;
        }
        crashPoints.reach(CrashPoints.CHANGE_AFTER_CLAIMS);
        Member next = after.committedAs(before.version() + 1, clock.instant());
        boolean committed = databases.inTransaction(shard, c -> {
            boolean done = rows.commitUpdate(c, next, before.version(), current.fence());
            if (done) {
                appendChange(c, shard, next, removed);
            }
            return done;
        });
        if (!committed) {
            claims.undo(taken, token);
            claims.confirm(reclaimed, token);
            reserved.release();
            return Optional.empty();
        }
        crashPoints.reach(CrashPoints.CHANGE_AFTER_COMMIT);
        postCommit.run(
                shard,
                next,
                token,
                taken.stream().map(IdentifierClaims.Claim::key).toList(),
                removed);
        return Optional.of(next);
    }

    private void appendChange(Connection c, int shard, Member committed, Collection<IdentifierKey> removed)
            throws SQLException {
        Outbox.append(
                c,
                shard,
                changeEvents.of(committed, removed),
                committed.updatedAt().toEpochMilli());
    }
}
