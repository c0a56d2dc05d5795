package io.membercenter.member;

import io.membercenter.shard.ShardedDatabases;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Clock;
import java.util.Optional;

/**
 * The first answer to each (caller, Idempotency-Key), so a retried create returns the same member
 * instead of making a second one. A record is IN_PROGRESS while its request runs (a concurrent
 * retry gets 409 + Retry-After) and DONE with the answer afterwards. A request that surely created
 * nothing leaves no record, so its retry runs again; one that created its member is completed with
 * it even when a step after the commit failed; one whose outcome is unknown stays IN_PROGRESS until
 * a retry after claim-ttl takes it over and settles it (see {@code MemberService.runCreate}).
 */
final class IdempotencyRecords {

    /** What a create with this key must do. */
    sealed interface Start {}

    /** This request owns the key and creates the member with this id. */
    record Proceed(long memberId) implements Start {}

    /** The key's first request finished; answer the same again. */
    record Replay(int status, String body) implements Start {}

    /** The key's first request is still running. */
    record InProgress() implements Start {}

    /** The key was used with another body. */
    record Mismatch() implements Start {}

    /** The first request died without an answer; it meant to create this member id. */
    record Abandoned(long memberId, long startedAt) implements Start {}

    private final ShardedDatabases databases;
    private final Clock clock;
    private final MemberProperties properties;

    IdempotencyRecords(ShardedDatabases databases, Clock clock, MemberProperties properties) {
        this.databases = databases;
        this.clock = clock;
        this.properties = properties;
    }

    Start start(String caller, String key, String requestHash, long memberId) {
        int shard = shardOf(caller, key);
        long now = clock.millis();
        boolean inserted = databases.onMaster(shard, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency_record (caller, idem_key, shard, "
                    + "request_hash, state, member_id, created_at) VALUES (?, ?, ?, ?, 'IN_PROGRESS', ?, ?)")) {
                ps.setString(1, caller);
                ps.setString(2, key);
                ps.setInt(3, shard);
                ps.setString(4, requestHash);
                ps.setLong(5, memberId);
                ps.setLong(6, now);
                return ps.executeUpdate() == 1;
            } catch (SQLIntegrityConstraintViolationException duplicate) {
                return false;
            }
        });
        if (inserted) {
            return new Proceed(memberId);
        }
        Optional<Start> existing = databases.onMaster(shard, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT request_hash, state, member_id, status_code, response, "
                            + "created_at FROM idempotency_record WHERE caller = ? AND idem_key = ?")) {
                ps.setString(1, caller);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(classify(rs, requestHash, now)) : Optional.<Start>empty();
                }
            }
        });
        return existing.orElseGet(() -> start(caller, key, requestHash, memberId));
    }

    private Start classify(ResultSet rs, String requestHash, long now) throws java.sql.SQLException {
        long createdAt = rs.getLong("created_at");
        if (now - createdAt > properties.idempotencyRetention().toMillis()) {
            return new Abandoned(-1, createdAt);
        }
        if (!rs.getString("request_hash").equals(requestHash)) {
            return new Mismatch();
        }
        if ("DONE".equals(rs.getString("state"))) {
            return new Replay(rs.getInt("status_code"), rs.getString("response"));
        }
        if (now - createdAt > properties.claimTtl().toMillis()) {
            return new Abandoned(rs.getLong("member_id"), createdAt);
        }
        return new InProgress();
    }

    /** Takes over a record whose request died or expired; false when someone else took it first. */
    boolean takeOver(String caller, String key, long startedAt, String requestHash, long newMemberId) {
        return databases.onMaster(
                shardOf(caller, key),
                c -> Statements.update(
                                c,
                                "UPDATE idempotency_record SET state = 'IN_PROGRESS', request_hash = ?, member_id = ?, created_at = ?, "
                                        + "status_code = NULL, response = NULL WHERE caller = ? AND idem_key = ? AND created_at = ?",
                                requestHash,
                                newMemberId,
                                clock.millis(),
                                caller,
                                key,
                                startedAt)
                        == 1);
    }

    void complete(String caller, String key, int status, String body) {
        databases.onMaster(
                shardOf(caller, key),
                c -> Statements.update(
                        c,
                        "UPDATE idempotency_record SET state = 'DONE', status_code = ?, response = ? WHERE caller = ? AND idem_key = ?",
                        status,
                        body,
                        caller,
                        key));
    }

    void forget(String caller, String key) {
        databases.onMaster(
                shardOf(caller, key),
                c -> Statements.update(
                        c,
                        "DELETE FROM idempotency_record WHERE caller = ? AND idem_key = ? AND state = 'IN_PROGRESS'",
                        caller,
                        key));
    }

    int purgeExpired(String database) {
        long before = clock.millis() - properties.idempotencyRetention().toMillis();
        return databases.onMaster(
                database,
                c -> Statements.update(c, "DELETE FROM idempotency_record WHERE created_at < ? LIMIT 1000", before));
    }

    private int shardOf(String caller, String key) {
        return databases.shardMap().shardOfIdentifier("K:" + caller + ":" + key);
    }
}
