package io.membercenter.shard;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * DOWN when a master cannot be reached (writes would fail); a replica that cannot be reached only
 * degrades reads, which fall back to the master, so it is reported but keeps the service UP.
 */
@Component("databases")
final class DatabaseHealthIndicator extends AbstractHealthIndicator {

    private final ShardedDatabases databases;

    DatabaseHealthIndicator(ShardedDatabases databases) {
        this.databases = databases;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean mastersUp = true;
        for (ShardedDatabases.CopyStatus copy : databases.copies()) {
            builder.withDetail(
                    copy.database() + "@" + copy.dataCenter() + "/" + copy.role(), copy.up() ? "UP" : "DOWN");
            mastersUp &= copy.up() || !copy.role().equals("master");
        }
        if (mastersUp) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
