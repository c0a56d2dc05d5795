package io.membercenter.flow;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class FlowConfiguration {

    @Bean
    SentinelFlowGate sentinelFlowGate(FlowProperties properties) {
        return new SentinelFlowGate(properties.rules());
    }

    @Bean
    FlowControl flowControl(SentinelFlowGate gate) {
        return new FlowControl(gate);
    }
}
