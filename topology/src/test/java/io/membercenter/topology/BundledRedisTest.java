package io.membercenter.topology;

import static io.membercenter.topology.LocalTopology.REDIS_A;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Proves the fallback for machines without an installed Redis, when asked:
 * {@code ./mvnw -B -q -pl topology verify -Pbundled-redis -Dmembercenter.topology.redis=bundled};
 * the other test classes then run against the bundled server too.
 */
@EnabledIfSystemProperty(named = RedisBinary.SOURCE_PROPERTY, matches = "bundled")
class BundledRedisTest {

    @Test
    void bundledBinaryIsUnpackedIntoTheCacheAndExecutable() {
        RedisBinary binary = RedisBinary.locate();

        assertThat(binary.isBundled()).isTrue();
        assertThat(binary.server()).startsWith(Folders.cache()).isExecutable();
    }

    @Test
    void cachesRunOnTheBundledServer() throws IOException {
        try (LocalTopology topology = LocalTopology.start(
                new TopologyOptions(Path.of("target", "test-bundled-redis"), List.of(), EnumSet.of(StoreKind.CACHE)))) {
            assertThat(Resp.call(topology.store(REDIS_A).port(), "INFO", "server"))
                    .contains("redis_version:" + BundledRedis.VERSION);
        }
    }
}
