package io.membercenter.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ServiceTest;
import io.membercenter.topology.LocalTopology;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Outside the local profile /admin/topology lists the configured copies, probed for real; a restarted master shows up again within seconds. */
@ServiceTest
class ConfiguredStoreDirectoryTest {

    @Autowired
    ConfiguredStoreDirectory directory;

    @Autowired
    io.membercenter.degradation.Breakers breakers;

    @Test
    void listsEveryMasterAndReportsOneThatStoppedAsDown() {
        assertThat(directory.stores())
                .extracting(StoreDirectory.Store::name)
                .containsExactlyInAnyOrder("member_0-a", "member_1-a");
        assertThat(directory.stores()).allMatch(StoreDirectory.Store::up);

        LocalTopology.shared().stop("mysql-a");
        try {
            assertThat(directory.stores()).noneMatch(StoreDirectory.Store::up);
        } finally {
            LocalTopology.shared().start("mysql-a");
        }
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(directory.stores()).allMatch(StoreDirectory.Store::up));
        // Background work (relay, sweeper) probes the master: its breaker closes again by itself.
        await().atMost(Duration.ofSeconds(15))
                .until(() -> breakers.state("mysql-a")
                        .equals(java.util.Optional.of(io.membercenter.degradation.BreakerState.CLOSED)));
    }
}
