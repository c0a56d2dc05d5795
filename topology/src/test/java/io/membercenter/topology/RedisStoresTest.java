package io.membercenter.topology;

import static io.membercenter.topology.LocalTopology.REDIS_A;
import static io.membercenter.topology.LocalTopology.REDIS_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The two Redis caches, alone in a topology of their own. */
class RedisStoresTest {

    @RegisterExtension
    static final TopologyExtension caches = TopologyExtension.ofKinds(Path.of("target", "test-redis"), StoreKind.CACHE);

    private final LocalTopology topology = caches.topology();

    @Test
    void storesDescribeOneCachePerDataCenter() {
        assertThat(topology.stores())
                .extracting(StoreInfo::name, StoreInfo::kind, StoreInfo::dataCenter, StoreInfo::role, StoreInfo::up)
                .containsExactly(
                        tuple(REDIS_A, StoreKind.CACHE, "A", "local", true),
                        tuple(REDIS_B, StoreKind.CACHE, "B", "local", true));
        assertThat(topology.stores())
                .extracting(StoreInfo::port)
                .doesNotHaveDuplicates()
                .allSatisfy(port -> assertThat(port).isNotIn(6379, 3306));
        assertThat(topology.redisUri(REDIS_B))
                .isEqualTo("redis://127.0.0.1:" + topology.store(REDIS_B).port());
        assertThat(topology.kinds()).containsExactly(StoreKind.CACHE);
    }

    @Test
    void eachCacheHoldsItsOwnKeys() throws IOException {
        assertThat(Resp.call(port(REDIS_A), "SET", "only-in-a", "1")).isEqualTo("OK");

        assertThat(Resp.call(port(REDIS_A), "GET", "only-in-a")).isEqualTo("1");
        assertThat(Resp.call(port(REDIS_B), "GET", "only-in-a")).isNull();
    }

    @Test
    void restartedCacheComesBackEmptyOnTheSamePort() throws IOException {
        int port = port(REDIS_B);
        long pid = topology.server(REDIS_B).pid().orElseThrow();
        assertThat(Resp.call(port, "SET", "member:1", "cached")).isEqualTo("OK");

        topology.stop(REDIS_B);
        assertThat(topology.isUp(REDIS_B)).isFalse();
        assertThatThrownBy(() -> Resp.call(port, "PING")).isInstanceOf(IOException.class);
        assertThat(Resp.call(port(REDIS_A), "PING")).isEqualTo("PONG");

        topology.start(REDIS_B);
        assertThat(topology.store(REDIS_B).port()).isEqualTo(port);
        assertThat(topology.server(REDIS_B).pid().orElseThrow()).isNotEqualTo(pid);
        assertThat(Resp.call(port, "PING")).isEqualTo("PONG");
        assertThat(Resp.call(port, "GET", "member:1")).isNull();
        assertThat(Resp.call(port, "DBSIZE")).isEqualTo("0");
    }

    @Test
    void cachesKeepNothingOnDisk() throws IOException {
        assertThat(Resp.call(port(REDIS_A), "CONFIG", "GET", "save")).isEqualTo("save\n");
        assertThat(Resp.call(port(REDIS_A), "CONFIG", "GET", "appendonly")).isEqualTo("appendonly\nno");
        assertThat(topology.workDir().storeDir(REDIS_A).resolve("redis.log"))
                .content()
                .contains("Ready to accept connections");
        assertThat(topology.workDir().storeDir(REDIS_A).resolve("dump.rdb")).doesNotExist();
    }

    @Test
    void storesOfKindsNotStartedAreNamedWithTheOnesThatAre() {
        assertThatThrownBy(() -> topology.store("mysql-a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mysql-a' is not started")
                .hasMessageContaining("db store")
                .hasMessageContaining("membercenter.topology.kinds")
                .hasMessageContaining("[redis-a, redis-b]");
        assertThatThrownBy(() -> topology.kafkaBootstrap())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'kafka' is not started");
        assertThatThrownBy(() -> topology.searchUrl("search-primary"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'search-primary' is not started");
        assertThatThrownBy(() -> topology.jdbcUrl(REDIS_A, "member_0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis-a is a cache store, not a database");
        assertThatThrownBy(() -> topology.awaitReplicaCaughtUp(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no databases");
    }

    private int port(String store) {
        return topology.store(store).port();
    }
}
