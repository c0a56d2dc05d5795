package io.membercenter.sentinel;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SentinelConfiguration {

    /** One scope per context; closed (its rules taken out of Sentinel) when the context closes. */
    @Bean(destroyMethod = "close")
    SentinelScope sentinelScope() {
        return SentinelScope.open();
    }
}
