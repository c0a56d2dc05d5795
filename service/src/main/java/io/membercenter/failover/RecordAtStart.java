package io.membercenter.failover;

import io.membercenter.shard.ShardedDatabases;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The master the topology record names when this instance starts, read once, before the databases are routed and
 * migrated: an instance that starts while the record names B (A dead, or fenced and following) migrates and seeds
 * on B, not on a copy that refuses or never answers. {@link Coordination} cannot tell it that early: it routes the
 * databases, so it exists only after them. A short-lived client of its own, then, closed at once.
 *
 * <p>Not known (no record yet, the ensemble unreachable within the connection timeout): the configured master, as
 * before; {@link Coordination} then refuses writes until it has read the record. A switch in the milliseconds
 * between this read and {@link Coordination}'s leaves at worst a migration on the old master, which is read-only
 * after a switch: with no migration pending Flyway only reads, and with one pending the start fails loudly.
 */
final class RecordAtStart implements ShardedDatabases.MasterAtStart {

    private static final Logger log = LoggerFactory.getLogger(RecordAtStart.class);

    private final FailoverProperties properties;
    private final JsonMapper json;

    RecordAtStart(FailoverProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
    }

    @Override
    public Optional<String> dataCenter() {
        try (CuratorFramework client = Coordination.newClient(properties, new RetryOneTime(100))) {
            client.start();
            if (!client.blockUntilConnected((int) properties.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("event=topology_record_unknown_at_start reason=unreachable");
                return Optional.empty();
            }
            String path = properties.root() + "/record";
            Coordination.sync(client, path, properties);
            String master = json.readValue(client.getData().forPath(path), TopologyRecord.class)
                    .master();
            log.info("event=topology_record_read_at_start master={}", master);
            return Optional.of(master);
        } catch (KeeperException.NoNodeException firstStart) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            log.warn(
                    "event=topology_record_unknown_at_start reason={}",
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
    }
}
