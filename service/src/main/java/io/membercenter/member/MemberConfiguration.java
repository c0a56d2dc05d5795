package io.membercenter.member;

import io.membercenter.cache.MemberCache;
import io.membercenter.governance.AbuseFlags;
import io.membercenter.governance.MemberMerges;
import io.membercenter.search.MemberSearch;
import io.membercenter.shard.ShardProperties;
import io.membercenter.shard.ShardedDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class MemberConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    CrashPoints crashPoints(MemberProperties properties) {
        return new CrashPoints(properties.crashPointsEnabled());
    }

    @Bean
    MemberRows memberRows(JsonMapper json) {
        return new MemberRows(new IdentitiesColumn(json));
    }

    @Bean
    IdentifierClaims identifierClaims(
            ShardedDatabases databases, Clock clock, MemberProperties properties, MemberRows rows) {
        return new IdentifierClaims(databases, clock, properties, rows);
    }

    @Bean
    MemberWrites memberWrites(
            ShardedDatabases databases,
            Clock clock,
            CrashPoints crashPoints,
            MemberRows rows,
            IdentifierClaims claims,
            JsonMapper json,
            MemberCache cache,
            AbuseLimits abuse) {
        return new MemberWrites(
                databases,
                clock,
                crashPoints,
                rows,
                claims,
                new PostCommitSteps(databases, cache, claims, crashPoints),
                new MemberChangeEvents(),
                abuse);
    }

    /** The merge door governance calls ({@code governance.MemberMerges}); its own post-commit steps, as a write's. */
    @Bean
    MemberMerges memberMerges(
            ShardedDatabases databases,
            Clock clock,
            CrashPoints crashPoints,
            MemberProperties properties,
            MemberRows rows,
            IdentifierClaims claims,
            JsonMapper json,
            MemberCache cache) {
        return new MemberMerge(
                databases,
                clock,
                properties,
                rows,
                new IdentitiesColumn(json),
                claims,
                new PostCommitSteps(databases, cache, claims, crashPoints),
                new MemberChangeEvents(),
                new MergeRecords(databases, json));
    }

    @Bean
    AbuseLimits abuseLimits(
            ShardedDatabases databases,
            AbuseProperties properties,
            AbuseFlags flags,
            Clock clock,
            MeterRegistry meters) {
        return new AbuseLimits(databases, properties, flags, clock, meters);
    }

    @Bean
    MemberStore memberStore(ShardedDatabases databases, MemberRows rows) {
        return new MemberStore(databases, rows);
    }

    @Bean
    MemberBulkLoad memberBulkLoad(ShardedDatabases databases, JsonMapper json, MemberCache cache, Clock clock) {
        return new MemberBulkLoad(databases, new IdentitiesColumn(json), new MemberChangeEvents(), cache, clock);
    }

    @Bean
    MemberImport memberImport(ShardedDatabases databases, MemberRows rows, MemberWrites writes, Clock clock) {
        return new MemberImport(databases, rows, writes, clock);
    }

    @Bean
    IdempotencyRecords idempotencyRecords(ShardedDatabases databases, Clock clock, MemberProperties properties) {
        return new IdempotencyRecords(databases, clock, properties);
    }

    @Bean
    MemberService memberService(
            MemberStore store,
            MemberWrites writes,
            IdempotencyRecords idempotency,
            Clock clock,
            MemberProperties properties,
            ShardProperties shardProperties,
            MemberSearch search,
            MemberCache cache,
            JsonMapper json,
            AbuseLimits abuse) {
        MemberIdGenerator ids = new MemberIdGenerator(clock, shardProperties.dataCenter(), properties.nodeId());
        MemberLookups lookups = new MemberLookups(store, search, cache, new MemberChangeEvents());
        return new MemberService(store, writes, idempotency, ids, lookups, abuse);
    }

    @Bean
    SearchRebuild searchRebuild(ShardedDatabases databases, MemberRows rows, MemberSearch search, Clock clock) {
        return new SearchRebuild(new MemberScans(databases, rows, new MemberChangeEvents()), search, clock);
    }

    @Bean
    ClaimSweeper claimSweeper(
            IdentifierClaims claims,
            IdempotencyRecords idempotency,
            ShardedDatabases databases,
            Clock clock,
            MemberProperties properties,
            MeterRegistry meters) {
        ClaimSweeper sweeper = new ClaimSweeper(claims, idempotency, databases, clock, properties);
        meters.more().counter("member_claims_swept_total", List.of(), sweeper, ClaimSweeper::claimsSwept);
        return sweeper;
    }

    @Bean
    SweepSchedule sweepSchedule(ClaimSweeper sweeper, MemberProperties properties) {
        return new SweepSchedule(sweeper, properties.sweepInterval());
    }

    /**
     * Runs the sweeper every sweep-interval, taken from the validated properties record (an
     * {@code @Scheduled} placeholder would read the raw property with a default of its own).
     */
    static final class SweepSchedule implements SchedulingConfigurer {
        private final ClaimSweeper sweeper;
        private final Duration interval;

        SweepSchedule(ClaimSweeper sweeper, Duration interval) {
            this.sweeper = sweeper;
            this.interval = interval;
        }

        @Override
        public void configureTasks(ScheduledTaskRegistrar registrar) {
            registrar.addFixedDelayTask(new FixedDelayTask(sweeper::sweep, interval, interval));
        }
    }
}
