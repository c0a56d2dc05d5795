package io.membercenter.governance;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.shard.ShardMap;
import io.membercenter.support.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Rows written straight into the master's tables, past the service, as a bug or a bad migration would leave
 * them; every row written is removed again by {@link #removeAll()}, so the shared database stays clean.
 */
final class Injected {

    private static final String MASTER = "mysql-a";

    private final ShardMap shards;
    private final List<Runnable> undo = new ArrayList<>();

    Injected(ShardMap shards) {
        this.shards = shards;
    }

    /** An id far above what the generator hands out in a test run, so it names no real member. */
    static long memberId() {
        return 8_000_000_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000_000_000L);
    }

    /** A member row; identities as {@code [platform, externalId]} pairs. */
    long member(String lifecycle, String mobile, String email, List<String[]> identities, long now) {
        long memberId = memberId();
        int shard = shards.shardOfMember(memberId);
        StringBuilder json = new StringBuilder("[");
        for (String[] identity : identities) {
            if (json.length() > 1) json.append(',');
            json.append("{\"platform\":\"")
                    .append(identity[0])
                    .append("\",\"externalId\":\"")
                    .append(identity[1])
                    .append("\"}");
        }
        json.append(']');
        String database = shards.databaseOf(shard);
        Sql.update(
                MASTER,
                database,
                "INSERT INTO member (member_id, shard, lifecycle, fence, mobile, email, nickname, level, status, "
                        + "identities, version, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?, NULL, 'NORMAL', "
                        + "'ACTIVE', ?, 1, ?, ?)",
                memberId,
                shard,
                lifecycle,
                mobile,
                email,
                json.toString(),
                now,
                now);
        undo.add(() -> Sql.update(MASTER, database, "DELETE FROM member WHERE member_id = ?", memberId));
        return memberId;
    }

    /** An owner entry. */
    void entry(IdentifierKey key, long memberId, String state, long changedAt) {
        int shard = shards.shardOfIdentifier(key.hashKey());
        String database = shards.databaseOf(shard);
        Sql.update(
                MASTER,
                database,
                "INSERT INTO identifier_owner (kind, value, shard, member_id, state, token, changed_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)",
                key.code(),
                key.value(),
                shard,
                memberId,
                state,
                "injected-"
                        + Long.toHexString(ThreadLocalRandom.current().nextLong())
                                .substring(0, 8) + "-xxxx",
                changedAt);
        undo.add(() -> Sql.update(
                MASTER,
                database,
                "DELETE FROM identifier_owner WHERE kind = ? AND value = ? AND member_id = ?",
                key.code(),
                key.value(),
                memberId));
    }

    /** The entry of an identifier on the master, if any: {@code member_id, state}. */
    List<Map<String, Object>> entryOf(IdentifierKey key) {
        String database = shards.databaseOf(shards.shardOfIdentifier(key.hashKey()));
        return Sql.query(
                MASTER,
                database,
                "SELECT member_id, state FROM identifier_owner WHERE kind = ? AND value = ?",
                key.code(),
                key.value());
    }

    int shardOfMember(long memberId) {
        return shards.shardOfMember(memberId);
    }

    int shardOf(IdentifierKey key) {
        return shards.shardOfIdentifier(key.hashKey());
    }

    void removeAll() {
        undo.reversed().forEach(Runnable::run);
        undo.clear();
    }
}
