package io.membercenter.failover;

import io.membercenter.cache.MemberCache;
import io.membercenter.search.MemberSearch;
import io.membercenter.shard.ShardedDatabases;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * This instance's link to the topology record in ZooKeeper (through Curator): it follows the record (a
 * {@code CuratorCache} on one znode) and routes this instance's writes by it, refuses writes while it cannot be sure
 * of the current epoch (session suspended or lost), announces itself (an ephemeral node that also says up to which
 * held epoch it has no write in flight), takes part in the election of the failover leader ({@code LeaderLatch}), and
 * keeps the history of switches (persistent sequential nodes). Every record change is applied on one thread, in
 * epoch order; a record older than the one applied is ignored.
 */
final class Coordination implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Coordination.class);
    static final String NOT_SURE =
            "This instance cannot reach the coordination store, so it cannot be sure which database copy is master:"
                    + " writes are refused until it can.";

    private final FailoverProperties properties;
    private final ShardedDatabases databases;
    private final MemberSearch search;
    private final MemberCache memberCache;
    private final JsonMapper json;
    private final String dataCenter;
    private final String homeMaster;
    private final String instanceId;
    private final CuratorFramework client;
    private final ExecutorService applier = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("topology-record").factory());
    private CuratorCache cache;
    private PersistentNode announcement;
    private LeaderLatch latch;
    /** The record this instance routes by; only the applier thread writes it. */
    private volatile TopologyRecord applied;

    Coordination(
            FailoverProperties properties,
            ShardedDatabases databases,
            MemberSearch search,
            MemberCache cache,
            JsonMapper json,
            String dataCenter,
            String homeMaster) {
        this.properties = properties;
        this.databases = databases;
        this.search = search;
        this.memberCache = cache;
        this.json = json;
        this.dataCenter = dataCenter;
        this.homeMaster = homeMaster;
        this.instanceId = dataCenter + "-" + UUID.randomUUID();
        // Short, capped back-off: an instance that lost the ensemble refuses writes until it is back.
        this.client = newClient(properties, new ExponentialBackoffRetry(100, 29, 1_000));
    }

    private String recordPath() {
        return properties.root() + "/record";
    }

    private String instancesPath() {
        return properties.root() + "/instances";
    }

    private String historyPath() {
        return properties.root() + "/history";
    }

    /**
     * Connects, creates the record on the very first start (the configured master, epoch 1), routes by it and starts
     * following it. Until the record is read, writes are refused: an instance that starts during a partition must not
     * guess the master.
     */
    void start() {
        client.getConnectionStateListenable().addListener((c, state) -> stateChanged(state));
        client.start();
        try {
            if (client.blockUntilConnected(
                    (int) properties.connectionTimeout().toMillis() * 3, TimeUnit.MILLISECONDS)) {
                createRecordIfAbsent();
                // Before the service takes requests: it routes by the record from its first write on.
                applier.submit(this::reread).get();
            } else {
                databases.refuseWrites(NOT_SURE);
                log.warn("event=coordination_unreachable at=start writes=refused");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            databases.refuseWrites(NOT_SURE);
        } catch (java.util.concurrent.ExecutionException e) {
            databases.refuseWrites(NOT_SURE);
        }
        cache = CuratorCache.build(client, recordPath(), CuratorCache.Options.SINGLE_NODE_CACHE);
        cache.listenable()
                .addListener(CuratorCacheListener.builder()
                        .forCreatesAndChanges((before, node) -> {
                            TopologyRecord record = parse(node.getData());
                            applier.submit(() -> apply(record, false));
                        })
                        .build());
        cache.start();
        announcement = new PersistentNode(
                client, CreateMode.EPHEMERAL, false, instancesPath() + "/" + instanceId, announce(0));
        announcement.start();
        latch = new LeaderLatch(client, properties.root() + "/leader", instanceId);
        try {
            latch.start();
        } catch (Exception e) {
            throw new IllegalStateException("Could not join the failover leader election", e);
        }
        log.info("event=coordination_started instance={}", instanceId);
    }

    private void createRecordIfAbsent() {
        try {
            client.create()
                    .creatingParentsIfNeeded()
                    .forPath(recordPath(), bytes(new TopologyRecord(homeMaster, 1, false, null, null, null)));
            log.info("event=topology_record_created master={} epoch=1", homeMaster);
        } catch (KeeperException.NodeExistsException exists) {
            // another instance created it first: follow that one
        } catch (Exception e) {
            log.warn(
                    "event=topology_record_create_failed reason={}",
                    e.getClass().getSimpleName());
        }
    }

    private void stateChanged(ConnectionState state) {
        switch (state) {
            case SUSPENDED, LOST -> {
                // Not sure any more: another instance may be promoting a new master right now.
                databases.refuseWrites(NOT_SURE);
                log.warn("event=coordination_{} writes=refused", state.name().toLowerCase(java.util.Locale.ROOT));
            }
            case CONNECTED, RECONNECTED -> applier.submit(this::reread);
            default -> {}
        }
    }

    /** Reads the record afresh (after a sync, so not from a lagging server) and routes by it again. */
    private void reread() {
        try {
            sync();
            apply(parse(client.getData().forPath(recordPath())), true);
        } catch (Exception e) {
            log.warn(
                    "event=topology_record_unreadable reason={} writes=refused",
                    e.getClass().getSimpleName());
            databases.refuseWrites(NOT_SURE);
        }
    }

    /** On the applier thread only. {@code again}: the same epoch is applied too (writes reopen after a reconnect). */
    private void apply(TopologyRecord record, boolean again) {
        TopologyRecord current = applied;
        if (current != null && (record.epoch() < current.epoch() || (record.epoch() == current.epoch() && !again))) {
            return;
        }
        if (!client.getZookeeperClient().isConnected()) {
            return; // a cached event that arrives after the suspension: the reread on reconnect applies it
        }
        applied = record;
        databases.routeWritesTo(record.master());
        try {
            search.serveFrom(Optional.ofNullable(record.searchFrom()));
        } catch (IllegalArgumentException noClusterThere) {
            // This instance has no cluster there (search off, or another layout): it searches as configured.
            log.warn("event=search_failover_not_applied data_center={}", record.searchFrom());
        }
        try {
            memberCache.serveFrom(Optional.ofNullable(record.cacheFrom()));
        } catch (IllegalArgumentException noRedisThere) {
            log.warn("event=cache_failover_not_applied data_center={}", record.cacheFrom());
        }
        if (record.holding()) {
            databases.holdWrites(properties.writeHold());
            Thread.ofVirtual().name("write-drain-" + record.epoch()).start(() -> {
                if (databases.awaitWritesDrained(properties.writeHold())) {
                    setAnnouncement(announce(record.epoch()));
                }
            });
        } else {
            databases.openWrites();
        }
        log.info(
                "event=topology_record_applied master={} epoch={} holding={} stale={} search_from={} cache_from={}",
                record.master(),
                record.epoch(),
                record.holding(),
                record.stale(),
                record.searchFrom(),
                record.cacheFrom());
    }

    private void setAnnouncement(byte[] data) {
        try {
            announcement.setData(data);
        } catch (Exception e) {
            log.warn("event=announcement_failed reason={}", e.getClass().getSimpleName());
        }
    }

    private byte[] announce(long drainedEpoch) {
        return json.writeValueAsBytes(Map.of("dataCenter", dataCenter, "drained", drainedEpoch));
    }

    // ---- what the leader uses ----

    boolean isLeader() {
        return latch != null && latch.hasLeadership() && connected();
    }

    /** Connected to the ensemble now: what is asked of it will be answered, not retried until it returns. */
    boolean connected() {
        return client.getZookeeperClient().isConnected();
    }

    String instanceId() {
        return instanceId;
    }

    /** Who leads, as far as this instance can tell without waiting for a lost ensemble. */
    Optional<String> leaderId() {
        if (!connected()) return Optional.empty();
        try {
            return Optional.of(latch.getLeader().getId()).filter(id -> !id.isEmpty());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    Optional<TopologyRecord> followed() {
        return Optional.ofNullable(applied);
    }

    /** The record and its znode version, read after a sync. */
    record Versioned(TopologyRecord record, int version) {}

    Versioned read() throws Exception {
        sync();
        Stat stat = new Stat();
        byte[] data = client.getData().storingStatIn(stat).forPath(recordPath());
        return new Versioned(parse(data), stat.getVersion());
    }

    /** Replaces the record only if nobody changed it since {@code expectedVersion}; returns the new version. */
    int write(TopologyRecord next, int expectedVersion) throws Exception {
        return client.setData()
                .withVersion(expectedVersion)
                .forPath(recordPath(), bytes(next))
                .getVersion();
    }

    /** True once every announced instance has no write in flight under the held epoch. */
    boolean everyInstanceDrained(long epoch) throws Exception {
        for (String child : client.getChildren().forPath(instancesPath())) {
            byte[] data;
            try {
                data = client.getData().forPath(instancesPath() + "/" + child);
            } catch (KeeperException.NoNodeException gone) {
                continue; // that instance's session ended: it writes nothing any more
            }
            if (json.readTree(data).path("drained").asLong() < epoch) return false;
        }
        return true;
    }

    void appendHistory(SwitchEntry entry) {
        try {
            client.create()
                    .creatingParentsIfNeeded()
                    .withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                    .forPath(historyPath() + "/switch-", json.writeValueAsBytes(entry));
        } catch (Exception e) {
            log.warn("event=history_append_failed reason={}", e.getClass().getSimpleName());
        }
    }

    /** Newest first. */
    List<SwitchEntry> history() throws Exception {
        if (!connected()) throw new IllegalStateException("not connected to the coordination store");
        List<String> names;
        try {
            names = new ArrayList<>(client.getChildren().forPath(historyPath()));
        } catch (KeeperException.NoNodeException none) {
            return List.of();
        }
        names.sort(Comparator.reverseOrder());
        List<SwitchEntry> entries = new ArrayList<>();
        for (String name : names) {
            entries.add(json.readValue(client.getData().forPath(historyPath() + "/" + name), SwitchEntry.class));
        }
        return entries;
    }

    /**
     * Lets the server this client talks to catch up with the ensemble's leader, so the next read is not older than
     * the last write anyone saw acknowledged. Curator's sync runs only in the background: wait for its callback.
     */
    private void sync() throws Exception {
        sync(client, recordPath(), properties);
    }

    /** {@link #sync()} for any client of the ensemble ({@code RecordAtStart}'s too). */
    static void sync(CuratorFramework client, String path, FailoverProperties properties) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        client.sync().inBackground((c, event) -> done.countDown()).forPath(path);
        if (!done.await(properties.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("ZooKeeper did not sync in time");
        }
    }

    /** A client of the configured ensemble with its session and connection timeouts, not started. */
    static CuratorFramework newClient(FailoverProperties properties, RetryPolicy retry) {
        return CuratorFrameworkFactory.builder()
                .connectString(properties.zookeeperConnect())
                .sessionTimeoutMs((int) properties.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) properties.connectionTimeout().toMillis())
                .retryPolicy(retry)
                .build();
    }

    private TopologyRecord parse(byte[] data) {
        return json.readValue(data, TopologyRecord.class);
    }

    private byte[] bytes(TopologyRecord record) {
        return json.writeValueAsString(record).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        // Leaving the election and removing the announcement are calls to the ensemble, retried while it is away;
        // cut off, the session's end removes both anyway.
        if (connected()) {
            try {
                if (latch != null) latch.close();
            } catch (Exception e) {
                // closing anyway
            }
            try {
                if (announcement != null) announcement.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        if (cache != null) cache.close();
        applier.shutdownNow();
        client.close();
    }
}
