package io.membercenter.topology;

import static io.membercenter.topology.LocalTopology.MASTER;
import static io.membercenter.topology.LocalTopology.REPLICA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Semi-synchronous replication mysql-a → mysql-b on the real servers of the JVM-wide topology: an acknowledged
 * commit is in the replica's relay log, a lost replica costs one timeout and then writes go on asynchronously (and
 * say so), and a returning replica is semi-synchronous again once it has caught up.
 */
class SemiSyncReplicationTest {

    private static final Duration CATCH_UP = Duration.ofSeconds(30);
    private static final AtomicLong ids = new AtomicLong(System.currentTimeMillis());
    private static LocalTopology topology;

    @BeforeAll
    static void startTopology() throws SQLException {
        topology = LocalTopology.shared();
        execute("CREATE TABLE IF NOT EXISTS semi_sync_probe (id BIGINT PRIMARY KEY, note VARCHAR(100))");
        await().atMost(CATCH_UP).until(() -> topology.replicaSync().semiSynchronous());
    }

    /** Whatever a test stopped comes back, and the next test starts semi-synchronous again. */
    @AfterEach
    void bringTheReplicaBack() throws SQLException {
        topology.start(REPLICA);
        try (Connection replica = root(REPLICA);
                Statement statement = replica.createStatement()) {
            statement.execute("START SLAVE");
        }
        topology.awaitReplicaCaughtUp(CATCH_UP);
        execute("INSERT INTO semi_sync_probe VALUES (" + ids.incrementAndGet() + ", 'a commit to resume on')");
        await().atMost(CATCH_UP).until(() -> topology.replicaSync().semiSynchronous());
    }

    @Test
    void serversRunSemiSynchronousWithTheAfterSyncWaitPoint() throws SQLException {
        assertThat(variable(MASTER, "@@rpl_semi_sync_master_enabled")).isEqualTo("1");
        assertThat(variable(MASTER, "@@rpl_semi_sync_master_wait_point")).isEqualTo("AFTER_SYNC");
        assertThat(variable(MASTER, "@@rpl_semi_sync_master_timeout"))
                .isEqualTo(Long.toString(LocalTopology.SEMI_SYNC_TIMEOUT.toMillis()));
        assertThat(variable(REPLICA, "@@rpl_semi_sync_slave_enabled")).isEqualTo("1");
        assertThat(variable(REPLICA, "@@rpl_semi_sync_master_enabled"))
                .as("a read-only replica has no replicas to wait for")
                .isEqualTo("0");
        ReplicaSync sync = topology.replicaSync();
        assertThat(sync.semiSynchronous()).isTrue();
        assertThat(sync.semiSyncReplicas()).isEqualTo(1);
    }

    /**
     * The replica's SQL thread is stopped first, so nothing can have been applied: the commit returned only after the
     * replica's IO thread had it in the relay log, which its received position says right after, before anyone waits.
     */
    @Test
    void anAcknowledgedCommitIsInTheReplicasRelayLogWhenItReturns() throws SQLException {
        try (Connection replica = root(REPLICA);
                Statement statement = replica.createStatement()) {
            statement.execute("STOP SLAVE SQL_THREAD");
        }
        ReplicaSync before = topology.replicaSync();

        for (int i = 0; i < 20; i++) {
            String gtid = executeReturningGtid(
                    "INSERT INTO semi_sync_probe VALUES (" + ids.incrementAndGet() + ", 'acknowledged " + i + "')");
            String received = slaveStatus("Gtid_IO_Pos");

            assertThat(ReplicaSync.covers(received, gtid))
                    .as("commit %s acknowledged, replica received %s", gtid, received)
                    .isTrue();
            assertThat(ReplicaSync.covers(variable(REPLICA, "@@gtid_slave_pos"), gtid))
                    .as("the SQL thread is stopped: nothing is applied")
                    .isFalse();
        }
        ReplicaSync after = topology.replicaSync();
        assertThat(after.semiSynchronous()).isTrue();
        assertThat(after.acknowledgedWithReplica() - before.acknowledgedWithReplica())
                .isGreaterThanOrEqualTo(20);
        assertThat(after.acknowledgedWithoutReplica()).isEqualTo(before.acknowledgedWithoutReplica());
        assertThat(after.replicaHasEveryAcknowledgedWrite()).isTrue();
        assertThat(after.replicaAppliedEveryWrite()).isFalse();
    }

    @Test
    void withTheReplicaStoppedWritesGoOnAfterTheTimeoutAndTheFallbackShows() throws SQLException {
        ReplicaSync before = topology.replicaSync();
        topology.stop(REPLICA);

        long started = System.nanoTime();
        String first = executeReturningGtid(
                "INSERT INTO semi_sync_probe VALUES (" + ids.incrementAndGet() + ", 'the first without B')");
        Duration firstTook = Duration.ofNanos(System.nanoTime() - started);
        String second = executeReturningGtid(
                "INSERT INTO semi_sync_probe VALUES (" + ids.incrementAndGet() + ", 'the second without B')");

        assertThat(first).isNotBlank();
        assertThat(second).isNotBlank();
        assertThat(firstTook)
                .as("the first commit waited for the replica until the timeout")
                .isGreaterThanOrEqualTo(LocalTopology.SEMI_SYNC_TIMEOUT);
        assertThat(masterStatus("Rpl_semi_sync_master_status")).isEqualTo("OFF");
        assertThat(Long.parseLong(masterStatus("Rpl_semi_sync_master_no_tx")))
                .isGreaterThanOrEqualTo(before.acknowledgedWithoutReplica() + 2);
        assertThat(Long.parseLong(masterStatus("Rpl_semi_sync_master_clients"))).isZero();
    }

    /**
     * The replica's IO thread is stopped rather than the server: a restarted server reconnects at once and would
     * catch up before the test could look. For the master it is the same loss: its semi-synchronous replica is gone.
     */
    @Test
    void aReplicaThatMissedWritesIsNotCompleteUntilItCaughtUpAndThenSemiSyncResumes() throws SQLException {
        try (Connection replica = root(REPLICA);
                Statement statement = replica.createStatement()) {
            statement.execute("STOP SLAVE IO_THREAD");
        }
        long missed = ids.incrementAndGet();
        execute("INSERT INTO semi_sync_probe VALUES (" + missed + ", 'written while B was away')");
        assertThat(masterStatus("Rpl_semi_sync_master_status")).isEqualTo("OFF");

        ReplicaSync behind = topology.replicaSync();
        assertThat(behind.replicaHasEveryAcknowledgedWrite())
                .as("B lacks %s: %s", missed, behind)
                .isFalse();
        assertThat(behind.replicaAppliedEveryWrite()).isFalse();
        assertThat(behind.semiSynchronous()).isFalse();

        try (Connection replica = root(REPLICA);
                Statement statement = replica.createStatement()) {
            statement.execute("START SLAVE IO_THREAD");
        }
        await().atMost(CATCH_UP).until(() -> topology.replicaSync().replicaHasEveryAcknowledgedWrite());
        topology.awaitReplicaCaughtUp(CATCH_UP);
        assertThat(note(REPLICA, missed)).isEqualTo("written while B was away");

        // the master switches back once the replica acknowledges a commit at its current position
        long afterReturn = ids.incrementAndGet();
        execute("INSERT INTO semi_sync_probe VALUES (" + afterReturn + ", 'after B returned')");
        await().atMost(CATCH_UP).until(() -> topology.replicaSync().semiSynchronous());
        ReplicaSync resumed = topology.replicaSync();
        String gtid = executeReturningGtid(
                "INSERT INTO semi_sync_probe VALUES (" + ids.incrementAndGet() + ", 'semi-synchronous again')");
        assertThat(ReplicaSync.covers(slaveStatus("Gtid_IO_Pos"), gtid)).isTrue();
        assertThat(topology.replicaSync().acknowledgedWithReplica()).isGreaterThan(resumed.acknowledgedWithReplica());
        assertThat(topology.replicaSync().acknowledgedWithoutReplica()).isEqualTo(resumed.acknowledgedWithoutReplica());
    }

    private static void execute(String sql) throws SQLException {
        executeReturningGtid(sql);
    }

    /** Runs one autocommit statement on the master; returns the GTID of its transaction ({@code @@last_gtid}). */
    private static String executeReturningGtid(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                        topology.jdbcUrl(MASTER, "member_0"), topology.appUser(), topology.appPassword());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
            try (ResultSet gtid = statement.executeQuery("SELECT @@last_gtid")) {
                gtid.next();
                return gtid.getString(1);
            }
        }
    }

    private static String note(String store, long id) throws SQLException {
        try (Connection connection = root(store);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT note FROM member_0.semi_sync_probe WHERE id = " + id)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private static String slaveStatus(String column) throws SQLException {
        try (Connection connection = root(REPLICA);
                Statement statement = connection.createStatement();
                ResultSet status = statement.executeQuery("SHOW SLAVE STATUS")) {
            status.next();
            return status.getString(column);
        }
    }

    private static String masterStatus(String name) throws SQLException {
        try (Connection connection = root(MASTER);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            return row.next() ? row.getString(2) : null;
        }
    }

    private static String variable(String store, String expression) throws SQLException {
        try (Connection connection = root(store);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT " + expression)) {
            row.next();
            return row.getString(1);
        }
    }

    private static Connection root(String store) throws SQLException {
        return DriverManager.getConnection(topology.jdbcUrl(store, "") + "?connectTimeout=2000", "root", "");
    }
}
