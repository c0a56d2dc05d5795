package io.membercenter.member;

import io.membercenter.cache.MemberCache;
import io.membercenter.replication.Outbox;
import io.membercenter.shard.ShardMap;
import io.membercenter.shard.ShardedDatabases;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
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

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ShardedDatabases databases;
    private final IdentitiesColumn identitiesColumn;
    private final MemberChangeEvents changeEvents;
    private final MemberCache cache;
    /** For each logical shard, the first shard of its physical database: the transaction API is addressed by shard. */
    private final int[] transactionShard;

    MemberBulkLoad(ShardedDatabases databases, IdentitiesColumn identitiesColumn, MemberChangeEvents changeEvents,
            MemberCache cache) {
        this.databases = databases;
        this.identitiesColumn = identitiesColumn;
        this.changeEvents = changeEvents;
        this.cache = cache;
        int logicalShards = databases.shardMap().logicalShards();
        this.transactionShard = new int[logicalShards];
        Map<String, Integer> firstShardOf = new LinkedHashMap<>();
        for (int shard = 0; shard < logicalShards; shard++) {
            int candidate = shard;
            transactionShard[shard] = firstShardOf.computeIfAbsent(databases.databaseOf(shard), database -> candidate);
        }
    }

    /**
     * Loads the members (each at its own version, normally 1); returns how many owner entries were written.
     * Fails as a whole per physical database when any row exists already (a duplicate id or identifier).
     */
    public int load(List<Member> members) {
        ShardMap shards = databases.shardMap();
        Map<Integer, List<OwnerRow>> ownersByShardGroup = new LinkedHashMap<>();
        Map<Integer, List<Member>> membersByShardGroup = new LinkedHashMap<>();
        for (Member member : members) {
            int memberShard = shards.shardOfMember(member.memberId());
            membersByShardGroup.computeIfAbsent(transactionShard[memberShard], s -> new ArrayList<>()).add(member);
            for (IdentifierKey key : member.identifiers()) {
                int shard = shards.shardOfIdentifier(key.hashKey());
                ownersByShardGroup.computeIfAbsent(transactionShard[shard], s -> new ArrayList<>())
                        .add(new OwnerRow(key, shard, member.memberId(), member.updatedAt().toEpochMilli()));
            }
        }
        int owners = 0;
        for (Map.Entry<Integer, List<OwnerRow>> group : ownersByShardGroup.entrySet()) {
            owners += databases.inTransaction(group.getKey(), c -> insertOwners(c, group.getValue()));
        }
        for (Map.Entry<Integer, List<Member>> group : membersByShardGroup.entrySet()) {
            databases.inTransaction(group.getKey(), c -> {
                insertMembers(c, group.getValue());
                Outbox.appendAll(c, group.getValue().stream().map(this::changeOf).toList());
                return null;
            });
        }
        if (cache != null) {
            cache.invalidateAll(members.stream().map(m -> new MemberCache.Invalidation(m.memberId(), m.version(),
                    m.identifiers().stream().map(IdentifierKey::searchKey).toList())).toList());
        }
        return owners;
    }

    private record OwnerRow(IdentifierKey key, int shard, long memberId, long changedAt) {}

    private static int insertOwners(Connection c, List<OwnerRow> rows) throws SQLException {
        String sql = "INSERT INTO identifier_owner (kind, value, shard, member_id, state, token, changed_at) VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows.size(), "(?, ?, ?, ?, 'CONFIRMED', ?, ?)"));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (OwnerRow row : rows) {
                ps.setString(p++, row.key().code());
                ps.setString(p++, row.key().value());
                ps.setInt(p++, row.shard());
                ps.setLong(p++, row.memberId());
                ps.setString(p++, newToken());
                ps.setLong(p++, row.changedAt());
            }
            return ps.executeUpdate();
        }
    }

    private int insertMembers(Connection c, List<Member> members) throws SQLException {
        String sql = "INSERT INTO member (member_id, shard, lifecycle, fence, mobile, email, nickname, level, status, "
                + "identities, version, created_at, updated_at) VALUES "
                + String.join(", ", java.util.Collections.nCopies(members.size(), "(?, ?, 'LIVE', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        ShardMap shards = databases.shardMap();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (Member m : members) {
                ps.setLong(p++, m.memberId());
                ps.setInt(p++, shards.shardOfMember(m.memberId()));
                ps.setString(p++, m.mobile());
                ps.setString(p++, m.email());
                ps.setString(p++, m.nickname());
                ps.setString(p++, m.level().name());
                ps.setString(p++, m.status().name());
                ps.setString(p++, identitiesColumn.write(m.identities()));
                ps.setLong(p++, m.version());
                ps.setLong(p++, m.createdAt().toEpochMilli());
                ps.setLong(p++, m.updatedAt().toEpochMilli());
            }
            return ps.executeUpdate();
        }
    }

    private Outbox.Change changeOf(Member member) {
        // Committed now, whatever the member's own dates: the outbox's lag is the age of what it has not sent.
        return new Outbox.Change(databases.shardMap().shardOfMember(member.memberId()), member.memberId(), member.version(),
                changeEvents.of(member, List.of()), System.currentTimeMillis());
    }

    private static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
