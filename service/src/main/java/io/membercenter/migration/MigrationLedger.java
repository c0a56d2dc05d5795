package io.membercenter.migration;

import io.membercenter.governance.LegacyQuarantine;
import io.membercenter.shard.ShardedDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The migration's own state in the home database (the one of logical shard 0): one run row, the quarantine and
 * the last verify's findings (V8). Every step writes its cursor here after each chunk, in the statement that adds
 * the chunk's totals, so a step that dies resumes after its last finished chunk.
 */
final class MigrationLedger {

    enum Phase {
        /** Nothing copied yet; the legacy store may still be loaded. */
        IDLE,
        /** The full sync has begun (the change capture with it) and has not reached its target. */
        FULL_SYNC,
        /** Every legacy row up to the target was copied or quarantined. */
        FULL_SYNC_DONE,
        /** Changes captured since the full sync began are being applied. */
        INCREMENTAL,
        /**
         * Cut over: every read and write on member-center's store, the dual write keeping the legacy store
         * current (so a rollback stays possible); the legacy store is no longer a source.
         */
        CUTOVER,
        /** Finished: the dual write stopped, the legacy store left behind. */
        FINISHED
    }

    record Run(
            Phase phase,
            String capturePosition,
            long fullStartedAt,
            long fullFinishedAt,
            long fullTarget,
            long fullCursor,
            long fullCreated,
            long fullAlreadyThere,
            long fullRefused,
            long fullBusyMillis,
            long incrApplied,
            long incrLastCommitAt,
            long incrLastAppliedAt,
            long verifyStartedAt,
            long verifyFinishedAt,
            long verifyTarget,
            long verifyCursor,
            long verifyChecked,
            long leaseUntil,
            long dualWriteSince,
            int grayPercent,
            String grayCallers,
            long rollbackFrom) {}

    record Quarantined(long legacyKey, String reason, long firstSeen, long lastSeen) {}

    record Mismatch(long memberId, String kind, List<String> fields, long foundAt) {}

    /** A member whose newest change the legacy store does not have yet: the dual write failed (V9). */
    record Owed(long memberId, long version, int attempts, long firstFailedAt) {}

    private final ShardedDatabases databases;
    private final LegacyQuarantine anomalies;
    private final String home;

    /** @param anomalies where each quarantined row is listed as a governance anomaly too */
    MigrationLedger(ShardedDatabases databases, LegacyQuarantine anomalies) {
        this.databases = databases;
        this.anomalies = anomalies;
        this.home = databases.databaseOf(0);
    }

    Run run() {
        return databases.onMaster(home, c -> {
            ensureRow(c);
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM migration_run WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Run(
                        Phase.valueOf(rs.getString("phase")),
                        rs.getString("capture_position"),
                        rs.getLong("full_started_at"),
                        rs.getLong("full_finished_at"),
                        rs.getLong("full_target"),
                        rs.getLong("full_cursor"),
                        rs.getLong("full_created"),
                        rs.getLong("full_already_there"),
                        rs.getLong("full_refused"),
                        rs.getLong("full_busy_millis"),
                        rs.getLong("incr_applied"),
                        rs.getLong("incr_last_commit_at"),
                        rs.getLong("incr_last_applied_at"),
                        rs.getLong("verify_started_at"),
                        rs.getLong("verify_finished_at"),
                        rs.getLong("verify_target"),
                        rs.getLong("verify_cursor"),
                        rs.getLong("verify_checked"),
                        rs.getLong("lease_until"),
                        rs.getLong("dual_write_since"),
                        rs.getInt("gray_percent"),
                        rs.getString("gray_callers"),
                        rs.getLong("rollback_from"));
            }
        });
    }

    /** Takes the step lease until {@code until} if nobody holds it; false while another step runs. */
    boolean tryLease(long now, long until) {
        return update("UPDATE migration_run SET lease_until = ? WHERE id = 1 AND lease_until < ?", until, now) == 1;
    }

    void releaseLease() {
        update("UPDATE migration_run SET lease_until = 0 WHERE id = 1");
    }

    /** IDLE -> FULL_SYNC, remembering where the change capture began and the last key to copy. */
    void startFullSync(String capturePosition, long target, long now) {
        databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE migration_run SET phase = ?, capture_position = ?,"
                            + " full_target = ?, full_started_at = ?, full_cursor = 0, updated_at = ? WHERE id = 1 AND phase = ?")) {
                ps.setString(1, Phase.FULL_SYNC.name());
                ps.setString(2, capturePosition);
                ps.setLong(3, target);
                ps.setLong(4, now);
                ps.setLong(5, now);
                ps.setString(6, Phase.IDLE.name());
                return ps.executeUpdate();
            }
        });
    }

    void fullChunkDone(long cursor, long created, long alreadyThere, long refused, long busyMillis, long now) {
        update(
                "UPDATE migration_run SET full_cursor = ?, full_created = full_created + ?,"
                        + " full_already_there = full_already_there + ?, full_refused = full_refused + ?,"
                        + " full_busy_millis = full_busy_millis + ?, updated_at = ? WHERE id = 1",
                cursor,
                created,
                alreadyThere,
                refused,
                busyMillis,
                now);
    }

    void finishFullSync(long now) {
        phase(Phase.FULL_SYNC_DONE, Phase.FULL_SYNC, now);
        update("UPDATE migration_run SET full_finished_at = ? WHERE id = 1", now);
    }

    void incrementalApplied(long applied, long lastCommitAt, String position, long now) {
        databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE migration_run SET phase = ?,"
                    + " incr_applied = incr_applied + ?, incr_last_commit_at = GREATEST(incr_last_commit_at, ?),"
                    + " incr_last_applied_at = ?, capture_position = ?, updated_at = ? WHERE id = 1")) {
                ps.setString(1, Phase.INCREMENTAL.name());
                ps.setLong(2, applied);
                ps.setLong(3, lastCommitAt);
                ps.setLong(4, now);
                ps.setString(5, position);
                ps.setLong(6, now);
                return ps.executeUpdate();
            }
        });
    }

    /** A new verify: the last one's findings go, the range to compare is fixed. */
    void startVerify(long from, long target, long now) {
        update("DELETE FROM migration_mismatch");
        update(
                "UPDATE migration_run SET verify_started_at = ?, verify_finished_at = 0, verify_target = ?,"
                        + " verify_cursor = ?, verify_checked = 0, updated_at = ? WHERE id = 1",
                now,
                target,
                from,
                now);
    }

    void verifyChunkDone(long cursor, long checked, long now) {
        update(
                "UPDATE migration_run SET verify_cursor = ?, verify_checked = verify_checked + ?, updated_at = ?"
                        + " WHERE id = 1",
                cursor,
                checked,
                now);
    }

    void finishVerify(long now) {
        update("UPDATE migration_run SET verify_finished_at = ?, updated_at = ? WHERE id = 1", now, now);
    }

    /** INCREMENTAL or FULL_SYNC_DONE -> CUTOVER: reads and writes on member-center, the gray switch off. */
    void cutover(long now) {
        update(
                "UPDATE migration_run SET phase = ?, gray_percent = 0, gray_callers = '', updated_at = ? WHERE id = 1",
                Phase.CUTOVER.name(),
                now);
    }

    /** CUTOVER -> FINISHED, the dual write off. */
    void finish(long now) {
        update(
                "UPDATE migration_run SET phase = ?, dual_write_since = 0, updated_at = ? WHERE id = 1",
                Phase.FINISHED.name(),
                now);
    }

    void rollbackFrom(long at) {
        update("UPDATE migration_run SET rollback_from = ? WHERE id = 1", at);
    }

    /**
     * The rollback done: the legacy store the truth again (no gray reads, no dual write), a cut-over migration
     * back to INCREMENTAL, from where it can sync and cut over again.
     */
    void rolledBack(long now) {
        update(
                "UPDATE migration_run SET phase = CASE WHEN phase = ? THEN ? ELSE phase END, dual_write_since = 0,"
                        + " gray_percent = 0, gray_callers = '', rollback_from = 0, updated_at = ? WHERE id = 1",
                Phase.CUTOVER.name(),
                Phase.INCREMENTAL.name(),
                now);
    }

    /** Switches the dual write on from {@code sinceWallMillis}, or off with 0. */
    void dualWrite(long sinceWallMillis, long now) {
        update("UPDATE migration_run SET dual_write_since = ?, updated_at = ? WHERE id = 1", sinceWallMillis, now);
    }

    /** The gray read switch: this share of reads by id and these callers (comma-separated) to member-center. */
    void grayReads(int percent, String callers, long now) {
        update(
                "UPDATE migration_run SET gray_percent = ?, gray_callers = ?, updated_at = ? WHERE id = 1",
                percent,
                callers,
                now);
    }

    void grayMismatch(long memberId, String kind, List<String> fields, long now) {
        update(
                "INSERT INTO migration_gray_mismatch (member_id, kind, fields, found_at) VALUES (?, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE kind = VALUES(kind), fields = VALUES(fields),"
                        + " found_at = VALUES(found_at)",
                memberId,
                kind,
                String.join(",", fields),
                now);
    }

    List<Mismatch> grayMismatches(long afterMemberId, int limit) {
        return mismatchesOf("migration_gray_mismatch", afterMemberId, limit);
    }

    long grayMismatchCount() {
        return count("SELECT COUNT(*) FROM migration_gray_mismatch");
    }

    /** Logs that the legacy store lacks this member's change; one row per member, the newest version owed. */
    void dualWriteFailed(long memberId, long version, String reason, long now) {
        update(
                "INSERT INTO migration_dual_write_failure (member_id, version, attempts, reason, first_failed_at,"
                        + " last_failed_at) VALUES (?, ?, 1, ?, ?, ?) ON DUPLICATE KEY UPDATE"
                        + " version = GREATEST(version, VALUES(version)), attempts = attempts + 1,"
                        + " reason = VALUES(reason), last_failed_at = VALUES(last_failed_at)",
                memberId,
                version,
                reason.length() > 200 ? reason.substring(0, 200) : reason,
                now,
                now);
    }

    /** The legacy store holds this version of the member: what was owed up to it is paid. */
    void dualWriteRepaired(long memberId, long version) {
        update("DELETE FROM migration_dual_write_failure WHERE member_id = ? AND version <= ?", memberId, version);
    }

    List<Owed> dualWriteOwed(long afterMemberId, int limit) {
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT member_id, version, attempts, first_failed_at FROM"
                    + " migration_dual_write_failure WHERE member_id > ? ORDER BY member_id LIMIT ?")) {
                ps.setLong(1, afterMemberId);
                ps.setInt(2, limit);
                List<Owed> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(new Owed(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getLong(4)));
                    }
                }
                return found;
            }
        });
    }

    long dualWriteOwedCount() {
        return count("SELECT COUNT(*) FROM migration_dual_write_failure");
    }

    /** Back to IDLE with nothing recorded; what was copied stays copied (a new full sync finds it there). */
    void reset(long now) {
        update("DELETE FROM migration_dual_write_failure");
        update("DELETE FROM migration_gray_mismatch");
        update("DELETE FROM migration_quarantine");
        update("DELETE FROM migration_mismatch");
        update("DELETE FROM migration_run WHERE id = 1");
        databases.onMaster(home, c -> {
            ensureRow(c);
            return null;
        });
    }

    /** Quarantines the row (or sees it again) and lists it as a governance anomaly (the same one again). */
    void quarantine(long legacyKey, String reason, long now) {
        String stored = reason.length() > 500 ? reason.substring(0, 500) : reason;
        databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO migration_quarantine (legacy_key, reason,"
                    + " first_seen, last_seen) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE reason = VALUES(reason),"
                    + " last_seen = VALUES(last_seen)")) {
                ps.setLong(1, legacyKey);
                ps.setString(2, stored);
                ps.setLong(3, now);
                ps.setLong(4, now);
                return ps.executeUpdate();
            }
        });
        anomalies.quarantined(legacyKey, stored);
    }

    /** The row was imported after all: off the list, and its anomaly resolved. */
    void unquarantine(long legacyKey) {
        if (update("DELETE FROM migration_quarantine WHERE legacy_key = ?", legacyKey) > 0) {
            anomalies.imported(legacyKey);
        }
    }

    List<Quarantined> quarantined(long afterKey, int limit) {
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT legacy_key, reason, first_seen, last_seen FROM"
                    + " migration_quarantine WHERE legacy_key > ? ORDER BY legacy_key LIMIT ?")) {
                ps.setLong(1, afterKey);
                ps.setInt(2, limit);
                List<Quarantined> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(new Quarantined(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                    }
                }
                return found;
            }
        });
    }

    /** The quarantined keys with {@code from < key <= to}. */
    java.util.Set<Long> quarantinedKeys(long from, long to) {
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT legacy_key FROM migration_quarantine WHERE legacy_key > ? AND legacy_key <= ?")) {
                ps.setLong(1, from);
                ps.setLong(2, to);
                java.util.Set<Long> keys = new java.util.HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) keys.add(rs.getLong(1));
                }
                return keys;
            }
        });
    }

    boolean isQuarantined(long legacyKey) {
        return count("SELECT COUNT(*) FROM migration_quarantine WHERE legacy_key = " + legacyKey) > 0;
    }

    long quarantineCount() {
        return count("SELECT COUNT(*) FROM migration_quarantine");
    }

    void mismatch(long memberId, String kind, List<String> fields, long now) {
        databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO migration_mismatch (member_id, kind, fields,"
                    + " found_at) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE kind = VALUES(kind),"
                    + " fields = VALUES(fields), found_at = VALUES(found_at)")) {
                ps.setLong(1, memberId);
                ps.setString(2, kind);
                ps.setString(3, String.join(",", fields));
                ps.setLong(4, now);
                return ps.executeUpdate();
            }
        });
    }

    List<Mismatch> mismatches(long afterMemberId, int limit) {
        return mismatchesOf("migration_mismatch", afterMemberId, limit);
    }

    private List<Mismatch> mismatchesOf(String table, long afterMemberId, int limit) {
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT member_id, kind, fields, found_at FROM " + table
                    + " WHERE member_id > ? ORDER BY member_id LIMIT ?")) {
                ps.setLong(1, afterMemberId);
                ps.setInt(2, limit);
                List<Mismatch> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String fields = rs.getString(3);
                        found.add(new Mismatch(
                                rs.getLong(1),
                                rs.getString(2),
                                fields.isEmpty() ? List.of() : List.of(fields.split(",")),
                                rs.getLong(4)));
                    }
                }
                return found;
            }
        });
    }

    /** How many findings of each kind the last verify has so far. */
    Map<String, Long> mismatchCounts() {
        return databases.onMaster(home, c -> {
            Map<String, Long> counts = new LinkedHashMap<>(Map.of("MISMATCH", 0L, "MISSING", 0L, "EXTRA", 0L));
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT kind, COUNT(*) FROM migration_mismatch GROUP BY kind");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) counts.put(rs.getString(1), rs.getLong(2));
            }
            return counts;
        });
    }

    private void phase(Phase to, Phase from, long now) {
        databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE migration_run SET phase = ?, updated_at = ? WHERE id = 1 AND phase = ?")) {
                ps.setString(1, to.name());
                ps.setLong(2, now);
                ps.setString(3, from.name());
                return ps.executeUpdate();
            }
        });
    }

    private static void ensureRow(Connection c) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT IGNORE INTO migration_run (id, phase, updated_at) VALUES (1, ?, 0)")) {
            ps.setString(1, Phase.IDLE.name());
            ps.executeUpdate();
        }
    }

    private long count(String sql) {
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private int update(String sql, Object... parameters) {
        return databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) ps.setObject(i + 1, parameters[i]);
                return ps.executeUpdate();
            }
        });
    }
}
