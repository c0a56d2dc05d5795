package io.membercenter.replication;

import io.membercenter.api.StoreUnavailableException;
import io.membercenter.shard.ShardedDatabases;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * How far change capture is behind: the age of the oldest committed change not yet in Kafka,
 * over all physical databases. Readers of search need it: a change that is not in Kafka yet is
 * invisible to every indexer's own lag.
 */
public final class OutboxLag {

    private final ShardedDatabases databases;
    private final Clock clock;
    private volatile long oldestUnsentMillis;
    private volatile boolean known;

    OutboxLag(ShardedDatabases databases, Clock clock) {
        this.databases = databases;
        this.clock = clock;
    }

    /** Seconds the oldest unsent change has waited; infinite when the outbox cannot be read. */
    public double seconds() {
        if (!known) return Double.POSITIVE_INFINITY;
        long oldest = oldestUnsentMillis;
        return oldest == 0 ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
    }

    @Scheduled(fixedDelay = 200)
    void measure() {
        long oldest = 0;
        try {
            for (String database : databases.databaseNames()) {
                long unsent = databases.onMaster(database, c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT MIN(created_at) FROM member_outbox WHERE sent_at IS NULL");
                            ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : 0L;
                    }
                });
                if (unsent > 0) oldest = oldest == 0 ? unsent : Math.min(oldest, unsent);
            }
            oldestUnsentMillis = oldest;
            known = true;
        } catch (StoreUnavailableException e) {
            known = false;
        }
    }
}
