package io.membercenter.degradation;

import io.membercenter.sentinel.SentinelScope;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DegradationConfiguration {

    @Bean
    Breakers breakers(DegradationProperties properties, MeterRegistry meters, SentinelScope sentinel) {
        return new Breakers(properties, meters, sentinel);
    }
}
