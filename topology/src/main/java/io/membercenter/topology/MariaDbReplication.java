package io.membercenter.topology;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns two fresh MariaDB servers into a master and its read-only replica, with the service's databases
 * and users.
 *
 * <p>Everything is created on the master only and reaches the replica through the binary log, so the
 * replica holds exactly what replication gave it, as in production. The replica follows by GTID
 * ({@code slave_pos}): after a stop, a kill or a restart of either side it resumes where it was,
 * without anyone naming binlog files or offsets.
 */
final class MariaDbReplication {

    static final String APP_USER = "member_app";
    static final String APP_PASSWORD = "member-app-local";
    static final String REPLICATION_USER = "replicator";
    static final String REPLICATION_PASSWORD = "replicator-local";
    /** The app user is reached as 127.0.0.1, as localhost (socket clients) and from anywhere else. */
    private static final List<String> APP_HOSTS = List.of("127.0.0.1", "localhost", "%");
    /** What the service and Flyway need, and nothing that bypasses {@code read_only}. */
    private static final String APP_GRANTS =
            "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES, CREATE VIEW, LOCK TABLES";

    /** How long {@link #enableSemiSync} waits for the replica to register as a semi-synchronous one. */
    private static final Duration SEMI_SYNC_REGISTRATION = Duration.ofSeconds(10);

    private final MariaDbServer master;
    private final MariaDbServer replica;
    /** The master's port as the replica reaches it: the master's own, or that of the link between data centers. */
    private final int masterPortForReplica;

    MariaDbReplication(MariaDbServer master, MariaDbServer replica, int masterPortForReplica) {
        this.master = master;
        this.replica = replica;
        this.masterPortForReplica = masterPortForReplica;
    }

    /**
     * Creates databases and users on the master and makes the replica follow it. The master acknowledges
     * asynchronously until {@link #enableSemiSync}: the replica is not following yet, and every statement here would
     * otherwise wait out the semi-synchronous timeout.
     */
    void setUp(List<String> databases) {
        try {
            setMasterSemiSync(false);
            prepareMaster(databases);
            followMaster();
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Could not set up replication " + master.name() + " -> " + replica.name(), e);
        }
    }

    private void prepareMaster(List<String> databases) throws SQLException {
        try (Connection connection = master.openRootConnection();
                Statement statement = connection.createStatement()) {
            dropAnonymousUsers(connection);
            for (String database : databases) {
                statement.execute("CREATE DATABASE IF NOT EXISTS `" + database + "`"
                        + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            }
            for (String host : APP_HOSTS) {
                statement.execute("CREATE USER IF NOT EXISTS '" + APP_USER + "'@'" + host + "'" + " IDENTIFIED BY '"
                        + APP_PASSWORD + "'");
                for (String database : databases) {
                    statement.execute(
                            "GRANT " + APP_GRANTS + " ON `" + database + "`.* TO '" + APP_USER + "'@'" + host + "'");
                }
            }
            statement.execute("CREATE USER IF NOT EXISTS '" + REPLICATION_USER + "'@'" + ManagedServer.HOST + "'"
                    + " IDENTIFIED BY '" + REPLICATION_PASSWORD + "'");
            statement.execute(
                    "GRANT REPLICATION SLAVE ON *.* TO '" + REPLICATION_USER + "'@'" + ManagedServer.HOST + "'");
        }
    }

    /** Anonymous users would shadow the app user for local connections; recent installers skip them, older do not. */
    private static void dropAnonymousUsers(Connection connection) throws SQLException {
        List<String> hosts = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet anonymous = statement.executeQuery("SELECT Host FROM mysql.user WHERE User = ''")) {
            while (anonymous.next()) {
                hosts.add(anonymous.getString(1));
            }
        }
        for (String host : hosts) {
            try (PreparedStatement drop = connection.prepareStatement("DROP USER ''@?")) {
                drop.setString(1, host);
                drop.execute();
            }
        }
    }

    private void followMaster() throws SQLException {
        try (Connection connection = replica.openRootConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CHANGE MASTER TO"
                    + " MASTER_HOST='" + ManagedServer.HOST + "',"
                    + " MASTER_PORT=" + masterPortForReplica + ","
                    + " MASTER_USER='" + REPLICATION_USER + "',"
                    + " MASTER_PASSWORD='" + REPLICATION_PASSWORD + "',"
                    + " MASTER_USE_GTID=slave_pos,"
                    // the master has no TLS (see --skip-ssl); 11.4 would otherwise insist on it
                    + " MASTER_SSL=0,"
                    // the default of 60 s would leave the replica behind for a minute after a master restart
                    + " MASTER_CONNECT_RETRY=1");
            statement.execute("START SLAVE");
        }
    }

    /**
     * Switches the master to semi-synchronous acknowledgement and waits until it is: the replica's IO thread is
     * registered as a semi-synchronous replica and the master's status is ON.
     */
    void enableSemiSync() {
        try {
            setMasterSemiSync(true);
            long deadline = System.nanoTime() + SEMI_SYNC_REGISTRATION.toNanos();
            ReplicaSync sync = sync();
            while (!sync.semiSynchronous() || sync.semiSyncReplicas() < 1) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(master.name() + " did not become semi-synchronous with "
                            + replica.name() + " within " + SEMI_SYNC_REGISTRATION + ": " + sync + "; "
                            + replicaStatus());
                }
                Thread.sleep(20);
                sync = sync();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not enable semi-synchronous replication on " + master.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while enabling semi-synchronous replication", e);
        }
    }

    private void setMasterSemiSync(boolean enabled) throws SQLException {
        try (Connection connection = master.openRootConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SET GLOBAL rpl_semi_sync_master_enabled = " + (enabled ? "ON" : "OFF"));
        }
    }

    /** Both servers' view of replication, read from the master first and then from the replica. */
    ReplicaSync sync() throws SQLException {
        requireUp(master);
        requireUp(replica);
        Map<String, String> status = new HashMap<>();
        String masterPosition;
        try (Connection connection = master.openRootConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_%'")) {
                while (rows.next()) {
                    status.put(rows.getString(1).toLowerCase(Locale.ROOT), rows.getString(2));
                }
            }
            masterPosition = single(statement, "SELECT @@GLOBAL.gtid_binlog_pos");
        }
        String received;
        String applied;
        try (Connection connection = replica.openRootConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet slave = statement.executeQuery("SHOW SLAVE STATUS")) {
                received = slave.next() ? slave.getString("Gtid_IO_Pos") : "";
            }
            applied = single(statement, "SELECT @@GLOBAL.gtid_slave_pos");
        }
        return new ReplicaSync(
                "ON".equalsIgnoreCase(status.get("rpl_semi_sync_master_status")),
                number(status, "rpl_semi_sync_master_clients"),
                number(status, "rpl_semi_sync_master_yes_tx"),
                number(status, "rpl_semi_sync_master_no_tx"),
                masterPosition,
                received,
                applied);
    }

    private static String single(Statement statement, String query) throws SQLException {
        try (ResultSet row = statement.executeQuery(query)) {
            row.next();
            String value = row.getString(1);
            return value == null ? "" : value;
        }
    }

    private static long number(Map<String, String> status, String name) {
        String value = status.get(name);
        return value == null || value.isBlank() ? 0 : Long.parseLong(value.strip());
    }

    /** Waits until the replica has applied every transaction the master has written so far. */
    void awaitReplicaCaughtUp(Duration timeout) {
        requireUp(master);
        requireUp(replica);
        try {
            String masterPosition = masterPosition();
            if (masterPosition.isEmpty()) {
                return;
            }
            if (!replicaReached(masterPosition, timeout)) {
                throw new IllegalStateException(replica.name() + " did not apply GTID position " + masterPosition
                        + " of " + master.name() + " within " + timeout + "; " + replicaStatus());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not compare replication positions", e);
        }
    }

    private String masterPosition() throws SQLException {
        try (Connection connection = master.openRootConnection();
                Statement statement = connection.createStatement();
                ResultSet position = statement.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
            position.next();
            return position.getString(1);
        }
    }

    private boolean replicaReached(String position, Duration timeout) throws SQLException {
        try (Connection connection = replica.openRootConnection();
                PreparedStatement wait = connection.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
            wait.setString(1, position);
            wait.setDouble(2, timeout.toMillis() / 1000.0);
            try (ResultSet result = wait.executeQuery()) {
                result.next();
                return result.getInt(1) == 0;
            }
        }
    }

    String replicaStatus() {
        try (Connection connection = replica.openRootConnection();
                Statement statement = connection.createStatement();
                ResultSet status = statement.executeQuery("SHOW SLAVE STATUS")) {
            if (!status.next()) {
                return "replica is not configured";
            }
            return "Slave_IO_Running=" + status.getString("Slave_IO_Running")
                    + ", Slave_SQL_Running=" + status.getString("Slave_SQL_Running")
                    + ", Gtid_IO_Pos=" + status.getString("Gtid_IO_Pos")
                    + ", Last_IO_Error=" + status.getString("Last_IO_Error")
                    + ", Last_SQL_Error=" + status.getString("Last_SQL_Error");
        } catch (SQLException e) {
            return "replica status unavailable: " + e.getMessage();
        }
    }

    private static void requireUp(MariaDbServer server) {
        if (!server.isUp()) {
            throw new IllegalStateException(server.name() + " is down; start it before waiting for replication");
        }
    }
}
