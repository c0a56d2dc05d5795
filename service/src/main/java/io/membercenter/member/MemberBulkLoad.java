package io.membercenter.member;

import io.membercenter.cache.MemberCache;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.Outbox;
import io.membercenter.shard.ShardMap;
import io.membercenter.shard.ShardedDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes many new, already validated members straight into their shards: {@code LIVE} member rows and
 * {@code CONFIRMED} owner entries, many rows per statement, one transaction per physical database and table.
 * For loading a population in bulk — a full sync from another store, a benchmark's million members — where
 * the create protocol's four commits per member would take hours.
 *
 * <p>What it keeps of a create: each member's row and its change event in the outbox are one transaction (so
 * every cluster indexes the loaded members through replication, like any change), and before {@link #load}
 * returns every member's pending markers are raised in both data centers, so a lookup right after it never
 * trusts a search cluster that has not indexed them yet (see {@link MemberLookups}).
 *
 * <p>What it leaves out: the claim protocol. The members' identifiers must be free and the loader must be the
 * only writer of them. Owner entries are written first; a member whose entries could not all be written is
 * not written, and an entry whose member never became LIVE is a leftover the store already ignores (a lookup
 * verifies the member holds the identifier) and removes on the next claim of it.
 */
public final class MemberBulkLoad {

    private final ShardedDatabases databases;
    private final MemberRows rows;
    private final MemberChangeEvents changeEvents;
    private final MemberCache cache;
    private final Clock clock;

    MemberBulkLoad(
            ShardedDatabases databases,
            IdentitiesColumn identitiesColumn,
            MemberChangeEvents changeEvents,
            MemberCache cache,
            Clock clock) {
        this.databases = databases;
        this.rows = new MemberRows(identitiesColumn);
        this.changeEvents = changeEvents;
        this.cache = cache;
        this.clock = clock;
    }

    /**
     * Loads the members (each at its own version, normally 1); returns how many owner entries were written.
     * Fails as a whole per physical database when any row exists already (a duplicate id or identifier).
     */
    public int load(List<Member> members) {
        ShardMap shards = databases.shardMap();
        Map<String, List<OwnerRow>> ownersByDatabase = new LinkedHashMap<>();
        Map<String, List<Member>> membersByDatabase = new LinkedHashMap<>();
        for (Member member : members) {
            membersByDatabase
                    .computeIfAbsent(
                            databases.databaseOf(shards.shardOfMember(member.memberId())),
                            database -> new ArrayList<>())
                    .add(member);
            for (IdentifierKey key : member.identifiers()) {
                int shard = shards.shardOfIdentifier(key.hashKey());
                ownersByDatabase
                        .computeIfAbsent(databases.databaseOf(shard), database -> new ArrayList<>())
                        .add(new OwnerRow(
                                key,
                                shard,
                                member.memberId(),
                                member.updatedAt().toEpochMilli()));
            }
        }
        int owners = 0;
        for (Map.Entry<String, List<OwnerRow>> group : ownersByDatabase.entrySet()) {
            owners += databases.inBulkTransaction(group.getKey(), c -> insertOwners(c, group.getValue()));
        }
        long committedAt = clock.millis();
        for (Map.Entry<String, List<Member>> group : membersByDatabase.entrySet()) {
            databases.inBulkTransaction(group.getKey(), c -> {
                insertMembers(c, group.getValue());
                Outbox.appendAll(
                        c,
                        group.getValue().stream()
                                .map(m -> changeOf(m, committedAt))
                                .toList());
                return null;
            });
        }
        cache.invalidateAll(members.stream()
                .map(m -> new MemberCache.Invalidation(m.memberId(), m.version(), m.identifiers()))
                .toList());
        return owners;
    }

    private record OwnerRow(IdentifierKey key, int shard, long memberId, long changedAt) {}

    private static int insertOwners(Connection c, List<OwnerRow> rows) throws SQLException {
        String sql = "INSERT INTO identifier_owner (" + OwnerEntries.INSERTED_COLUMNS + ") VALUES "
                + String.join(", ", Collections.nCopies(rows.size(), OwnerEntries.INSERTED_VALUES));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (OwnerRow row : rows) {
                p = OwnerEntries.bind(
                        ps,
                        p,
                        row.key(),
                        row.shard(),
                        row.memberId(),
                        ClaimState.CONFIRMED,
                        OwnerEntries.newToken(),
                        row.changedAt());
            }
            return ps.executeUpdate();
        }
    }

    private int insertMembers(Connection c, List<Member> members) throws SQLException {
        String sql = "INSERT INTO member (" + MemberRows.INSERTED_COLUMNS + ") VALUES "
                + String.join(", ", Collections.nCopies(members.size(), MemberRows.INSERTED_VALUES));
        ShardMap shards = databases.shardMap();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (Member m : members) {
                p = rows.bind(ps, p, m, shards.shardOfMember(m.memberId()), Lifecycle.LIVE);
            }
            return ps.executeUpdate();
        }
    }

    /** Committed at the load, whatever the member's own dates: the outbox's lag is the age of what it has not sent. */
    private Outbox.Change changeOf(Member member, long committedAt) {
        return new Outbox.Change(
                databases.shardMap().shardOfMember(member.memberId()), changeEvents.of(member, List.of()), committedAt);
    }
}
