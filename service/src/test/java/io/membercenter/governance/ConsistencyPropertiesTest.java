package io.membercenter.governance;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.membercenter.cache.CacheProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The checker's settings are refused at start when they could report changes still on their way, or make no sense. */
class ConsistencyPropertiesTest {

    private static final CacheProperties CACHE = new CacheProperties(
            List.of(),
            Duration.ofSeconds(2),
            Duration.ofMillis(300),
            Duration.ofMinutes(10),
            Duration.ofMinutes(15),
            100_000,
            true,
            Duration.ofMillis(500));

    @Test
    void aWindowNotLongerThanTheMarkerLifePlusTheSearchRefreshIsRefused() {
        Binder refreshOneSecond =
                new Binder(new MapConfigurationPropertySource(Map.of("member-center.search.refresh-interval", "1s")));

        assertThatThrownBy(() ->
                        GovernanceConfiguration.checkWindow(window(Duration.ofSeconds(3)), CACHE, refreshOneSecond))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("replication-window");
        assertThatCode(() ->
                        GovernanceConfiguration.checkWindow(window(Duration.ofSeconds(4)), CACHE, refreshOneSecond))
                .doesNotThrowAnyException();
        Binder refreshFiveSeconds =
                new Binder(new MapConfigurationPropertySource(Map.of("member-center.search.refresh-interval", "5s")));
        assertThatThrownBy(() ->
                        GovernanceConfiguration.checkWindow(window(Duration.ofSeconds(4)), CACHE, refreshFiveSeconds))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void settingsThatMakeNoSenseAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new ConsistencyProperties(
                        true,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(1),
                        100,
                        200,
                        50,
                        Duration.ofMinutes(5),
                        Duration.ofSeconds(2),
                        100))
                .hasMessageContaining("members-per-pass");
        assertThatThrownBy(() -> new ConsistencyProperties(
                        true,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(1),
                        200,
                        20,
                        50,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(2),
                        100))
                .hasMessageContaining("max-lag");
    }

    private static ConsistencyProperties window(Duration window) {
        return new ConsistencyProperties(
                true, window, Duration.ofSeconds(1), 200, 20, 50, Duration.ofMinutes(5), Duration.ofSeconds(2), 100);
    }
}
