package io.membercenter.topology;

import static io.membercenter.topology.LocalTopology.MASTER;
import static io.membercenter.topology.LocalTopology.REDIS_A;
import static io.membercenter.topology.LocalTopology.REDIS_B;
import static io.membercenter.topology.LocalTopology.REPLICA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two data centers 20 ms apart, on real MariaDB and Redis servers: replication and the other data center's clients go
 * through the links, pay the round trip, and live through a cut or a hung link.
 */
class DcLinkTopologyTest {

    private static final Duration RTT = Duration.ofMillis(20);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);
    private static final AtomicLong ids = new AtomicLong(System.currentTimeMillis());
    private static LocalTopology topology;

    @BeforeAll
    static void startTwoDataCentersApart() throws SQLException {
        topology = LocalTopology.start(new TopologyOptions(
                        Path.of("target", "test-dc-links"),
                        List.of("member_0"),
                        EnumSet.of(StoreKind.DB, StoreKind.CACHE))
                .withDcRtt(RTT));
        execute("CREATE TABLE IF NOT EXISTS link_probe (id BIGINT PRIMARY KEY, note VARCHAR(100))");
    }

    @AfterAll
    static void stop() {
        topology.close();
    }

    @AfterEach
    void healEveryLink() {
        topology.setDcLinks(DcLinkState.FORWARDING);
        await().atMost(CATCH_UP).until(() -> {
            execute("INSERT INTO link_probe VALUES (" + ids.incrementAndGet() + ", 'to resume on')");
            return topology.replicaSync().semiSynchronous();
        });
    }

    @Test
    void theReplicaFollowsTheMasterThroughTheLinkAndClientsInBDoToo() throws SQLException {
        int link = topology.portFrom("B", MASTER);
        assertThat(link).isNotEqualTo(topology.store(MASTER).port());
        assertThat(topology.portFrom("A", MASTER))
                .isEqualTo(topology.store(MASTER).port());
        assertThat(topology.jdbcUrlFrom("B", MASTER, "member_0"))
                .isEqualTo("jdbc:mariadb://127.0.0.1:" + link + "/member_0");
        assertThat(topology.jdbcUrlFrom("B", REPLICA, "member_0")).isEqualTo(topology.jdbcUrl(REPLICA, "member_0"));
        assertThat(topology.redisUriFrom("B", REDIS_A))
                .isEqualTo("redis://127.0.0.1:" + topology.portFrom("B", REDIS_A));
        assertThat(topology.portFrom("A", REDIS_B))
                .isNotEqualTo(topology.store(REDIS_B).port());
        assertThat(topology.options().dcRtt()).isEqualTo(RTT);
        try (Connection replica = root(topology.jdbcUrl(REPLICA, ""));
                Statement statement = replica.createStatement();
                ResultSet status = statement.executeQuery("SHOW SLAVE STATUS")) {
            status.next();
            assertThat(status.getInt("Master_Port")).isEqualTo(link);
        }

        long id = ids.incrementAndGet();
        execute("INSERT INTO link_probe VALUES (" + id + ", 'through the link')");
        topology.awaitReplicaCaughtUp(CATCH_UP);
        assertThat(note(topology.jdbcUrl(REPLICA, ""), id)).isEqualTo("through the link");
        assertThat(note(topology.jdbcUrlFrom("B", MASTER, ""), id)).isEqualTo("through the link");
    }

    @Test
    void aRoundTripToTheOtherDataCenterTakesAtLeastTheRoundTripTime() throws Exception {
        try (Connection fromB = root(topology.jdbcUrlFrom("B", MASTER, ""));
                Statement statement = fromB.createStatement()) {
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                statement.execute("SELECT 1");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(RTT);
            }
        }
        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            assertThat(Resp.call(topology.portFrom("A", REDIS_B), "PING")).isEqualTo("PONG");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(RTT);
        }
    }

    /** The master waits for the replica's acknowledgement, which comes back across the link: one round trip at least. */
    @Test
    void aSemiSynchronousCommitPaysTheRoundTripToTheReplica() throws SQLException {
        ReplicaSync before = topology.replicaSync();
        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            execute("INSERT INTO link_probe VALUES (" + ids.incrementAndGet() + ", 'paid " + i + "')");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(RTT);
        }
        ReplicaSync after = topology.replicaSync();
        assertThat(after.semiSynchronous()).isTrue();
        assertThat(after.acknowledgedWithReplica() - before.acknowledgedWithReplica())
                .isGreaterThanOrEqualTo(5);
        assertThat(after.acknowledgedWithoutReplica()).isEqualTo(before.acknowledgedWithoutReplica());
    }

    @Test
    void aCutLinkFallsBackToAsynchronousAndReplicationResumesWhenItHeals() throws SQLException {
        topology.setDcLink(MASTER, DcLinkState.CUT);
        long id = ids.incrementAndGet();
        execute("INSERT INTO link_probe VALUES (" + id + ", 'while cut')");
        assertThatThrownBy(() -> root(topology.jdbcUrlFrom("B", MASTER, "")).close())
                .isInstanceOf(SQLException.class);
        ReplicaSync cut = topology.replicaSync();
        assertThat(cut.semiSynchronous()).isFalse();
        assertThat(cut.replicaHasEveryAcknowledgedWrite()).isFalse();

        topology.setDcLink(MASTER, DcLinkState.FORWARDING);
        await().atMost(CATCH_UP).until(() -> topology.replicaSync().replicaHasEveryAcknowledgedWrite());
        topology.awaitReplicaCaughtUp(CATCH_UP);
        assertThat(note(topology.jdbcUrl(REPLICA, ""), id)).isEqualTo("while cut");
    }

    @Test
    void aHungLinkCostsOneTimeoutThenWritesGoOnAndTheReplicaCatchesUpWhenItHeals() throws SQLException {
        topology.setDcLink(MASTER, DcLinkState.HUNG);
        long started = System.nanoTime();
        long id = ids.incrementAndGet();
        execute("INSERT INTO link_probe VALUES (" + id + ", 'while hung')");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isGreaterThanOrEqualTo(LocalTopology.SEMI_SYNC_TIMEOUT);
        ReplicaSync hung = topology.replicaSync();
        assertThat(hung.semiSynchronous()).isFalse();
        assertThat(hung.replicaHasEveryAcknowledgedWrite()).isFalse();

        topology.setDcLink(MASTER, DcLinkState.FORWARDING);
        await().atMost(CATCH_UP).until(() -> topology.replicaSync().replicaHasEveryAcknowledgedWrite());
        topology.awaitReplicaCaughtUp(CATCH_UP);
        assertThat(note(topology.jdbcUrl(REPLICA, ""), id)).isEqualTo("while hung");
    }

    @Test
    void aLinkIsNamedByTheStoreItLeadsTo() {
        assertThatThrownBy(() -> topology.setDcLink("mysql-c", DcLinkState.CUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mysql-c");
        assertThatThrownBy(() -> topology.portFrom("C", MASTER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'C'");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                        topology.jdbcUrl(MASTER, "member_0"), topology.appUser(), topology.appPassword());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String note(String serverUrl, long id) throws SQLException {
        try (Connection connection = root(serverUrl);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT note FROM member_0.link_probe WHERE id = " + id)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private static Connection root(String url) throws SQLException {
        return DriverManager.getConnection(url + "?connectTimeout=2000", "root", "");
    }
}
