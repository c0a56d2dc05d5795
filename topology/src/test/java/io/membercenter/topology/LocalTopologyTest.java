package io.membercenter.topology;

import static io.membercenter.topology.LocalTopology.MASTER;
import static io.membercenter.topology.LocalTopology.REPLICA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs against the JVM-wide topology: real MariaDB servers, real replication. */
class LocalTopologyTest {

    private static final Duration CATCH_UP = Duration.ofSeconds(20);
    private static final AtomicLong ids = new AtomicLong(System.currentTimeMillis());

    @RegisterExtension
    static final TopologyExtension shared = TopologyExtension.shared();

    private static LocalTopology topology;

    @BeforeAll
    static void createProbeTables() throws SQLException {
        topology = shared.topology();
        for (String database : List.of("member_0", "member_1")) {
            execute(MASTER, database, "CREATE TABLE IF NOT EXISTS probe (id BIGINT PRIMARY KEY, note VARCHAR(100))");
        }
    }

    @Test
    void storesDescribeTheTwoDataCenters() {
        assertThat(topology.stores())
                .extracting(
                        StoreInfo::name,
                        StoreInfo::kind,
                        StoreInfo::dataCenter,
                        StoreInfo::role,
                        StoreInfo::host,
                        StoreInfo::up)
                .containsExactly(
                        tuple(MASTER, StoreKind.DB, "A", "master", "127.0.0.1", true),
                        tuple(REPLICA, StoreKind.DB, "B", "replica", "127.0.0.1", true));
        assertThat(topology.stores())
                .extracting(StoreInfo::port)
                .doesNotHaveDuplicates()
                .allSatisfy(port -> assertThat(port).isPositive().isNotIn(3306, 5432, 6379));
        assertThat(StoreKind.DB.name().toLowerCase()).isEqualTo("db");
    }

    @Test
    void jdbcUrlNamesHostPortAndDatabase() {
        int port = topology.store(REPLICA).port();
        assertThat(topology.jdbcUrl(REPLICA, "member_1")).isEqualTo("jdbc:mariadb://127.0.0.1:" + port + "/member_1");
    }

    @Test
    void masterWritesReachTheReplica() throws SQLException {
        long id = ids.incrementAndGet();
        execute(MASTER, "member_0", "INSERT INTO probe VALUES (" + id + ", 'shard 0')");
        execute(MASTER, "member_1", "INSERT INTO probe VALUES (" + id + ", 'shard 1')");

        topology.awaitReplicaCaughtUp(CATCH_UP);

        assertThat(note(REPLICA, "member_0", id)).isEqualTo("shard 0");
        assertThat(note(REPLICA, "member_1", id)).isEqualTo("shard 1");
    }

    @Test
    void appUserCannotWriteOnTheReadOnlyReplica() throws SQLException {
        long id = ids.incrementAndGet();
        execute(MASTER, "member_0", "INSERT INTO probe VALUES (" + id + ", 'from master')");
        topology.awaitReplicaCaughtUp(CATCH_UP);

        assertThat(note(REPLICA, "member_0", id)).isEqualTo("from master");
        assertThatThrownBy(() ->
                        execute(REPLICA, "member_0", "INSERT INTO probe VALUES (" + ids.incrementAndGet() + ", 'x')"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1290))
                .hasMessageContaining("read-only");
        assertThatThrownBy(() -> execute(REPLICA, "member_0", "UPDATE probe SET note = 'changed' WHERE id = " + id))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("read-only");
        assertThat(note(REPLICA, "member_0", id)).isEqualTo("from master");
    }

    @Test
    void appUserHasOnlyTheGrantsTheServiceNeeds() throws SQLException {
        List<String> grants = new ArrayList<>();
        try (Connection connection = appConnection(MASTER, "member_0");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW GRANTS")) {
            while (rows.next()) {
                grants.add(rows.getString(1));
            }
        }
        assertThat(String.join("\n", grants))
                .contains("`member_0`.*", "`member_1`.*", "CREATE VIEW", "LOCK TABLES", "REFERENCES")
                .doesNotContain("ALL PRIVILEGES", "SUPER", "READ_ONLY ADMIN", "REPLICATION", "GRANT OPTION");
        assertThatThrownBy(() -> execute(MASTER, "member_0", "CREATE DATABASE someone_elses"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Access denied");
        assertThatThrownBy(() -> execute(MASTER, "member_0", "SELECT * FROM mysql.user"))
                .isInstanceOf(SQLException.class);
    }

    @Test
    void replicaFollowsTheMasterByGtidWithDurableBinlogs() throws SQLException {
        try (Connection replica = rootConnection(REPLICA);
                Statement statement = replica.createStatement();
                ResultSet status = statement.executeQuery("SHOW SLAVE STATUS")) {
            assertThat(status.next()).isTrue();
            assertThat(status.getString("Using_Gtid")).isEqualTo("Slave_Pos");
            assertThat(status.getInt("Master_Port"))
                    .isEqualTo(topology.store(MASTER).port());
            assertThat(status.getString("Slave_IO_Running")).isEqualTo("Yes");
            assertThat(status.getString("Slave_SQL_Running")).isEqualTo("Yes");
        }
        assertThat(variable(MASTER, "@@server_id")).isEqualTo("1");
        assertThat(variable(REPLICA, "@@server_id")).isEqualTo("2");
        assertThat(variable(MASTER, "@@read_only")).isEqualTo("0");
        assertThat(variable(REPLICA, "@@read_only")).isEqualTo("1");
        for (String store : List.of(MASTER, REPLICA)) {
            assertThat(variable(store, "@@log_bin")).isEqualTo("1");
            assertThat(variable(store, "@@binlog_format")).isEqualTo("ROW");
            assertThat(variable(store, "@@sync_binlog")).isEqualTo("1");
            assertThat(variable(store, "@@innodb_flush_log_at_trx_commit")).isEqualTo("1");
        }
    }

    @Test
    void stoppedReplicaCatchesUpAfterRestart() throws SQLException {
        int port = topology.store(REPLICA).port();
        topology.stop(REPLICA);
        assertThat(topology.isUp(REPLICA)).isFalse();
        assertThat(topology.store(REPLICA).up()).isFalse();
        assertThatThrownBy(() -> rootConnection(REPLICA).close()).isInstanceOf(SQLException.class);

        long id = ids.incrementAndGet();
        execute(MASTER, "member_0", "INSERT INTO probe VALUES (" + id + ", 'written while replica was down')");

        topology.start(REPLICA);
        assertThat(topology.store(REPLICA).port()).isEqualTo(port);
        topology.awaitReplicaCaughtUp(CATCH_UP);
        assertThat(note(REPLICA, "member_0", id)).isEqualTo("written while replica was down");
    }

    @Test
    void stoppedMasterRestartsOnSamePortWithItsData() throws SQLException {
        long before = ids.incrementAndGet();
        execute(MASTER, "member_1", "INSERT INTO probe VALUES (" + before + ", 'before the outage')");
        int port = topology.store(MASTER).port();

        topology.stop(MASTER);
        assertThat(topology.isUp(MASTER)).isFalse();
        assertThatThrownBy(() -> rootConnection(MASTER).close()).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> topology.awaitReplicaCaughtUp(CATCH_UP))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(MASTER);

        topology.start(MASTER);
        assertThat(topology.store(MASTER).port()).isEqualTo(port);
        assertThat(note(MASTER, "member_1", before)).isEqualTo("before the outage");

        long after = ids.incrementAndGet();
        execute(MASTER, "member_1", "INSERT INTO probe VALUES (" + after + ", 'after the outage')");
        topology.awaitReplicaCaughtUp(CATCH_UP);
        assertThat(note(REPLICA, "member_1", after)).isEqualTo("after the outage");
    }

    @Test
    void stopAndStartAreIdempotent() throws SQLException {
        long pid = topology.server(REPLICA).pid().orElseThrow();
        topology.start(REPLICA);
        assertThat(topology.server(REPLICA).pid()).hasValue(pid);

        topology.stop(REPLICA);
        topology.stop(REPLICA);
        assertThat(topology.isUp(REPLICA)).isFalse();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));

        topology.start(REPLICA);
        long restarted = topology.server(REPLICA).pid().orElseThrow();
        topology.start(REPLICA);
        assertThat(topology.server(REPLICA).pid()).hasValue(restarted);
        assertThat(variable(REPLICA, "@@server_id")).isEqualTo("2");
    }

    @Test
    void concurrentStartsLaunchOneServer() throws Exception {
        topology.stop(REPLICA);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> starts = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(6)) {
            for (int i = 0; i < 6; i++) {
                starts.add(executor.submit(() -> {
                    go.await();
                    topology.start(REPLICA);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> start : starts) {
                start.get();
            }
        }
        Path dataDir = topology.workDir().storeDir(REPLICA);
        long serversOnThatDir = ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .commandLine()
                        .map(line -> line.contains(dataDir + "/data"))
                        .orElse(false))
                .count();
        assertThat(serversOnThatDir).isEqualTo(1);
        assertThat(Files.readString(dataDir.resolve(ManagedServer.LAUNCHER_PID_FILE)))
                .isEqualTo(Long.toString(topology.server(REPLICA).pid().orElseThrow()));
    }

    @Test
    void unknownStoreNameIsRejectedWithTheKnownNames() {
        for (Runnable call : List.<Runnable>of(
                () -> topology.store("mysql-c"),
                () -> topology.stop("mysql-c"),
                () -> topology.start("mysql-c"),
                () -> topology.isUp("mysql-c"),
                () -> topology.jdbcUrl("mysql-c", "member_0"))) {
            assertThatThrownBy(call::run)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("mysql-c")
                    .hasMessageContaining(MASTER)
                    .hasMessageContaining(REPLICA);
        }
    }

    @Test
    void sharedReturnsTheSameRunningTopology() {
        assertThat(LocalTopology.shared()).isSameAs(topology);
        assertThat(topology.workDir().root()).endsWith(Path.of("target", "test-topology"));
    }

    private static void execute(String store, String database, String sql) throws SQLException {
        try (Connection connection = appConnection(store, database);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String note(String store, String database, long id) throws SQLException {
        try (Connection connection = appConnection(store, database);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT note FROM probe WHERE id = " + id)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private static String variable(String store, String expression) throws SQLException {
        try (Connection connection = rootConnection(store);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT " + expression)) {
            row.next();
            return row.getString(1);
        }
    }

    private static Connection appConnection(String store, String database) throws SQLException {
        return DriverManager.getConnection(
                topology.jdbcUrl(store, database), topology.appUser(), topology.appPassword());
    }

    private static Connection rootConnection(String store) throws SQLException {
        return DriverManager.getConnection(topology.jdbcUrl(store, "") + "?connectTimeout=2000", "root", "");
    }
}
