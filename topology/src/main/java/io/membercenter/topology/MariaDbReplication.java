package io.membercenter.topology;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
    private static final String REPLICATION_USER = "replicator";
    private static final String REPLICATION_PASSWORD = "replicator-local";
    /** The app user is reached as 127.0.0.1, as localhost (socket clients) and from anywhere else. */
    private static final List<String> APP_HOSTS = List.of("127.0.0.1", "localhost", "%");
    /** What the service and Flyway need, and nothing that bypasses {@code read_only}. */
    private static final String APP_GRANTS =
            "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES, CREATE VIEW, LOCK TABLES";

    private final MariaDbServer master;
    private final MariaDbServer replica;

    MariaDbReplication(MariaDbServer master, MariaDbServer replica) {
        this.master = master;
        this.replica = replica;
    }

    void setUp(List<String> databases) {
        try {
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
                    + " MASTER_PORT=" + master.port() + ","
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
