package io.membercenter.failover;

import io.membercenter.shard.ShardProperties;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The database servers of each data center, as their administrator sees them: the statements of a switch (GTID
 * positions, fence, promote, follow). One server per data center holds every physical database's copy there (the
 * reference layout); a switch moves all of them at once, as the topology record names one master data center.
 */
final class DatabaseServers {

    /** host:port per data center. */
    private final Map<String, String> servers = new LinkedHashMap<>();

    private final FailoverProperties properties;
    private final String appUser;

    DatabaseServers(ShardProperties shards, FailoverProperties properties) {
        this.properties = properties;
        this.appUser = shards.username();
        for (ShardProperties.PhysicalDatabase db : shards.databases()) {
            for (ShardProperties.Copy copy : db.copies()) {
                String server = hostAndPort(copy.url());
                String before = servers.putIfAbsent(copy.dataCenter(), server);
                if (before != null && !before.equals(server)) {
                    throw new IllegalStateException("member-center.failover needs one database server per data center;"
                            + " data center " + copy.dataCenter() + " has " + before + " and " + server);
                }
            }
        }
    }

    List<String> dataCenters() {
        return List.copyOf(servers.keySet());
    }

    private static String hostAndPort(String jdbcUrl) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        return uri.getHost() + ":" + uri.getPort();
    }

    private Connection admin(String dataCenter, Duration socketTimeout) throws SQLException {
        return admin(dataCenter, Duration.ofSeconds(1), socketTimeout);
    }

    private Connection admin(String dataCenter, Duration connectTimeout, Duration socketTimeout) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", properties.adminUsername());
        credentials.setProperty("password", properties.adminPassword());
        credentials.setProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
        credentials.setProperty("socketTimeout", Long.toString(socketTimeout.toMillis()));
        return DriverManager.getConnection("jdbc:mariadb://" + servers.get(dataCenter) + "/", credentials);
    }

    private Connection admin(String dataCenter) throws SQLException {
        return admin(dataCenter, Duration.ofSeconds(5));
    }

    boolean answers(String dataCenter) {
        try (Connection c = admin(dataCenter, Duration.ofSeconds(1))) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Every transaction the server has written to its binary log (all GTID domains). */
    String binlogPosition(String dataCenter) throws SQLException {
        try (Connection c = admin(dataCenter);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
            rs.next();
            return rs.getString(1) == null ? "" : rs.getString(1);
        }
    }

    /**
     * Waits until the replica has applied every transaction of {@code position} ({@code MASTER_GTID_WAIT}: its
     * {@code gtid_slave_pos} covers the position in every domain); false after the timeout.
     */
    boolean awaitApplied(String dataCenter, String position, Duration timeout) throws SQLException {
        if (position.isBlank()) return true;
        try (Connection c = admin(dataCenter, timeout.plusSeconds(2));
                PreparedStatement wait = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
            wait.setString(1, position);
            wait.setDouble(2, timeout.toMillis() / 1000.0);
            try (ResultSet rs = wait.executeQuery()) {
                return rs.next() && rs.getInt(1) == 0;
            }
        }
    }

    /**
     * The old master takes no write from now on: {@code read_only} (which the service's user cannot bypass), no
     * semi-synchronous master role, and every connection of the service's user killed, so no session that began
     * before the fence commits after it.
     */
    void fence(String dataCenter) throws SQLException {
        try (Connection c = admin(dataCenter);
                Statement s = c.createStatement()) {
            s.execute("SET GLOBAL read_only = ON");
            s.execute("SET GLOBAL rpl_semi_sync_master_enabled = OFF");
            killAppConnections(c);
        }
    }

    /** Undoes a fence when a switch is abandoned before the promotion: the old master is the master still. */
    void unfence(String dataCenter) throws SQLException {
        try (Connection c = admin(dataCenter);
                Statement s = c.createStatement()) {
            s.execute("SET GLOBAL rpl_semi_sync_master_enabled = ON");
            s.execute("SET GLOBAL read_only = OFF");
        }
    }

    private void killAppConnections(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND ID <> CONNECTION_ID()")) {
            ps.setString(1, appUser);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
        }
        try (Statement s = c.createStatement()) {
            for (long id : ids) {
                try {
                    s.execute("KILL CONNECTION " + id);
                } catch (SQLException gone) {
                    // it ended by itself meanwhile (1094: unknown thread)
                }
            }
        }
    }

    /** The replica becomes a master: replication off and forgotten, semi-synchronous master, writable. */
    void promote(String dataCenter) throws SQLException {
        try (Connection c = admin(dataCenter);
                Statement s = c.createStatement()) {
            stopReplication(s);
            s.execute("RESET SLAVE ALL");
            s.execute("SET GLOBAL rpl_semi_sync_master_enabled = ON");
            s.execute("SET GLOBAL read_only = OFF");
        }
    }

    /**
     * The old master follows the new one by GTID. Its own writes are in its binlog, not in its {@code gtid_slave_pos}
     * (a master never ran a replica's SQL thread, or ran it before it was promoted), so its replica position is set to
     * its binlog position first: {@code slave_pos} then asks the new master for what comes after everything this
     * server has.
     */
    void follow(String replicaDataCenter, String masterDataCenter) throws SQLException {
        String[] master = servers.get(masterDataCenter).split(":");
        try (Connection c = admin(replicaDataCenter);
                Statement s = c.createStatement()) {
            s.execute("SET GLOBAL read_only = ON");
            stopReplication(s);
            s.execute("SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_binlog_pos");
            // Strict mode: a semi-synchronous replica then takes events of its own server id that it lacks instead
            // of skipping them (MDEV-27760) — the transactions an old master rolled back at its crash recovery but
            // the new master had received come back to it this way.
            s.execute("SET GLOBAL gtid_strict_mode = ON");
            try (PreparedStatement change = c.prepareStatement("CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = "
                    + Integer.parseInt(master[1]) + ", MASTER_USER = ?, MASTER_PASSWORD = ?,"
                    + " MASTER_USE_GTID = slave_pos, MASTER_SSL = 0, MASTER_CONNECT_RETRY = 1")) {
                change.setString(1, master[0]);
                change.setString(2, properties.replicationUsername());
                change.setString(3, properties.replicationPassword());
                change.execute();
            }
            s.execute("START SLAVE");
        }
    }

    /** A server that follows nobody answers STOP SLAVE with an error; stopped is what we need either way. */
    private static void stopReplication(Statement s) {
        try {
            s.execute("STOP SLAVE");
        } catch (SQLException notAReplica) {
            // nothing to stop
        }
    }

    /** Whether the server takes writes of the service's user: false when read-only. */
    boolean writable(String dataCenter) throws SQLException {
        try (Connection c = admin(dataCenter);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@GLOBAL.read_only")) {
            rs.next();
            return rs.getInt(1) == 0;
        }
    }

    /** What the leader's watch reads of the master on every round; empty when it does not answer in time. */
    record MasterState(
            boolean writable,
            boolean semiSyncEnabled,
            long semiSyncTimeoutMillis,
            int semiSyncClients,
            long longestAckWaitMillis) {}

    Optional<MasterState> masterState(String dataCenter, Duration deadline) {
        try (Connection c = admin(dataCenter, deadline, deadline);
                Statement s = c.createStatement()) {
            boolean writable;
            boolean enabled;
            long timeout;
            try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.read_only, @@GLOBAL.rpl_semi_sync_master_enabled,"
                    + " @@GLOBAL.rpl_semi_sync_master_timeout")) {
                rs.next();
                writable = rs.getInt(1) == 0;
                enabled = rs.getInt(2) == 1;
                timeout = rs.getLong(3);
            }
            Map<String, String> status = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_%'")) {
                while (rs.next()) status.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
            }
            long longestWait;
            // The commit that has waited longest for the replica's acknowledgement (TIME_MS: MariaDB's milliseconds).
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(TIME_MS), 0) FROM information_schema.PROCESSLIST"
                    + " WHERE STATE LIKE 'Waiting for semi-sync ACK%'")) {
                rs.next();
                longestWait = (long) rs.getDouble(1);
            }
            return Optional.of(new MasterState(
                    writable,
                    enabled,
                    timeout,
                    Integer.parseInt(status.getOrDefault("rpl_semi_sync_master_clients", "0")),
                    longestWait));
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What the watch reads of the other copy: writable or not, and whether it follows {@code masterDataCenter}. */
    record ReplicaState(boolean writable, boolean follows, boolean receiving) {}

    Optional<ReplicaState> replicaState(String dataCenter, String masterDataCenter, Duration deadline) {
        String[] master = servers.get(masterDataCenter).split(":");
        try (Connection c = admin(dataCenter, deadline, deadline);
                Statement s = c.createStatement()) {
            boolean writable;
            try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.read_only")) {
                rs.next();
                writable = rs.getInt(1) == 0;
            }
            try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                if (!rs.next()) return Optional.of(new ReplicaState(writable, false, false));
                boolean follows = master[0].equals(rs.getString("Master_Host"))
                        && Integer.parseInt(master[1]) == rs.getInt("Master_Port");
                boolean receiving = "Yes".equals(rs.getString("Slave_IO_Running"))
                        && "Yes".equals(rs.getString("Slave_SQL_Running"));
                return Optional.of(new ReplicaState(writable, follows, receiving));
            }
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void semiSyncMaster(String dataCenter, boolean enabled) throws SQLException {
        try (Connection c = admin(dataCenter);
                Statement s = c.createStatement()) {
            // Switching it off also wakes every commit waiting for the replica (MariaDB's disable_master).
            s.execute("SET GLOBAL rpl_semi_sync_master_enabled = " + (enabled ? "ON" : "OFF"));
        }
    }

    void semiSyncTimeout(String dataCenter, Duration timeout) throws SQLException {
        try (Connection c = admin(dataCenter);
                Statement s = c.createStatement()) {
            s.execute("SET GLOBAL rpl_semi_sync_master_timeout = " + timeout.toMillis());
        }
    }

    /**
     * Promotes a replica whose master is gone: the IO thread stops (nothing more arrives), the SQL thread applies
     * everything the replica received ({@code MASTER_GTID_WAIT} on its {@code Gtid_IO_Pos}: with semi-synchronous
     * acknowledgement that is every acknowledged write), then replication is forgotten and the server is writable,
     * its own semi-synchronous master role off (it has no replica until the old master returns). False, and still
     * read-only, when the relay log was not applied within {@code timeout}.
     */
    boolean promoteAfterLoss(String dataCenter, Duration timeout, Duration semiSyncTimeout) throws SQLException {
        try (Connection c = admin(dataCenter, timeout.plusSeconds(2));
                Statement s = c.createStatement()) {
            s.execute("STOP SLAVE IO_THREAD");
            if (!relayLogApplied(c, s, timeout)) return false;
            stopReplication(s);
            s.execute("RESET SLAVE ALL");
            s.execute("SET GLOBAL rpl_semi_sync_master_timeout = " + semiSyncTimeout.toMillis());
            s.execute("SET GLOBAL rpl_semi_sync_master_enabled = OFF");
            s.execute("SET GLOBAL read_only = OFF");
            return true;
        }
    }

    /**
     * Whether the SQL thread applied everything the stopped IO thread received: its {@code gtid_slave_pos} covers
     * {@code Gtid_IO_Pos}, or (a last event group that arrived only in part has a GTID but will never complete) it
     * says it has read all of its relay log.
     */
    private static boolean relayLogApplied(Connection c, Statement s, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            String received = "";
            String state = "";
            try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                if (!rs.next()) return true; // follows nobody: nothing to apply
                received = rs.getString("Gtid_IO_Pos");
                state = rs.getString("Slave_SQL_Running_State");
            }
            if (received == null || received.isBlank()) return true;
            try (PreparedStatement wait = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, 0.1)")) {
                wait.setString(1, received);
                try (ResultSet rs = wait.executeQuery()) {
                    if (rs.next() && rs.getInt(1) == 0) return true;
                }
            }
            if (state != null && state.contains("read all relay log")) return true;
        } while (System.nanoTime() < deadline);
        return false;
    }
}
