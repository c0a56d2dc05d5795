package io.membercenter.flow;

import io.membercenter.sentinel.SentinelScope;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class FlowConfiguration {

    @Bean(destroyMethod = "close")
    GlobalCaps globalCaps(FlowProperties properties, MeterRegistry meters) {
        FlowProperties.TokenStore config = properties.tokenStore();
        GlobalCaps.TokenStore store =
                config.redisUrl().isBlank() ? null : new RedisTokenStore(config.redisUrl(), config.commandTimeout());
        GlobalCaps caps = new GlobalCaps(store, properties.global(), config.instances(), System::currentTimeMillis);
        caps.start(config.heartbeat().toMillis());
        Gauge.builder("flow_global_token_store_reachable", caps, c -> c.reachable() ? 1 : 0)
                .description("1 while the global caps are counted in the shared token store, 0 on the local share")
                .register(meters);
        Gauge.builder("flow_global_instances", caps, GlobalCaps::instances)
                .description("Live instances the token store last told: the local share is cap / this")
                .register(meters);
        return caps;
    }

    @Bean
    SystemProtection systemProtection(FlowProperties properties, MeterRegistry meters) {
        SystemProtection protection = new SystemProtection(properties.rules().system(), new SampledCpu());
        Gauge.builder("flow_system_in_flight", protection, SystemProtection::inFlight)
                .description("Requests admitted by flow control and not yet answered (system protection's signal)")
                .register(meters);
        return protection;
    }

    @Bean
    SentinelFlowGate sentinelFlowGate(
            FlowProperties properties, SentinelScope sentinel, GlobalCaps global, SystemProtection system) {
        return new SentinelFlowGate(properties.rules(), sentinel, global, system);
    }

    @Bean
    FlowControl flowControl(SentinelFlowGate gate) {
        return new FlowControl(gate);
    }

    /**
     * The machine's CPU use (0 to 1) as the JDK's operating-system bean reports it, read at most every 250 ms by
     * whichever request asks first: the read is a system call and the value a moving average anyway.
     */
    static final class SampledCpu implements DoubleSupplier {
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private final AtomicLong readAt = new AtomicLong();
        private volatile double value;

        @Override
        public double getAsDouble() {
            long now = System.nanoTime();
            long last = readAt.get();
            if (now - last > 250_000_000L && readAt.compareAndSet(last, now)) {
                double load = os.getCpuLoad();
                if (load >= 0) value = load; // negative: not available on this platform
            }
            return value;
        }
    }
}
