package io.membercenter.shard;

import io.membercenter.degradation.Breakers;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ShardConfiguration {

    /**
     * Routed to the master of the moment before anything writes: the migration and the beans that write at start
     * run after this.
     */
    @Bean(destroyMethod = "close")
    ShardedDatabases shardedDatabases(
            ShardProperties properties,
            Breakers breakers,
            ObjectProvider<ShardedDatabases.MasterAtStart> masterAtStart) {
        ShardedDatabases databases = new ShardedDatabases(properties, breakers);
        masterAtStart.ifAvailable(known -> known.dataCenter()
                .filter(dataCenter -> !dataCenter.equals(databases.masterDataCenter()))
                .ifPresent(databases::routeWritesTo));
        databases.migrate();
        return databases;
    }
}
