package io.membercenter.member;

import io.membercenter.governance.MemberMerges.Merge;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.shard.ShardedDatabases;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code member_merge} table (V11) in the home database: a merge's intent while it runs, its record after. The
 * plan (identifiers in clear, which a resumed merge needs to find their entries) lives only while the merge is
 * started; the record keeps them masked.
 */
final class MergeRecords {

    static final String STARTED = "started";
    static final String DONE = "done";

    /**
     * What a merge is to do: every identifier the merged member held at {@code mergedVersion}. Which of them move
     * (every identity; a mobile or an e-mail only when the survivor has none) is decided against the survivor's row
     * as it is when the survivor commits.
     */
    record Plan(long mergedVersion, List<IdentifierKey> keys) {}

    /** A stored merge with what only the protocol reads (token, plan). */
    record Stored(Merge merge, String token, Plan plan, long leaseUntil) {}

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final String COLUMNS = "id, survivor_id, merged_id, state, token, plan, outcome, "
            + "survivor_version_before, survivor_version_after, merged_version_before, merged_version_after, actor, "
            + "reason, started_at, finished_at, lease_until";

    private final ShardedDatabases databases;
    private final String home;
    private final JsonMapper json;

    MergeRecords(ShardedDatabases databases, JsonMapper json) {
        this.databases = databases;
        this.home = databases.databaseOf(0);
        this.json = json;
    }

    /** The intent of a new merge; empty when this member or this pair has one already (the unique keys decide). */
    Optional<Long> start(
            long survivor,
            long merged,
            String token,
            Plan plan,
            long survivorVersion,
            String actor,
            String reason,
            long now,
            long leaseUntil) {
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO member_merge (survivor_id, merged_id, pair_low, pair_high, state, token, plan, "
                            + "survivor_version_before, merged_version_before, actor, reason, started_at, lease_until) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, survivor);
                ps.setLong(2, merged);
                ps.setLong(3, Math.min(survivor, merged));
                ps.setLong(4, Math.max(survivor, merged));
                ps.setString(5, STARTED);
                ps.setString(6, token);
                ps.setString(7, planJson(plan));
                ps.setLong(8, survivorVersion);
                ps.setLong(9, plan.mergedVersion());
                ps.setString(10, actor);
                ps.setString(11, reason);
                ps.setLong(12, now);
                ps.setLong(13, leaseUntil);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return Optional.of(keys.getLong(1));
                }
            } catch (SQLIntegrityConstraintViolationException taken) {
                return Optional.<Long>empty();
            }
        });
    }

    /** The merge of this member, or of this pair either way. */
    Optional<Stored> ofPair(long survivor, long merged) {
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM member_merge "
                    + "WHERE merged_id = ? OR (pair_low = ? AND pair_high = ?) ORDER BY id LIMIT 1")) {
                ps.setLong(1, merged);
                ps.setLong(2, Math.min(survivor, merged));
                ps.setLong(3, Math.max(survivor, merged));
                return stored(ps).stream().findFirst();
            }
        });
    }

    /** The merges a member took part in, newest first. */
    List<Merge> of(long memberId) {
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM member_merge "
                    + "WHERE survivor_id = ? OR merged_id = ? ORDER BY id DESC LIMIT 1000")) {
                ps.setLong(1, memberId);
                ps.setLong(2, memberId);
                return stored(ps).stream().map(Stored::merge).toList();
            }
        });
    }

    /** The member a merged member went to, if it was merged (a finished or started merge). */
    Optional<Long> survivorOf(long mergedId) {
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT survivor_id FROM member_merge WHERE merged_id = ?")) {
                ps.setLong(1, mergedId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
                }
            }
        });
    }

    /** Takes a started merge's lease (a retry resuming it); false while another request holds it. */
    boolean lease(long id, long now, long until) {
        return databases.onMaster(
                        home,
                        c -> Statements.update(
                                c,
                                "UPDATE member_merge SET lease_until = ? WHERE id = ? AND state = ? AND lease_until < ?",
                                until,
                                id,
                                STARTED,
                                now))
                == 1;
    }

    /** A new plan, made at a newer version of the merged member (it changed while the merge ran). */
    void replan(long id, Plan plan) {
        databases.onMaster(
                home,
                c -> Statements.update(
                        c,
                        "UPDATE member_merge SET plan = ?, merged_version_before = ? WHERE id = ? AND state = ?",
                        planJson(plan),
                        plan.mergedVersion(),
                        id,
                        STARTED));
    }

    /** The record: what moved, was released or lost (masked), the versions after; the plan in clear is dropped. */
    void finish(
            long id,
            List<IdentifierKey> moved,
            List<IdentifierKey> released,
            List<IdentifierKey> lost,
            long survivorVersionAfter,
            long mergedVersionAfter,
            long now) {
        String outcome = json.writeValueAsString(Map.of(
                "moved", masked(moved),
                "released", masked(released),
                "lost", masked(lost)));
        databases.onMaster(
                home,
                c -> Statements.update(
                        c,
                        "UPDATE member_merge SET state = ?, plan = NULL, outcome = ?, survivor_version_after = ?, "
                                + "merged_version_after = ?, finished_at = ?, lease_until = 0 WHERE id = ? AND state = ?",
                        DONE,
                        outcome,
                        survivorVersionAfter,
                        mergedVersionAfter,
                        now,
                        id,
                        STARTED));
    }

    /** Gives the lease back (a merge that stopped before its end, to be resumed by a retry at once). */
    void unlease(long id) {
        databases.onMaster(home, c -> Statements.update(c, "UPDATE member_merge SET lease_until = 0 WHERE id = ?", id));
    }

    private static List<String> masked(List<IdentifierKey> keys) {
        return keys.stream().map(IdentifierKey::toString).toList();
    }

    private String planJson(Plan plan) {
        return json.writeValueAsString(Map.of(
                "mergedVersion",
                plan.mergedVersion(),
                "keys",
                plan.keys().stream().map(IdentifierKey::hashKey).toList()));
    }

    @SuppressWarnings("unchecked")
    private Plan plan(String text) {
        if (text == null) return null;
        Map<String, Object> map = json.readValue(text, MAP);
        return new Plan(((Number) map.get("mergedVersion")).longValue(), keys((List<String>) map.get("keys")));
    }

    /** The inverse of {@link IdentifierKey#hashKey()}: {@code M:+86...}. */
    private static List<IdentifierKey> keys(List<String> hashKeys) {
        return hashKeys.stream()
                .map(k -> new IdentifierKey(IdentifierKey.Kind.ofCode(k.substring(0, 1)), k.substring(2)))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private List<Stored> stored(PreparedStatement ps) throws SQLException {
        List<Stored> found = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> outcome = rs.getString(7) == null ? Map.of() : json.readValue(rs.getString(7), MAP);
                Merge merge = new Merge(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        DONE.equals(rs.getString(4)),
                        (List<String>) outcome.getOrDefault("moved", List.of()),
                        (List<String>) outcome.getOrDefault("released", List.of()),
                        (List<String>) outcome.getOrDefault("lost", List.of()),
                        rs.getLong(8),
                        nullable(rs, 9),
                        rs.getLong(10),
                        nullable(rs, 11),
                        rs.getString(12),
                        rs.getString(13),
                        rs.getLong(14),
                        nullable(rs, 15));
                found.add(new Stored(merge, rs.getString(5), plan(rs.getString(6)), rs.getLong(16)));
            }
        }
        return found;
    }

    private static Long nullable(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
