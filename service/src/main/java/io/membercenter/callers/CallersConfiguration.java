package io.membercenter.callers;

import io.membercenter.flow.FlowControl;
import io.membercenter.shard.ShardedDatabases;
import io.membercenter.traffic.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class CallersConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CallersConfiguration.class);

    @Bean
    CallerStore callerStore(ShardedDatabases databases, CallerSeeds seeds, Clock clock) {
        CallerStore store = new CallerStore(databases);
        for (CallerSeeds.Seed seed : seeds.callers()) {
            long now = clock.millis();
            if (store.seed(
                    new RegisteredCaller(seed.name(), seed.trafficClass(), scopes(seed), null, now, now, 1, List.of()),
                    seed.keySha256(),
                    now)) {
                log.info("event=caller_seeded caller={}", seed.name());
            }
        }
        return store;
    }

    @Bean(destroyMethod = "close")
    CallerSnapshot callerSnapshot(
            CallerStore store,
            FlowControl flow,
            JsonMapper json,
            @Value("${member-center.callers.poll:250ms}") Duration poll) {
        return new CallerSnapshot(store, flow, json, poll);
    }

    @Bean
    AccessAudit accessAudit(
            MeterRegistry meters,
            @Value("${member-center.callers.audit.distinct-members-per-minute:1000}") long distinctMembersPerMinute,
            @Value("${member-center.callers.audit.not-found-share:0.5}") double notFoundShare,
            @Value("${member-center.callers.audit.minimum-requests:100}") long minimumRequests) {
        return new AccessAudit(
                meters, new AccessAudit.Thresholds(distinctMembersPerMinute, notFoundShare, minimumRequests));
    }

    @Bean
    CallerRequests callerRequests(FlowControl flow, JsonMapper json) {
        return new CallerRequests(flow, json);
    }

    private static Set<Scope> scopes(CallerSeeds.Seed seed) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String label : seed.scopes()) {
            Scope scope = Scope.ofLabel(label);
            if (scope == null) {
                throw new IllegalStateException(
                        "member-center.traffic.callers[" + seed.name() + "]: unknown scope '" + label + "'");
            }
            scopes.add(scope);
        }
        return scopes;
    }
}
