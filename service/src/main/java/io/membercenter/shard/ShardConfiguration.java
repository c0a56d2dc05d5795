package io.membercenter.shard;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ShardConfiguration {

    @Bean(destroyMethod = "close")
    ShardedDatabases shardedDatabases(ShardProperties properties) {
        ShardedDatabases databases = new ShardedDatabases(properties);
        databases.migrate();
        return databases;
    }
}
