package io.membercenter.governance;

import io.membercenter.shard.ShardedDatabases;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class GovernanceConfiguration {

    @Bean
    RelationshipAudit relationshipAudit(
            ShardedDatabases databases,
            GovernanceProperties properties,
            Clock clock,
            JsonMapper json,
            Anomalies anomalies,
            Environment environment) {
        checkAgainstNeighbours(properties, Binder.get(environment));
        RelationshipRows rows = new RelationshipRows(json);
        RelationshipChecks checks = new RelationshipChecks(databases, rows, properties);
        return new RelationshipAudit(
                databases,
                rows,
                checks,
                new RepairPolicy(databases, anomalies, checks, clock),
                new AuditLedger(databases),
                anomalies,
                properties,
                clock);
    }

    @Bean
    Anomalies anomalies(ShardedDatabases databases, JsonMapper json) {
        return new Anomalies(databases, json);
    }

    /**
     * The window must outlast the sweeper (or a live claim is called dangling, and a removal's moment
     * repaired), and a step must end before its request's deadline (or its last statements are refused).
     * Both are other packages' settings, read as configured.
     */
    private static void checkAgainstNeighbours(GovernanceProperties properties, Binder config) {
        Duration claimTtl =
                config.bind("member-center.member.claim-ttl", Duration.class).orElse(Duration.ofSeconds(10));
        Duration sweepInterval = config.bind("member-center.member.sweep-interval", Duration.class)
                .orElse(Duration.ofSeconds(2));
        Duration deadline = config.bind("member-center.degradation.request-deadline", Duration.class)
                .orElse(Duration.ofSeconds(5));
        if (properties.sweeperWindow().compareTo(claimTtl.plus(sweepInterval.multipliedBy(2))) <= 0) {
            throw new IllegalStateException("member-center.governance.sweeper-window must be longer than"
                    + " member-center.member.claim-ttl plus two sweep-intervals");
        }
        if (properties.stepBudget().compareTo(deadline.minusSeconds(1)) > 0) {
            throw new IllegalStateException("member-center.governance.step-budget must be at least 1s below"
                    + " member-center.degradation.request-deadline");
        }
    }
}
