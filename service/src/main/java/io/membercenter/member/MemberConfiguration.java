package io.membercenter.member;

import io.membercenter.cache.MemberCache;
import io.membercenter.cache.PendingMarkers;
import io.membercenter.search.MemberSearch;
import io.membercenter.shard.ShardProperties;
import io.membercenter.shard.ShardedDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
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
            ObjectProvider<MemberCache> cache) {
        return new MemberStore(
                databases,
                clock,
                properties,
                crashPoints,
                new IdentitiesColumn(json),
                new MemberChangeEvents(),
                cache.getIfAvailable());
    }

    @Bean
    MemberBulkLoad memberBulkLoad(
            ShardedDatabases databases, JsonMapper json, ObjectProvider<MemberCache> cache, Clock clock) {
        return new MemberBulkLoad(
                databases, new IdentitiesColumn(json), new MemberChangeEvents(), cache.getIfAvailable(), clock);
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
            ObjectProvider<MemberSearch> search,
            ObjectProvider<PendingMarkers> markers,
            ObjectProvider<MemberCache> cache,
            JsonMapper json) {
        MemberIdGenerator ids = new MemberIdGenerator(clock, shardProperties.dataCenter(), properties.nodeId());
        MemberLookups lookups = new MemberLookups(
                store,
                search.getIfAvailable(),
                markers.getIfAvailable(),
                cache.getIfAvailable(),
                new MemberChangeEvents());
        return new MemberService(store, idempotency, ids, lookups);
    }

    @Bean
    SearchRebuild searchRebuild(
            MemberStore store, ObjectProvider<io.membercenter.search.ClusterLoader> loader, Clock clock) {
        io.membercenter.search.ClusterLoader available = loader.getIfAvailable();
        return available == null ? null : new SearchRebuild(store, available, clock);
    }

    @Bean
    ClaimSweeper claimSweeper(
            MemberStore store, IdempotencyRecords idempotency, ShardedDatabases databases, MeterRegistry meters) {
        ClaimSweeper sweeper = new ClaimSweeper(store, idempotency, databases);
        meters.more().counter("member_claims_swept_total", java.util.List.of(), sweeper, ClaimSweeper::claimsSwept);
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
