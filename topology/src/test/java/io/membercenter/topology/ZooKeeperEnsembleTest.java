package io.membercenter.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The three-node ZooKeeper ensemble, alone in a topology of its own, driven by a real Curator client. */
class ZooKeeperEnsembleTest {

    private static LocalTopology topology;

    @BeforeAll
    static void startEnsemble() {
        topology = LocalTopology.start(new TopologyOptions(
                Path.of("target", "test-zookeeper"), List.of(), EnumSet.of(StoreKind.COORDINATION)));
    }

    @AfterAll
    static void stopEnsemble() {
        topology.close();
    }

    @AfterEach
    void bringEveryNodeBack() {
        LocalTopology.ZOOKEEPER_NODES.forEach(topology::start);
    }

    @Test
    void storesDescribeOneNodePerSite() {
        assertThat(topology.stores())
                .extracting(StoreInfo::name, StoreInfo::kind, StoreInfo::dataCenter, StoreInfo::role, StoreInfo::up)
                .containsExactly(
                        tuple("zk-1", StoreKind.COORDINATION, "A", "ensemble", true),
                        tuple("zk-2", StoreKind.COORDINATION, "B", "ensemble", true),
                        tuple("zk-3", StoreKind.COORDINATION, "C", "ensemble", true));
        assertThat(topology.zooKeeperConnectString())
                .matches("127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+");
        assertThat(topology.workDir().storeDir("zk-2").resolve("data").resolve("myid"))
                .content()
                .isEqualToIgnoringWhitespace("2");
    }

    @Test
    void theEnsembleServesWritesAndReadsWithOneNodeDown() throws Exception {
        String path = "/probe-" + UUID.randomUUID();
        try (CuratorFramework client = client()) {
            client.create().forPath(path, bytes("before"));

            topology.kill("zk-1");
            assertThat(topology.isUp("zk-1")).isFalse();

            client.setData().forPath(path, bytes("with zk-1 down"));
            client.create().forPath(path + "/child", bytes("created with zk-1 down"));
            assertThat(text(client.getData().forPath(path))).isEqualTo("with zk-1 down");
        }
        try (CuratorFramework another = client()) {
            assertThat(text(another.getData().forPath(path + "/child"))).isEqualTo("created with zk-1 down");
        }

        topology.start("zk-1");
        try (CuratorFramework onlyTheReturnedNode =
                client(topology.store("zk-1").port())) {
            onlyTheReturnedNode.sync().forPath(path);
            assertThat(text(onlyTheReturnedNode.getData().forPath(path)))
                    .as("the returned node caught up with what was written without it")
                    .isEqualTo("with zk-1 down");
        }
    }

    @Test
    void theEnsembleLosesQuorumWithTwoNodesDownAndRegainsItWhenOneReturns() throws Exception {
        String path = "/quorum-" + UUID.randomUUID();
        try (CuratorFramework client = client()) {
            client.create().forPath(path, bytes("before"));
        }
        topology.stop("zk-1");
        topology.kill("zk-2");

        try (CuratorFramework client = client()) {
            assertThatThrownBy(() -> client.setData().forPath(path, bytes("without a quorum")))
                    .isInstanceOf(Exception.class);
        }
        assertThat(((ZooKeeperServer) topology.server("zk-3")).isServing())
                .as("the last node alone does not serve")
                .isFalse();

        topology.start("zk-2");
        try (CuratorFramework client = client()) {
            client.setData().forPath(path, bytes("quorum again"));
            assertThat(text(client.getData().forPath(path))).isEqualTo("quorum again");
        }
    }

    private static CuratorFramework client() {
        return started(topology.zooKeeperConnectString());
    }

    private static CuratorFramework client(int port) {
        return started("127.0.0.1:" + port);
    }

    /** Short timeouts and few retries, so an ensemble without quorum fails a call in seconds. */
    private static CuratorFramework started(String connectString) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(6_000)
                .connectionTimeoutMs(3_000)
                .retryPolicy(new RetryNTimes(3, 500))
                .build();
        client.start();
        return client;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
