package io.membercenter.rules;

import io.membercenter.degradation.DegradationRules;
import io.membercenter.flow.FlowControl;
import io.membercenter.shard.ShardedDatabases;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class RulesConfiguration {

    @Bean(destroyMethod = "close")
    RuleBook ruleBook(
            ShardedDatabases databases,
            DegradationRules degradation,
            FlowControl flow,
            JsonMapper json,
            Clock clock,
            @Value("${member-center.flow-rules.poll:250ms}") Duration poll) {
        return new RuleBook(new RuleVersionStore(databases), degradation, flow, json, clock, poll);
    }

    /**
     * The persisted rules are applied once every singleton exists — every store adapter has registered its
     * dependency's breaker, so every rule of the document has its dependency — and before the web server
     * starts, so no request is served under the configured rules when newer ones are persisted.
     */
    @Bean
    SmartInitializingSingleton ruleBookStart(ObjectProvider<RuleBook> book) {
        return () -> book.getObject().start();
    }
}
