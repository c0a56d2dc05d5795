package io.membercenter.bench.migration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * MariaDB's own counters of the shards' master ({@code SHOW GLOBAL STATUS}), read before and after a phase: how many
 * write statements and transaction commits a phase cost the server, per row — where the full sync's time goes
 * compared with the raw copy's, without a profiler.
 */
final class ServerCounters {

    /** Write statements (INSERT, UPDATE, DELETE, REPLACE) and storage-engine commits. */
    record Snapshot(long writes, long commits, long selects) {
        Snapshot minus(Snapshot earlier) {
            return new Snapshot(writes - earlier.writes, commits - earlier.commits, selects - earlier.selects);
        }
    }

    private final RawCopy.Target server;

    ServerCounters(RawCopy.Target server) {
        this.server = server;
    }

    Snapshot read() throws SQLException {
        Map<String, Long> values = new HashMap<>();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_insert',"
                        + " 'Com_update', 'Com_delete', 'Com_replace', 'Com_insert_select', 'Handler_commit',"
                        + " 'Com_select')")) {
            while (rs.next()) values.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), rs.getLong(2));
        }
        long writes = values.getOrDefault("com_insert", 0L)
                + values.getOrDefault("com_update", 0L)
                + values.getOrDefault("com_delete", 0L)
                + values.getOrDefault("com_replace", 0L)
                + values.getOrDefault("com_insert_select", 0L);
        return new Snapshot(writes, values.getOrDefault("handler_commit", 0L), values.getOrDefault("com_select", 0L));
    }
}
