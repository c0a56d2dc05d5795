package io.membercenter.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.degradation.Breakers;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Stores;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Outside the local profile /admin/topology lists the configured copies, probed for real; a restarted master shows up again within seconds. */
@ServiceTest
class ConfiguredStoreDirectoryTest {

    private final Stores stores;

    @Autowired
    ConfiguredStoreDirectory directory;

    @Autowired
    Breakers breakers;

    ConfiguredStoreDirectoryTest(Stores stores) {
        this.stores = stores;
    }

    @Test
    void listsEveryMasterAndReportsOneThatStoppedAsDown() {
        assertThat(directory.stores())
                .extracting(StoreDirectory.Store::name)
                .containsExactlyInAnyOrder("member_0-a", "member_1-a");
        assertThat(directory.stores()).allMatch(StoreDirectory.Store::up);

        try (Stores.StoppedStore master = stores.stop("mysql-a")) {
            assertThat(directory.stores()).noneMatch(StoreDirectory.Store::up);
        }
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(directory.stores()).allMatch(StoreDirectory.Store::up));
        // Background work (relay, sweeper) probes the master: its breaker closes again by itself.
        await().atMost(Duration.ofSeconds(15))
                .until(() -> breakers.state("mysql-a")
                        .equals(java.util.Optional.of(io.membercenter.degradation.BreakerState.CLOSED)));
    }
}
