package io.membercenter.governance;

import io.membercenter.cache.CacheProperties;
import io.membercenter.cache.MemberCache;
import io.membercenter.search.MemberSearch;
import io.membercenter.shard.ShardedDatabases;
import io.micrometer.core.instrument.MeterRegistry;
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
    ConsistencyResults consistencyResults(MeterRegistry registry, ConsistencyProperties properties) {
        return new ConsistencyResults(registry, properties.recentLimit());
    }

    @Bean
    ConsistencyChecker consistencyChecker(
            ShardedDatabases databases,
            MemberCache cache,
            MemberSearch search,
            ConsistencyResults results,
            ConsistencyProperties properties,
            CacheProperties cacheProperties,
            Clock clock,
            JsonMapper json,
            Environment environment) {
        checkWindow(properties, cacheProperties, Binder.get(environment));
        return new ConsistencyChecker(databases, cache, search, results, properties, clock, json);
    }

    /** Passes in the background on this instance, unless the checker is disabled. */
    @Bean
    ConsistencySchedule consistencySchedule(ConsistencyChecker checker, ConsistencyProperties properties) {
        return new ConsistencySchedule(checker, properties);
    }

    @Bean
    Anomalies anomalies(ShardedDatabases databases, JsonMapper json) {
        return new Anomalies(databases, json);
    }

    @Bean
    LegacyQuarantine legacyQuarantine(Anomalies anomalies, Clock clock) {
        return new LegacyQuarantine(anomalies, clock);
    }

    @Bean
    AbuseFlags abuseFlags(Anomalies anomalies, Clock clock) {
        return new AbuseFlags(anomalies, clock);
    }

    /**
     * A change must have had the time to reach every store before its copies are judged: the cache's marker lives
     * {@code marker-ttl} (a lookup goes to search only after it), and a change indexed is searchable only after
     * search's {@code refresh-interval}. A window shorter than both would report changes still on their way.
     */
    static void checkWindow(ConsistencyProperties properties, CacheProperties cache, Binder config) {
        Duration refresh = config.bind("member-center.search.refresh-interval", Duration.class)
                .orElse(Duration.ofSeconds(1));
        if (properties.replicationWindow().compareTo(cache.markerTtl().plus(refresh)) <= 0) {
            throw new IllegalStateException("member-center.governance.consistency.replication-window must be longer"
                    + " than member-center.cache.marker-ttl plus member-center.search.refresh-interval");
        }
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
