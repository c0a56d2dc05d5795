package io.membercenter.member;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.shard.ShardMap;
import io.membercenter.shard.ShardedDatabases;
import io.membercenter.shard.ShardedDatabases.Read;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Members read from the sharded MySQL store, from the local data center's copy where there is one.
 * Writes are {@link MemberWrites}; what they leave behind after a crash, {@link ClaimSweeper}.
 *
 * <p>Reads trust only the member row: only a {@link Lifecycle#LIVE} row is ever returned (a pending
 * create is invisible), and a lookup by identifier follows the owner entry and then checks that the
 * member it points to is live and holds the identifier, so a stale entry can cause a 404, never
 * another member's data ({@code MemberCrashRecoveryTest}, {@code MemberConcurrencyTest}).
 */
final class MemberStore {

    private final ShardedDatabases databases;
    private final ShardMap shards;
    private final MemberRows rows;

    MemberStore(ShardedDatabases databases, MemberRows rows) {
        this.databases = databases;
        this.shards = databases.shardMap();
        this.rows = rows;
    }

    String masterDataCenter() {
        return databases.masterDataCenter();
    }

    Read<Optional<Member>> findById(long memberId) {
        Read<Optional<MemberRows.Row>> read =
                databases.readLocal(shards.shardOfMember(memberId), c -> rows.select(c, memberId));
        return new Read<>(
                read.value().filter(MemberRows.Row::live).map(MemberRows.Row::member),
                read.dataCenter(),
                read.mayBeStale());
    }

    /** Reads by identifier follow the owner pointer and trust only the member row it points to. */
    Read<Optional<Member>> findByIdentifier(IdentifierKey key) {
        Read<Optional<OwnerEntries.Owner>> owner =
                databases.readLocal(shards.shardOfIdentifier(key.hashKey()), c -> OwnerEntries.select(c, key));
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
            Read<List<MemberRows.Row>> read =
                    databases.readLocal(group.getKey(), c -> rows.select(c, group.getValue()));
            read.value().stream()
                    .filter(MemberRows.Row::live)
                    .map(MemberRows.Row::member)
                    .forEach(found::add);
            dataCenter = read.dataCenter();
            mayBeStale |= read.mayBeStale();
        }
        return new Read<>(found, dataCenter, mayBeStale);
    }
}
