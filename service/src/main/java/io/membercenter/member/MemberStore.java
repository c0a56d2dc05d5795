package io.membercenter.member;

import io.membercenter.api.ConflictException;
import io.membercenter.api.NotFoundException;
import io.membercenter.api.PreconditionFailedException;
import io.membercenter.api.StoreUnavailableException;
import io.membercenter.cache.MemberCache;
import io.membercenter.replication.Outbox;
import io.membercenter.shard.ShardMap;
import io.membercenter.shard.ShardedDatabases;
import io.membercenter.shard.ShardedDatabases.Read;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Members and identifier ownership on the sharded MySQL store; the protocol is described in
 * {@code package-info.java}. Every method either completes or leaves only states the sweeper
 * finishes: nothing half-written is ever visible to a read.
 */
final class MemberStore {

    private static final Logger log = LoggerFactory.getLogger(MemberStore.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_UPDATE_ATTEMPTS = 16;
    private static final String MEMBER_COLUMNS =
            "member_id, lifecycle, fence, mobile, email, nickname, level, status, identities, version, created_at, updated_at";

    private final ShardedDatabases databases;
    private final ShardMap shards;
    private final Clock clock;
    private final MemberProperties properties;
    private final CrashPoints crashPoints;
    private final IdentitiesColumn identitiesColumn;
    private final MemberChangeEvents changeEvents;
    private final MemberCache cache;

    MemberStore(
            ShardedDatabases databases,
            Clock clock,
            MemberProperties properties,
            CrashPoints crashPoints,
            IdentitiesColumn identitiesColumn,
            MemberChangeEvents changeEvents,
            MemberCache cache) {
        this.databases = databases;
        this.shards = databases.shardMap();
        this.clock = clock;
        this.properties = properties;
        this.crashPoints = crashPoints;
        this.identitiesColumn = identitiesColumn;
        this.changeEvents = changeEvents;
        this.cache = cache;
    }

    /** A member row with the fence the next commit must match. */
    record Row(Member member, String lifecycle, int fence) {}

    /** An identifier's owner entry. */
    record Owner(IdentifierKey key, long memberId, String state, String token, long changedAt) {
        boolean claimed() {
            return "CLAIMED".equals(state);
        }
    }

    // ---------------------------------------------------------------- reads

    String masterDataCenter() {
        return databases.masterDataCenter();
    }

    Read<Optional<Member>> findById(long memberId) {
        Read<Optional<Row>> read = databases.readLocal(shards.shardOfMember(memberId), c -> selectRow(c, memberId));
        return new Read<>(
                read.value().filter(r -> r.lifecycle().equals("LIVE")).map(Row::member),
                read.dataCenter(),
                read.mayBeStale());
    }

    /** Reads by identifier follow the owner pointer and trust only the member row it points to. */
    Read<Optional<Member>> findByIdentifier(IdentifierKey key) {
        Read<Optional<Owner>> owner =
                databases.readLocal(shards.shardOfIdentifier(key.hashKey()), c -> selectOwner(c, key));
        if (owner.value().isEmpty()) {
            return new Read<>(Optional.empty(), owner.dataCenter(), owner.mayBeStale());
        }
        Read<Optional<Member>> member = findById(owner.value().get().memberId());
        return new Read<>(
                member.value().filter(m -> m.holds(key)),
                member.dataCenter(),
                owner.mayBeStale() || member.mayBeStale());
    }

    /** Members by id, one query per physical database; the answer's data center is the last copy read. */
    Read<List<Member>> findByIds(Collection<Long> memberIds) {
        Map<String, List<Long>> byDatabase = new HashMap<>();
        for (long id : memberIds) {
            byDatabase
                    .computeIfAbsent(databases.databaseOf(shards.shardOfMember(id)), db -> new ArrayList<>())
                    .add(id);
        }
        List<Member> found = new ArrayList<>();
        String dataCenter = null;
        boolean mayBeStale = false;
        for (Map.Entry<String, List<Long>> group : byDatabase.entrySet()) {
            Read<List<Row>> rows = databases.readLocal(group.getKey(), c -> selectRows(c, group.getValue()));
            rows.value().stream()
                    .filter(r -> r.lifecycle().equals("LIVE"))
                    .map(Row::member)
                    .forEach(found::add);
            dataCenter = rows.dataCenter();
            mayBeStale |= rows.mayBeStale();
        }
        return new Read<>(found, dataCenter, mayBeStale);
    }

    // ---------------------------------------------------------------- create

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
        int shard = shards.shardOfMember(memberId);
        databases.onMaster(shard, c -> insertPending(c, member, shard));
        String token = newToken();
        List<IdentifierKey> claimed = new ArrayList<>();
        try {
            for (IdentifierKey key : member.identifiers()) {
                claim(key, memberId, token);
                claimed.add(key);
            }
        } catch (ConflictException | StoreUnavailableException e) {
            abortPending(memberId);
            releaseClaims(claimed, token);
            throw e;
        }
        crashPoints.reach(CrashPoints.CREATE_AFTER_CLAIMS);
        boolean committed = databases.inTransaction(shard, c -> {
            boolean live = update(
                            c,
                            "UPDATE member SET lifecycle = 'LIVE' WHERE member_id = ? AND lifecycle = 'PENDING' AND fence = 0",
                            memberId)
                    == 1;
            if (live) {
                appendChange(c, shard, member, List.of());
            }
            return live;
        });
        if (!committed) {
            releaseClaims(claimed, token);
            throw new StoreUnavailableException("The create took too long and was abandoned; nothing was created.");
        }
        crashPoints.reach(CrashPoints.CREATE_AFTER_COMMIT);
        confirmClaims(claimed, token);
        markPending(member, claimed);
        awaitLocalCopies(shard, claimed);
        return member;
    }

    /** Fences off a create that has not committed; a committed member is left as it is. */
    void abortPending(long memberId) {
        int shard = shards.shardOfMember(memberId);
        databases.onMaster(
                shard,
                c -> update(
                        c,
                        "UPDATE member SET lifecycle = 'ABORTED', fence = fence + 1 WHERE member_id = ? AND lifecycle = 'PENDING'",
                        memberId));
    }

    // ---------------------------------------------------------------- update

    /**
     * Applies a change to the current member: claims the identifiers it adds, commits with a
     * version and fence check, confirms, then releases the identifiers it removed. A change that
     * changes nothing commits nothing and keeps the version.
     */
    Member update(long memberId, UnaryOperator<Member> change, OptionalLong expectedVersion) {
        int shard = shards.shardOfMember(memberId);
        for (int attempt = 1; attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
            Row current = liveRow(databases.onMaster(shard, c -> selectRow(c, memberId)), memberId);
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
            Row locked = liveRow(selectRowForUpdate(c, memberId), memberId);
            Member before = checkVersion(locked.member(), expectedVersion);
            Member after = change.apply(before);
            if (after.sameContentAs(before)) {
                return Optional.of(before);
            }
            if (!after.identifiers().equals(before.identifiers())) {
                return Optional.<Member>empty();
            }
            Member next = after.committedAs(before.version() + 1, clock.instant());
            commitUpdate(c, next, before.version(), locked.fence());
            appendChange(c, shard, next, List.of());
            return Optional.of(next);
        });
        if (result.isEmpty()) {
            return update(memberId, change, expectedVersion);
        }
        markPending(result.get(), List.of());
        awaitLocalCopies(shard, List.of());
        return result.get();
    }

    private static Row liveRow(Optional<Row> row, long memberId) {
        return row.filter(r -> r.lifecycle().equals("LIVE"))
                .orElseThrow(() -> new NotFoundException("No member " + memberId + "."));
    }

    private static Member checkVersion(Member member, OptionalLong expectedVersion) {
        if (expectedVersion.isPresent() && expectedVersion.getAsLong() != member.version()) {
            throw new PreconditionFailedException(
                    "The member is at version " + member.version() + ", not " + expectedVersion.getAsLong() + ".");
        }
        return member;
    }

    private Optional<Member> tryCommit(int shard, Row current, Member after) {
        Member before = current.member();
        Set<IdentifierKey> added = new LinkedHashSet<>(after.identifiers());
        before.identifiers().forEach(added::remove);
        Set<IdentifierKey> removed = new LinkedHashSet<>(before.identifiers());
        after.identifiers().forEach(removed::remove);

        String token = newToken();
        List<Claim> claims = new ArrayList<>();
        try {
            for (IdentifierKey key : added) {
                claims.add(claimForUpdate(key, before.memberId(), token));
            }
        } catch (ConflictException | StoreUnavailableException e) {
            undoClaims(claims, token);
            throw e;
        }
        Member next = after.committedAs(before.version() + 1, clock.instant());
        boolean committed = databases.inTransaction(shard, c -> {
            boolean done = commitUpdate(c, next, before.version(), current.fence());
            if (done) {
                appendChange(c, shard, next, removed);
            }
            return done;
        });
        if (!committed) {
            undoClaims(claims, token);
            return Optional.empty();
        }
        confirmClaims(claims.stream().map(Claim::key).toList(), token);
        removed.forEach(key -> releaseIfNotHeld(key, before.memberId()));
        List<IdentifierKey> touched = new ArrayList<>(added);
        touched.addAll(removed);
        markPending(next, touched);
        awaitLocalCopies(shard, touched);
        return Optional.of(next);
    }

    /** A claim and, when it took over a settled entry of the same member, what to restore on failure. */
    private record Claim(IdentifierKey key, Owner replaced) {}

    private Claim claimForUpdate(IdentifierKey key, long memberId, String token) {
        Owner replaced = claim(key, memberId, token);
        return new Claim(key, replaced);
    }

    private void undoClaims(List<Claim> claims, String token) {
        for (Claim claim : claims) {
            int shard = shards.shardOfIdentifier(claim.key().hashKey());
            if (claim.replaced() == null) {
                databases.onMaster(shard, c -> deleteOwner(c, claim.key(), token, "CLAIMED"));
            } else {
                Owner old = claim.replaced();
                databases.onMaster(
                        shard,
                        c -> update(
                                c,
                                "UPDATE identifier_owner SET state = ?, token = ? WHERE kind = ? AND value = ? AND token = ?",
                                old.state(),
                                old.token(),
                                claim.key().code(),
                                claim.key().value(),
                                token));
            }
        }
    }

    // ---------------------------------------------------------------- claims

    /**
     * Claims an identifier for a member. Returns null for a fresh claim, or the settled entry of the
     * same member it took over. Waits briefly for an in-flight claim of someone else to settle, and
     * sweeps one that went stale. Throws {@link ConflictException} when another member holds it.
     */
    private Owner claim(IdentifierKey key, long memberId, String token) {
        int shard = shards.shardOfIdentifier(key.hashKey());
        long deadline = System.nanoTime() + properties.claimWait().toNanos();
        while (true) {
            long now = clock.millis();
            boolean inserted = databases.onMaster(shard, c -> insertOwner(c, key, shard, memberId, token, now));
            if (inserted) {
                return null;
            }
            Optional<Owner> existing = databases.onMaster(shard, c -> selectOwner(c, key));
            if (existing.isEmpty()) {
                continue; // released between our insert and our read
            }
            Owner owner = existing.get();
            if (!owner.claimed()) {
                if (owner.memberId() == memberId) {
                    if (takeOver(shard, owner, token)) return owner;
                    continue;
                }
                if (settledOwnerHolds(owner)) {
                    throw new ConflictException(typeOf(key), key.masked());
                }
                deleteOwnerEntry(owner);
                continue;
            }
            if (isStale(owner)) {
                sweepClaim(owner);
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new ConflictException(typeOf(key), key.masked());
            }
            pause();
        }
    }

    private boolean takeOver(int shard, Owner owner, String token) {
        return databases.onMaster(
                shard,
                c -> update(
                                c,
                                "UPDATE identifier_owner SET state = 'CLAIMED', token = ?, changed_at = ? "
                                        + "WHERE kind = ? AND value = ? AND token = ? AND state = 'CONFIRMED'",
                                token,
                                clock.millis(),
                                owner.key().code(),
                                owner.key().value(),
                                owner.token())
                        == 1);
    }

    /** A CONFIRMED entry whose member no longer holds the identifier is a leftover of a removal. */
    private boolean settledOwnerHolds(Owner owner) {
        int shard = shards.shardOfMember(owner.memberId());
        return databases
                .onMaster(shard, c -> selectRow(c, owner.memberId()))
                .filter(r -> r.lifecycle().equals("LIVE"))
                .map(r -> r.member().holds(owner.key()))
                .orElse(false);
    }

    private void deleteOwnerEntry(Owner owner) {
        int shard = shards.shardOfIdentifier(owner.key().hashKey());
        databases.onMaster(shard, c -> deleteOwner(c, owner.key(), owner.token(), owner.state()));
    }

    private boolean isStale(Owner owner) {
        return clock.millis() - owner.changedAt() > properties.claimTtl().toMillis();
    }

    /**
     * Finishes or releases a claim whose operation may have died. Fencing the member first means the
     * operation, if it still runs, can no longer commit; what the member row says afterwards is final.
     */
    void sweepClaim(Owner owner) {
        long memberId = owner.memberId();
        int shard = shards.shardOfMember(memberId);
        Optional<Row> row = databases.inTransaction(shard, c -> {
            update(
                    c,
                    "UPDATE member SET fence = fence + 1, "
                            + "lifecycle = CASE WHEN lifecycle = 'PENDING' THEN 'ABORTED' ELSE lifecycle END WHERE member_id = ?",
                    memberId);
            return selectRow(c, memberId);
        });
        boolean holds = row.filter(r -> r.lifecycle().equals("LIVE"))
                .map(r -> r.member().holds(owner.key()))
                .orElse(false);
        int ownerShard = shards.shardOfIdentifier(owner.key().hashKey());
        if (holds) {
            databases.onMaster(
                    ownerShard,
                    c -> update(
                            c,
                            "UPDATE identifier_owner SET state = 'CONFIRMED', changed_at = ? WHERE kind = ? AND value = ? AND token = ?",
                            clock.millis(),
                            owner.key().code(),
                            owner.key().value(),
                            owner.token()));
            log.info("event=claim_rolled_forward identifier={} memberId={}", owner.key(), memberId);
        } else {
            databases.onMaster(ownerShard, c -> deleteOwner(c, owner.key(), owner.token(), "CLAIMED"));
            log.info("event=claim_released identifier={} memberId={}", owner.key(), memberId);
        }
    }

    private void confirmClaims(Collection<IdentifierKey> keys, String token) {
        for (IdentifierKey key : keys) {
            int shard = shards.shardOfIdentifier(key.hashKey());
            databases.onMaster(
                    shard,
                    c -> update(
                            c,
                            "UPDATE identifier_owner SET state = 'CONFIRMED', changed_at = ? WHERE kind = ? AND value = ? AND token = ?",
                            clock.millis(),
                            key.code(),
                            key.value(),
                            token));
        }
    }

    private void releaseClaims(Collection<IdentifierKey> keys, String token) {
        for (IdentifierKey key : keys) {
            int shard = shards.shardOfIdentifier(key.hashKey());
            databases.onMaster(shard, c -> deleteOwner(c, key, token, "CLAIMED"));
        }
    }

    /** After a committed removal: drop the entry unless another operation took it over meanwhile. */
    private void releaseIfNotHeld(IdentifierKey key, long memberId) {
        int shard = shards.shardOfIdentifier(key.hashKey());
        databases
                .onMaster(shard, c -> selectOwner(c, key))
                .filter(o -> o.memberId() == memberId && !o.claimed())
                .filter(o -> !settledOwnerHolds(o))
                .ifPresent(this::deleteOwnerEntry);
    }

    /**
     * Before the write is acknowledged: both data centers' caches drop the member and raise its
     * pending marker and version floor, so neither a cache nor a search cluster that refreshes later
     * can answer with anything older.
     */
    private void markPending(Member committed, Collection<IdentifierKey> touched) {
        if (cache != null) {
            Set<String> keys = new LinkedHashSet<>();
            committed.identifiers().forEach(k -> keys.add(k.searchKey()));
            touched.forEach(k -> keys.add(k.searchKey()));
            cache.invalidate(committed.memberId(), committed.version(), keys);
        }
    }

    private void awaitLocalCopies(int memberShard, Collection<IdentifierKey> identifiers) {
        Set<String> touched = new HashSet<>();
        touched.add(databases.databaseOf(memberShard));
        identifiers.forEach(k -> touched.add(databases.databaseOf(shards.shardOfIdentifier(k.hashKey()))));
        databases.awaitLocalCopies(touched);
    }

    // ---------------------------------------------------------------- scans

    /** Live members of one physical database after a member id, in id order: a chunk of a full scan. */
    List<Member> scanLive(String database, long afterMemberId, int limit) {
        return databases.onMaster(database, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + MEMBER_COLUMNS + " FROM member "
                    + "WHERE member_id > ? AND lifecycle = 'LIVE' ORDER BY member_id LIMIT ?")) {
                ps.setLong(1, afterMemberId);
                ps.setInt(2, limit);
                return rows(ps).stream().map(Row::member).toList();
            }
        });
    }

    long countLive(String database) {
        return databases.onMaster(database, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM member WHERE lifecycle = 'LIVE'");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    String changeEventOf(Member member) {
        return changeEvents.of(member, List.of());
    }

    java.util.Collection<String> databaseNames() {
        return databases.databaseNames();
    }

    // ---------------------------------------------------------------- sweeps

    /** Stale claims of one physical database, oldest first. */
    List<Owner> staleClaims(String database, int limit) {
        long before = clock.millis() - properties.claimTtl().toMillis();
        return databases.onMaster(database, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT kind, value, member_id, state, token, changed_at FROM identifier_owner "
                            + "WHERE state = 'CLAIMED' AND changed_at < ? ORDER BY changed_at LIMIT ?")) {
                ps.setLong(1, before);
                ps.setInt(2, limit);
                return owners(ps);
            }
        });
    }

    /**
     * Aborts creates that stayed PENDING past the claim TTL; their claims are swept separately.
     * Candidates come from a non-locking read and each is changed by primary key, so the sweep never
     * range-locks an index that live writes use.
     */
    int abortStalePending(String database) {
        long before = clock.millis() - properties.claimTtl().toMillis();
        int aborted = 0;
        for (long memberId : idsWhere(database, "lifecycle = 'PENDING' AND updated_at < ?", before)) {
            aborted += databases.onMaster(
                    database,
                    c -> update(
                            c,
                            "UPDATE member SET lifecycle = 'ABORTED', fence = fence + 1 WHERE member_id = ? AND lifecycle = 'PENDING'",
                            memberId));
        }
        return aborted;
    }

    /** Deletes aborted rows after a day; ids are never reused, so nothing can point at them. */
    int purgeAborted(String database) {
        long before = clock.millis() - java.time.Duration.ofDays(1).toMillis();
        int purged = 0;
        for (long memberId : idsWhere(database, "lifecycle = 'ABORTED' AND updated_at < ?", before)) {
            purged += databases.onMaster(
                    database,
                    c -> update(c, "DELETE FROM member WHERE member_id = ? AND lifecycle = 'ABORTED'", memberId));
        }
        return purged;
    }

    private List<Long> idsWhere(String database, String condition, long before) {
        return databases.onMaster(database, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT member_id FROM member WHERE " + condition + " LIMIT 1000")) {
                ps.setLong(1, before);
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) ids.add(rs.getLong(1));
                }
                return ids;
            }
        });
    }

    // ---------------------------------------------------------------- SQL

    private void appendChange(Connection c, int shard, Member committed, Collection<IdentifierKey> removed)
            throws SQLException {
        Outbox.append(
                c,
                shard,
                committed.memberId(),
                committed.version(),
                changeEvents.of(committed, removed),
                committed.updatedAt().toEpochMilli());
    }

    private boolean insertPending(Connection c, Member m, int shard) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO member (" + INSERTED_MEMBER_COLUMNS + ") " + "VALUES " + memberRowValues("PENDING"))) {
            bindMemberRow(ps, 1, m, shard, identitiesColumn);
            return ps.executeUpdate() == 1;
        }
    }

    /** The columns an INSERT of a member row names, in the order {@link #bindMemberRow} binds them. */
    static final String INSERTED_MEMBER_COLUMNS = "member_id, shard, lifecycle, fence, mobile, email, nickname, level, "
            + "status, identities, version, created_at, updated_at";

    /** One row's placeholders for {@link #INSERTED_MEMBER_COLUMNS}, at a lifecycle and fence 0. */
    static String memberRowValues(String lifecycle) {
        return "(?, ?, '" + lifecycle + "', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    /** Binds one member row's eleven parameters from {@code first}; returns the index after them. */
    static int bindMemberRow(PreparedStatement ps, int first, Member m, int shard, IdentitiesColumn identities)
            throws SQLException {
        int p = first;
        ps.setLong(p++, m.memberId());
        ps.setInt(p++, shard);
        ps.setString(p++, m.mobile());
        ps.setString(p++, m.email());
        ps.setString(p++, m.nickname());
        ps.setString(p++, m.level().name());
        ps.setString(p++, m.status().name());
        ps.setString(p++, identities.write(m.identities()));
        ps.setLong(p++, m.version());
        ps.setLong(p++, m.createdAt().toEpochMilli());
        ps.setLong(p++, m.updatedAt().toEpochMilli());
        return p;
    }

    private boolean commitUpdate(Connection c, Member next, long expectedVersion, int expectedFence)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE member SET mobile = ?, email = ?, nickname = ?, level = ?, "
                        + "status = ?, identities = ?, version = version + 1, updated_at = ? "
                        + "WHERE member_id = ? AND version = ? AND fence = ? AND lifecycle = 'LIVE'")) {
            ps.setString(1, next.mobile());
            ps.setString(2, next.email());
            ps.setString(3, next.nickname());
            ps.setString(4, next.level().name());
            ps.setString(5, next.status().name());
            ps.setString(6, identitiesColumn.write(next.identities()));
            ps.setLong(7, next.updatedAt().toEpochMilli());
            ps.setLong(8, next.memberId());
            ps.setLong(9, expectedVersion);
            ps.setInt(10, expectedFence);
            return ps.executeUpdate() == 1;
        }
    }

    private static boolean insertOwner(
            Connection c, IdentifierKey key, int shard, long memberId, String token, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO identifier_owner "
                + "(kind, value, shard, member_id, state, token, changed_at) VALUES (?, ?, ?, ?, 'CLAIMED', ?, ?)")) {
            ps.setString(1, key.code());
            ps.setString(2, key.value());
            ps.setInt(3, shard);
            ps.setLong(4, memberId);
            ps.setString(5, token);
            ps.setLong(6, now);
            return ps.executeUpdate() == 1;
        } catch (SQLIntegrityConstraintViolationException duplicate) {
            return false;
        }
    }

    private static int deleteOwner(Connection c, IdentifierKey key, String token, String state) throws SQLException {
        return update(
                c,
                "DELETE FROM identifier_owner WHERE kind = ? AND value = ? AND token = ? AND state = ?",
                key.code(),
                key.value(),
                token,
                state);
    }

    private static Optional<Owner> selectOwner(Connection c, IdentifierKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT kind, value, member_id, state, token, changed_at "
                + "FROM identifier_owner WHERE kind = ? AND value = ?")) {
            ps.setString(1, key.code());
            ps.setString(2, key.value());
            return owners(ps).stream().findFirst();
        }
    }

    private static List<Owner> owners(PreparedStatement ps) throws SQLException {
        List<Owner> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                IdentifierKey key = new IdentifierKey(IdentifierKey.Kind.ofCode(rs.getString(1)), rs.getString(2));
                result.add(new Owner(key, rs.getLong(3), rs.getString(4), rs.getString(5), rs.getLong(6)));
            }
        }
        return result;
    }

    private Optional<Row> selectRow(Connection c, long memberId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + MEMBER_COLUMNS + " FROM member WHERE member_id = ?")) {
            ps.setLong(1, memberId);
            return rows(ps).stream().findFirst();
        }
    }

    private Optional<Row> selectRowForUpdate(Connection c, long memberId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + MEMBER_COLUMNS + " FROM member WHERE member_id = ? FOR UPDATE")) {
            ps.setLong(1, memberId);
            return rows(ps).stream().findFirst();
        }
    }

    private List<Row> selectRows(Connection c, List<Long> memberIds) throws SQLException {
        String placeholders = String.join(",", java.util.Collections.nCopies(memberIds.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + MEMBER_COLUMNS + " FROM member WHERE member_id IN (" + placeholders + ")")) {
            for (int i = 0; i < memberIds.size(); i++) ps.setLong(i + 1, memberIds.get(i));
            return rows(ps);
        }
    }

    private List<Row> rows(PreparedStatement ps) throws SQLException {
        List<Row> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Member member = new Member(
                        rs.getLong("member_id"),
                        rs.getString("mobile"),
                        rs.getString("email"),
                        rs.getString("nickname"),
                        Member.Level.valueOf(rs.getString("level")),
                        Member.Status.valueOf(rs.getString("status")),
                        identitiesColumn.read(rs.getString("identities")),
                        rs.getLong("version"),
                        Instant.ofEpochMilli(rs.getLong("created_at")),
                        Instant.ofEpochMilli(rs.getLong("updated_at")));
                result.add(new Row(member, rs.getString("lifecycle"), rs.getInt("fence")));
            }
        }
        return result;
    }

    static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) ps.setObject(i + 1, parameters[i]);
            return ps.executeUpdate();
        }
    }

    private static String typeOf(IdentifierKey key) {
        return key.kind().name();
    }

    /** A claim's token: 16 random bytes, 22 characters. */
    static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
