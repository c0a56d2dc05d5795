package io.membercenter.shard;

import io.membercenter.degradation.Breakers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ShardConfiguration {

    @Bean(destroyMethod = "close")
    ShardedDatabases shardedDatabases(ShardProperties properties, Breakers breakers) {
        ShardedDatabases databases = new ShardedDatabases(properties, breakers);
        databases.migrate();
        return databases;
    }
}
