package io.membercenter.governance;

import io.membercenter.shard.ShardedDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The anomaly table and its audit trail, in the governance home database. An anomaly seen again updates its
 * row (last seen, evidence); every change of status is written with its trail entry in one transaction, so
 * there is no status change without a record of who made it, and none recorded that did not happen.
 */
final class Anomalies {

    /** An anomaly as stored. */
    record Anomaly(
            long id,
            AnomalyType type,
            List<Long> memberIds,
            String evidence,
            long firstSeen,
            long lastSeen,
            AnomalyStatus status) {}

    /** What an attempt to close an anomaly found. */
    enum CloseResult {
        CLOSED,
        UNKNOWN,
        ALREADY_CLOSED
    }

    private static final String COLUMNS = "id, type, member_ids, evidence, first_seen, last_seen, status";

    private final ShardedDatabases databases;
    private final String home;
    private final JsonMapper json;

    Anomalies(ShardedDatabases databases, JsonMapper json) {
        this.databases = databases;
        this.home = databases.databaseOf(0);
        this.json = json;
    }

    /**
     * Records a finding of a run: a new anomaly with {@code status}, or the same not-yet-resolved anomaly
     * seen again (a {@code review} it now needs is kept; {@code ignored} stays ignored). Returns its id.
     */
    long record(Finding finding, AnomalyStatus status, long runId, long now) {
        return record(
                finding.type(),
                finding.fingerprint(),
                finding.identifierHash(),
                finding.memberIds(),
                finding.evidence(),
                status,
                runId,
                now);
    }

    /**
     * The same for an anomaly that is not a finding of a run (an abuse flag, {@link AbuseFlags}): named by its own
     * fingerprint, run 0, so {@link #resolveNotSeenBy} leaves it open (no audit looks for it again).
     */
    long record(
            AnomalyType type,
            String fingerprint,
            String identifierHash,
            List<Long> memberIds,
            Map<String, Object> evidenceMap,
            AnomalyStatus status,
            long runId,
            long now) {
        String evidence = json.writeValueAsString(evidenceMap);
        Stored stored = new Stored(type, fingerprint, identifierHash, memberIds);
        for (int attempt = 0; ; attempt++) {
            Optional<Long> seenAgain =
                    databases.onMaster(home, c -> seenAgain(c, stored, evidence, status, runId, now));
            if (seenAgain.isPresent()) return seenAgain.get();
            try {
                return databases.onMaster(home, c -> insert(c, stored, evidence, status, runId, now));
            } catch (RuntimeException raced) {
                if (attempt > 0 || !(raced.getCause() instanceof SQLIntegrityConstraintViolationException)) throw raced;
                // another step recorded it between our two statements: it is seen again now
            }
        }
    }

    /** What names a stored anomaly row. */
    private record Stored(AnomalyType type, String fingerprint, String identifierHash, List<Long> memberIds) {}

    /** Closes an anomaly the audit repaired itself, with the repair in the trail. */
    void repaired(long id, String actor, Object before, Object after, long now) {
        databases.inTransaction(home, c -> {
            int changed = setStatus(c, id, AnomalyStatus.RESOLVED);
            if (changed == 1) trail(c, id, actor, "repair", before, after, now);
            return changed;
        });
    }

    /** An operator closes an open or review anomaly: resolved or ignored. */
    CloseResult close(long id, AnomalyStatus to, String actor, long now) {
        return databases.inTransaction(home, c -> {
            Optional<Anomaly> anomaly = select(c, id, true);
            if (anomaly.isEmpty()) return CloseResult.UNKNOWN;
            if (anomaly.get().status().closed()) return CloseResult.ALREADY_CLOSED;
            setStatus(c, id, to);
            trail(
                    c,
                    id,
                    actor,
                    to == AnomalyStatus.RESOLVED ? "resolve" : "ignore",
                    Map.of("status", anomaly.get().status().label()),
                    Map.of("status", to.label()),
                    now);
            return CloseResult.CLOSED;
        });
    }

    /** An anomaly a merge is to resolve could not be: unknown, or closed already. */
    enum MergeCheck {
        FITS,
        UNKNOWN,
        ALREADY_CLOSED
    }

    /** Whether the anomaly can be resolved by a merge: it exists and is open or in review. */
    MergeCheck checkForMerge(long id) {
        return find(id).map(a -> a.status().closed() ? MergeCheck.ALREADY_CLOSED : MergeCheck.FITS)
                .orElse(MergeCheck.UNKNOWN);
    }

    /**
     * The trail row of a merge, and the anomaly it resolves (when given and still open or in review), in one
     * transaction. One row per merge: a retry of the merge writes none (the unique {@code merge_id}).
     */
    void merged(long mergeId, Long anomalyId, String actor, Object before, Object after, long now) {
        databases.inTransaction(home, c -> {
            boolean resolved = false;
            if (anomalyId != null) {
                Optional<Anomaly> anomaly = select(c, anomalyId, true);
                if (anomaly.isPresent() && !anomaly.get().status().closed()) {
                    resolved = setStatus(c, anomalyId, AnomalyStatus.RESOLVED) == 1;
                }
            }
            int written = mergeTrail(c, mergeId, anomalyId, actor, before, after, now);
            if (written == 0 && resolved) {
                // a retry of the merge resolving an anomaly the first request did not name: its own trail row
                trail(c, anomalyId, actor, "merge", before, after, now);
            }
            return written;
        });
    }

    /** The merge's one trail row; 0 when a retry finds it written. */
    private int mergeTrail(
            Connection c, long mergeId, Long anomalyId, String actor, Object before, Object after, long now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT IGNORE INTO governance_action "
                        + "(anomaly_id, merge_id, actor, action, at, before_state, after_state) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, anomalyId);
            ps.setLong(2, mergeId);
            ps.setString(3, actor);
            ps.setString(4, "merge");
            ps.setLong(5, now);
            ps.setString(6, json.writeValueAsString(before));
            ps.setString(7, json.writeValueAsString(after));
            return ps.executeUpdate();
        }
    }

    /** The trail row of a merge: {@code {actor, action, at, anomalyId, before, after}}, or empty before it is written. */
    Optional<Map<String, Object>> trailOfMerge(long mergeId) {
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT actor, action, at, anomaly_id, before_state, "
                    + "after_state FROM governance_action WHERE merge_id = ?")) {
                ps.setLong(1, mergeId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<Map<String, Object>>empty();
                    Map<String, Object> action = new LinkedHashMap<>();
                    action.put("actor", rs.getString(1));
                    action.put("action", rs.getString(2));
                    action.put("at", rs.getLong(3));
                    long anomaly = rs.getLong(4);
                    action.put("anomalyId", rs.wasNull() ? null : Long.toString(anomaly));
                    action.put("before", json.readTree(rs.getString(5)));
                    action.put("after", json.readTree(rs.getString(6)));
                    return Optional.of(action);
                }
            }
        });
    }

    /**
     * An anomaly that is not a run's closes when what it is about is gone (a quarantined legacy row imported after
     * all): resolved by {@code actor}, with the trail row; nothing when it is unknown or closed.
     */
    void resolveByFingerprint(String fingerprint, String actor, String action, long now) {
        databases.inTransaction(home, c -> {
            Long id = null;
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT id FROM governance_anomaly WHERE active_fingerprint = ? FOR UPDATE")) {
                ps.setString(1, fingerprint);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) id = rs.getLong(1);
                }
            }
            if (id == null) return 0;
            Optional<Anomaly> anomaly = select(c, id, true);
            if (anomaly.isEmpty() || anomaly.get().status().closed()) return 0;
            setStatus(c, id, AnomalyStatus.RESOLVED);
            trail(
                    c,
                    id,
                    actor,
                    action,
                    Map.of("status", anomaly.get().status().label()),
                    Map.of("status", AnomalyStatus.RESOLVED.label()),
                    now);
            return 1;
        });
    }

    /**
     * After a complete run: an open or review anomaly that run did not see again is gone (the sweeper or an
     * operator fixed the rows): resolved, by the audit, with the run in the trail.
     */
    int resolveNotSeenBy(long runId, long now) {
        List<Long> gone = databases.onMaster(home, c -> idsNotSeenBy(c, runId));
        int resolved = 0;
        for (long id : gone) {
            resolved += databases.inTransaction(home, c -> {
                Optional<Anomaly> anomaly = select(c, id, true);
                if (anomaly.isEmpty() || anomaly.get().status().closed()) return 0;
                setStatus(c, id, AnomalyStatus.RESOLVED);
                trail(
                        c,
                        id,
                        "audit",
                        "not-seen",
                        Map.of("status", anomaly.get().status().label()),
                        Map.of("status", AnomalyStatus.RESOLVED.label(), "run", runId),
                        now);
                return 1;
            });
        }
        return resolved;
    }

    /**
     * The other not-yet-resolved anomalies of one type about the finding's identifier seen by the same run
     * (what an older run saw may have been fixed since): how two members that
     * both hold an identifier without its entry are found to be two owners (no index of member rows by
     * identifier exists to ask directly).
     */
    List<Anomaly> othersAbout(Finding finding, AnomalyType type, long runId) {
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM governance_anomaly "
                    + "WHERE identifier_hash = ? AND type = ? AND last_run = ? AND active_fingerprint IS NOT NULL "
                    + "AND active_fingerprint <> ?")) {
                ps.setString(1, finding.identifierHash());
                ps.setString(2, type.name());
                ps.setLong(3, runId);
                ps.setString(4, finding.fingerprint());
                return anomalies(ps);
            }
        });
    }

    Optional<Anomaly> find(long id) {
        return databases.onMaster(home, c -> select(c, id, false));
    }

    /** Newest first; either filter may be null (any). */
    List<Anomaly> list(AnomalyType type, AnomalyStatus status, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM governance_anomaly WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (type != null) {
            sql.append(" AND type = ?");
            parameters.add(type.name());
        }
        if (status != null) {
            sql.append(" AND status = ?");
            parameters.add(status.label());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        parameters.add(limit);
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < parameters.size(); i++) ps.setObject(i + 1, parameters.get(i));
                return anomalies(ps);
            }
        });
    }

    /** The trail of one anomaly, oldest first: {@code {actor, action, at, before, after}}. */
    List<Map<String, Object>> trailOf(long id) {
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT actor, action, at, before_state, after_state "
                    + "FROM governance_action WHERE anomaly_id = ? ORDER BY id")) {
                ps.setLong(1, id);
                List<Map<String, Object>> actions = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> action = new LinkedHashMap<>();
                        action.put("actor", rs.getString(1));
                        action.put("action", rs.getString(2));
                        action.put("at", rs.getLong(3));
                        action.put("before", rs.getString(4) == null ? null : json.readTree(rs.getString(4)));
                        action.put("after", rs.getString(5) == null ? null : json.readTree(rs.getString(5)));
                        actions.add(action);
                    }
                }
                return actions;
            }
        });
    }

    private Optional<Long> seenAgain(
            Connection c, Stored finding, String evidence, AnomalyStatus status, long runId, long now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE governance_anomaly SET last_seen = ?, last_run = ?, "
                + "evidence = ?, status = CASE WHEN status = ? THEN ? ELSE status END WHERE active_fingerprint = ?")) {
            ps.setLong(1, now);
            ps.setLong(2, runId);
            ps.setString(3, evidence);
            ps.setString(4, AnomalyStatus.OPEN.label());
            ps.setString(5, status.label());
            ps.setString(6, finding.fingerprint());
            if (ps.executeUpdate() == 0) return Optional.empty();
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT id FROM governance_anomaly WHERE active_fingerprint = ?")) {
            ps.setString(1, finding.fingerprint());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static long insert(
            Connection c, Stored finding, String evidence, AnomalyStatus status, long runId, long now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO governance_anomaly (type, fingerprint, active_fingerprint, identifier_hash, member_ids, "
                        + "evidence, first_seen, last_seen, last_run, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, finding.type().name());
            ps.setString(2, finding.fingerprint());
            ps.setString(3, finding.fingerprint());
            ps.setString(4, finding.identifierHash());
            ps.setString(
                    5,
                    String.join(
                            ",",
                            finding.memberIds().stream().map(String::valueOf).toList()));
            ps.setString(6, evidence);
            ps.setLong(7, now);
            ps.setLong(8, now);
            ps.setLong(9, runId);
            ps.setString(10, status.label());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Resolved frees the fingerprint (a later occurrence is a new anomaly); ignored keeps it. */
    private static int setStatus(Connection c, long id, AnomalyStatus status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE governance_anomaly SET status = ?, active_fingerprint = "
                + "CASE WHEN ? THEN NULL ELSE active_fingerprint END WHERE id = ? AND status IN (?, ?)")) {
            ps.setString(1, status.label());
            ps.setBoolean(2, status == AnomalyStatus.RESOLVED);
            ps.setLong(3, id);
            ps.setString(4, AnomalyStatus.OPEN.label());
            ps.setString(5, AnomalyStatus.REVIEW.label());
            return ps.executeUpdate();
        }
    }

    private void trail(Connection c, long id, String actor, String action, Object before, Object after, long now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO governance_action "
                + "(anomaly_id, actor, action, at, before_state, after_state) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, actor);
            ps.setString(3, action);
            ps.setLong(4, now);
            ps.setString(5, before == null ? null : json.writeValueAsString(before));
            ps.setString(6, after == null ? null : json.writeValueAsString(after));
            ps.executeUpdate();
        }
    }

    private static List<Long> idsNotSeenBy(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM governance_anomaly WHERE status IN (?, ?) AND last_run < ? AND last_run > 0 ORDER BY id")) {
            ps.setString(1, AnomalyStatus.OPEN.label());
            ps.setString(2, AnomalyStatus.REVIEW.label());
            ps.setLong(3, runId);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
            return ids;
        }
    }

    private static Optional<Anomaly> select(Connection c, long id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM governance_anomaly WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setLong(1, id);
            return anomalies(ps).stream().findFirst();
        }
    }

    private static List<Anomaly> anomalies(PreparedStatement ps) throws SQLException {
        List<Anomaly> found = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                found.add(new Anomaly(
                        rs.getLong(1),
                        AnomalyType.valueOf(rs.getString(2)),
                        Arrays.stream(rs.getString(3).split(","))
                                .filter(s -> !s.isEmpty())
                                .map(Long::valueOf)
                                .toList(),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        AnomalyStatus.parse(rs.getString(7))));
            }
        }
        return found;
    }
}
