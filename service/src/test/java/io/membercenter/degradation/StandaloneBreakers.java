package io.membercenter.degradation;

import io.membercenter.sentinel.SentinelScope;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;

/**
 * For tests outside this package that build a store adapter by hand (without the Spring context): the
 * breakers with the default rules, on a registry of their own. Test code only.
 */
public final class StandaloneBreakers {

    private StandaloneBreakers() {}

    public static Breakers withDefaults() {
        DegradationProperties properties = new DegradationProperties(
                BreakerRule.defaults(),
                Map.of(),
                new DegradationProperties.Bulkhead(0.25, 0.5, Duration.ofSeconds(1)),
                Duration.ofSeconds(5));
        return new Breakers(properties, new SimpleMeterRegistry(), SentinelScope.open());
    }
}
