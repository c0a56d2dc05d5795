package io.membercenter.member;

import io.membercenter.api.StoreUnavailableException;
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

    /**
     * Members by id, one query per physical database, each through that database's own chain (local copy, master,
     * the other data center's copy: {@link ShardedDatabases#readLocal(String, ShardedDatabases.SqlWork)}). A
     * database none of whose copies can answer does not fail the batch: its ids come back {@code unread}, with that
     * failure, for the next link of the caller's chain (search) — the members of the databases that answered are
     * not thrown away for one that did not.
     */
    BatchRead findByIds(Collection<Long> memberIds) {
        Map<String, List<Long>> byDatabase = new HashMap<>();
        for (long id : memberIds) {
            byDatabase
                    .computeIfAbsent(databases.databaseOf(shards.shardOfMember(id)), db -> new ArrayList<>())
                    .add(id);
        }
        List<Member> found = new ArrayList<>();
        List<Long> unread = new ArrayList<>();
        StoreUnavailableException failure = null;
        String dataCenter = null;
        boolean mayBeStale = false;
        for (Map.Entry<String, List<Long>> group : byDatabase.entrySet()) {
            Read<List<MemberRows.Row>> read;
            try {
                read = databases.readLocal(group.getKey(), c -> rows.select(c, group.getValue()));
            } catch (StoreUnavailableException noCopyAnswers) {
                unread.addAll(group.getValue());
                failure = noCopyAnswers;
                continue;
            }
            read.value().stream()
                    .filter(MemberRows.Row::live)
                    .map(MemberRows.Row::member)
                    .forEach(found::add);
            dataCenter = read.dataCenter();
            mayBeStale |= read.mayBeStale();
        }
        return new BatchRead(found, dataCenter, mayBeStale, unread, failure);
    }

    /**
     * A batch read from MySQL: the members found, the data center of the last copy that answered (null when none
     * did), whether any answering copy may be stale, and the ids of the databases no copy could answer, with the
     * last such failure (null when every database answered).
     */
    record BatchRead(
            List<Member> members,
            String dataCenter,
            boolean mayBeStale,
            List<Long> unread,
            StoreUnavailableException failure) {}
}
