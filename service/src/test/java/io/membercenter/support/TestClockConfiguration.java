package io.membercenter.support;

import java.time.Clock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Puts the JVM's {@link MutableClock} in place of the service's system clock: every bean that takes a {@link Clock}
 * gets it, and a test that must pass a TTL autowires it and advances it.
 */
@TestConfiguration(proxyBeanMethods = false)
class TestClockConfiguration {

    @Bean
    @Primary
    MutableClock testClock() {
        return MutableClock.SHARED;
    }
}
