package io.membercenter.governance;

import io.membercenter.shard.ShardedDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The audit's own state in the governance home database: its runs (with their totals) and one cursor per
 * logical shard. A cursor is written after every chunk it covers, so a step that stops (its budget spent, a
 * crash, a restart of the service) loses at most the chunk it was in, and the next step continues there.
 */
final class AuditLedger {

    /** Where the audit stands in one logical shard. */
    enum Phase {
        MEMBERS,
        ENTRIES,
        DONE
    }

    /** A shard's cursor: its phase and the last key examined in it. */
    record Cursor(int shard, Phase phase, long memberAfter, String kindAfter, String valueAfter) {

        static Cursor start(int shard) {
            return new Cursor(shard, Phase.MEMBERS, 0, "", "");
        }
    }

    /** A run and its totals so far. */
    record Run(
            long id,
            long startedAt,
            Long finishedAt,
            int steps,
            long membersExamined,
            long entriesExamined,
            long anomaliesSeen,
            long repaired) {

        boolean finished() {
            return finishedAt != null;
        }
    }

    /** What one step did, added to its run's totals. */
    record StepTotals(long members, long entries, long anomalies, long repaired) {}

    private static final String RUN_COLUMNS =
            "run_id, started_at, finished_at, steps, members_examined, " + "entries_examined, anomalies_seen, repaired";

    private final ShardedDatabases databases;
    private final String home;

    AuditLedger(ShardedDatabases databases) {
        this.databases = databases;
        this.home = databases.databaseOf(0);
    }

    /** The run not finished yet, or a new one. */
    Run currentOrNew(long now) {
        return latest().filter(run -> !run.finished()).orElseGet(() -> {
            long id = databases.onMaster(home, c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO governance_audit_run (started_at) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
                    ps.setLong(1, now);
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        return keys.getLong(1);
                    }
                }
            });
            return run(id).orElseThrow();
        });
    }

    Optional<Run> latest() {
        return databases.onMaster(
                home,
                c -> runs(c, "SELECT " + RUN_COLUMNS + " FROM governance_audit_run ORDER BY run_id DESC LIMIT 1"));
    }

    Optional<Run> run(long id) {
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM governance_audit_run WHERE run_id = ?")) {
                ps.setLong(1, id);
                return one(ps);
            }
        });
    }

    /**
     * Takes the run's lease until {@code until}: false when another step holds it (two admins, or the
     * services of both data centers, never audit one run at once).
     */
    boolean lease(long runId, long now, long until) {
        return databases.onMaster(
                        home,
                        c -> update(
                                c,
                                "UPDATE governance_audit_run SET lease_until = ? WHERE run_id = ? AND lease_until < ?",
                                until,
                                runId,
                                now))
                == 1;
    }

    /** Adds a step's totals, ends the run when it is complete, and gives the lease back. */
    void endStep(long runId, StepTotals totals, Long finishedAt) {
        databases.onMaster(
                home,
                c -> update(
                        c,
                        "UPDATE governance_audit_run SET steps = steps + 1, members_examined = members_examined + ?, "
                                + "entries_examined = entries_examined + ?, anomalies_seen = anomalies_seen + ?, "
                                + "repaired = repaired + ?, finished_at = ?, lease_until = 0 WHERE run_id = ?",
                        totals.members(),
                        totals.entries(),
                        totals.anomalies(),
                        totals.repaired(),
                        finishedAt,
                        runId));
    }

    /** The cursors of a run by shard; a shard without one (or with one of an older run) has not started. */
    Map<Integer, Cursor> cursors(long runId) {
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT shard, phase, member_after, kind_after, value_after "
                    + "FROM governance_audit_cursor WHERE run_id = ?")) {
                ps.setLong(1, runId);
                Map<Integer, Cursor> cursors = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Cursor cursor = new Cursor(
                                rs.getInt(1),
                                Phase.valueOf(rs.getString(2)),
                                rs.getLong(3),
                                rs.getString(4),
                                rs.getString(5));
                        cursors.put(cursor.shard(), cursor);
                    }
                }
                return cursors;
            }
        });
    }

    void save(long runId, Cursor cursor, long now) {
        databases.onMaster(
                home,
                c -> update(
                        c,
                        "INSERT INTO governance_audit_cursor (shard, run_id, phase, member_after, kind_after, value_after, "
                                + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE run_id = VALUES(run_id), "
                                + "phase = VALUES(phase), member_after = VALUES(member_after), kind_after = VALUES(kind_after), "
                                + "value_after = VALUES(value_after), updated_at = VALUES(updated_at)",
                        cursor.shard(),
                        runId,
                        cursor.phase().name(),
                        cursor.memberAfter(),
                        cursor.kindAfter(),
                        cursor.valueAfter(),
                        now));
    }

    private static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) ps.setObject(i + 1, parameters[i]);
            return ps.executeUpdate();
        }
    }

    private static Optional<Run> runs(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return one(ps);
        }
    }

    private static Optional<Run> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            long finished = rs.getLong(3);
            Long finishedAt = rs.wasNull() ? null : finished;
            return Optional.of(new Run(
                    rs.getLong(1),
                    rs.getLong(2),
                    finishedAt,
                    rs.getInt(4),
                    rs.getLong(5),
                    rs.getLong(6),
                    rs.getLong(7),
                    rs.getLong(8)));
        }
    }
}
