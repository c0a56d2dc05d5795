package io.membercenter.member;

import io.membercenter.cache.MemberCache;
import io.membercenter.search.MemberSearch;
import io.membercenter.shard.ShardProperties;
import io.membercenter.shard.ShardedDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
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
    MemberStore memberStore(
            ShardedDatabases databases,
            Clock clock,
            MemberProperties properties,
            CrashPoints crashPoints,
            JsonMapper json,
            MemberCache cache) {
        return new MemberStore(
                databases,
                clock,
                properties,
                crashPoints,
                new IdentitiesColumn(json),
                new MemberChangeEvents(json),
                cache);
    }

    @Bean
    MemberBulkLoad memberBulkLoad(ShardedDatabases databases, JsonMapper json, MemberCache cache, Clock clock) {
        return new MemberBulkLoad(databases, new IdentitiesColumn(json), new MemberChangeEvents(json), cache, clock);
    }

    @Bean
    IdempotencyRecords idempotencyRecords(ShardedDatabases databases, Clock clock, MemberProperties properties) {
        return new IdempotencyRecords(databases, clock, properties);
    }

    @Bean
    MemberService memberService(
            MemberStore store,
            IdempotencyRecords idempotency,
            Clock clock,
            MemberProperties properties,
            ShardProperties shardProperties,
            MemberSearch search,
            MemberCache cache,
            JsonMapper json) {
        MemberIdGenerator ids = new MemberIdGenerator(clock, shardProperties.dataCenter(), properties.nodeId());
        MemberLookups lookups = new MemberLookups(store, search, cache, new MemberChangeEvents(json));
        return new MemberService(store, idempotency, ids, lookups);
    }

    @Bean
    SearchRebuild searchRebuild(MemberStore store, MemberSearch search, Clock clock) {
        return new SearchRebuild(store, search, clock);
    }

    @Bean
    ClaimSweeper claimSweeper(
            MemberStore store, IdempotencyRecords idempotency, ShardedDatabases databases, MeterRegistry meters) {
        ClaimSweeper sweeper = new ClaimSweeper(store, idempotency, databases);
        meters.more().counter("member_claims_swept_total", List.of(), sweeper, ClaimSweeper::claimsSwept);
        return sweeper;
    }

    @Bean
    SweepSchedule sweepSchedule(ClaimSweeper sweeper) {
        return new SweepSchedule(sweeper);
    }

    /** Runs the sweeper every sweep-interval. */
    static final class SweepSchedule {
        private final ClaimSweeper sweeper;

        SweepSchedule(ClaimSweeper sweeper) {
            this.sweeper = sweeper;
        }

        @Scheduled(
                fixedDelayString = "${member-center.member.sweep-interval:2s}",
                initialDelayString = "${member-center.member.sweep-interval:2s}")
        void sweep() {
            sweeper.sweep();
        }
    }
}
