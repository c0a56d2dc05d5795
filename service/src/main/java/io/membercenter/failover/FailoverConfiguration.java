package io.membercenter.failover;

import io.membercenter.cache.MemberCache;
import io.membercenter.search.MemberSearch;
import io.membercenter.shard.ShardProperties;
import io.membercenter.shard.ShardedDatabases;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class FailoverConfiguration {

    @Bean(destroyMethod = "close")
    Failover failover(
            FailoverProperties properties,
            ShardProperties shards,
            ShardedDatabases databases,
            MemberSearch search,
            MemberCache cache,
            JsonMapper json,
            Clock clock) {
        String homeMaster = homeMaster(shards);
        if (!properties.enabled()) {
            return Failover.off(homeMaster);
        }
        Coordination coordination =
                new Coordination(properties, databases, search, cache, json, shards.dataCenter(), homeMaster);
        coordination.start();
        DatabaseServers servers = new DatabaseServers(shards, properties);
        MasterSwitch masterSwitch = new MasterSwitch(
                coordination, servers, List.of(ReadRoute.search(search), ReadRoute.cache(cache)), properties, clock);
        MasterWatch watch = new MasterWatch(coordination, servers, masterSwitch, properties);
        watch.start();
        return new Failover(Optional.of(coordination), Optional.of(masterSwitch), Optional.of(watch), homeMaster);
    }

    /** The record's master for the migration and the first writes; off: the configured one. */
    @Bean
    ShardedDatabases.MasterAtStart masterAtStart(FailoverProperties properties, JsonMapper json) {
        return properties.enabled() ? new RecordAtStart(properties, json) : Optional::empty;
    }

    /** Where the master is when the record is first created, and where failback returns to: the configured one. */
    private static String homeMaster(ShardProperties shards) {
        return shards.databases().getFirst().copies().stream()
                .filter(c -> c.role() == ShardProperties.Role.MASTER)
                .findFirst()
                .orElseThrow()
                .dataCenter();
    }
}
