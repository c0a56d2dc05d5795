package io.membercenter.console;

import io.membercenter.shard.ShardedDatabases;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Outside the local profile: every database copy this service has a pool for, probed now.
 * Named {@code <database>-<dc>} since a deployment's servers are not ours to name.
 */
@Component
final class ConfiguredStoreDirectory implements StoreDirectory {

    private final ShardedDatabases databases;

    ConfiguredStoreDirectory(ShardedDatabases databases) {
        this.databases = databases;
    }

    @Override
    public List<Store> stores() {
        return databases.copies().stream()
                .map(copy -> new Store(
                        copy.database() + "-" + copy.dataCenter().toLowerCase(),
                        "db",
                        copy.dataCenter(),
                        copy.role(),
                        copy.up()))
                .toList();
    }
}
