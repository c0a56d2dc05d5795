package io.membercenter.degradation;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DegradationConfiguration {

    @Bean
    Breakers breakers(DegradationProperties properties, MeterRegistry meters) {
        Breakers.keepSentinelLogsUnderTarget();
        return new Breakers(properties, meters);
    }
}
