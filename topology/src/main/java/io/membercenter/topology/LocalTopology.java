package io.membercenter.topology;

import static io.membercenter.topology.StoreKind.CACHE;
import static io.membercenter.topology.StoreKind.COORDINATION;
import static io.membercenter.topology.StoreKind.DB;
import static io.membercenter.topology.StoreKind.LEGACY;
import static io.membercenter.topology.StoreKind.MQ;
import static io.membercenter.topology.StoreKind.SEARCH;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local two-data-center topology: real servers, each a child process of this JVM.
 *
 * <p>Data center A holds the MariaDB master, data center B its replica; each data center has its own Redis;
 * one Kafka broker and three separate OpenSearch clusters (primary, backup, marketing) complete it. Which kinds
 * are started is up to {@link TopologyOptions#kinds()}, and a three-node ZooKeeper ensemble coordinates when asked
 * for. Stores are stopped, killed and started by name to play outages; a restarted store comes back on the same port
 * with the same data (Redis, a cache, comes back empty). With {@link TopologyOptions#dcLinks()} the data centers are
 * joined by links that add {@link TopologyOptions#dcRtt()} and can be cut or hung.
 */
public final class LocalTopology implements AutoCloseable {

    static final String MASTER = "mysql-a";
    static final String REPLICA = "mysql-b";
    static final String REDIS_A = "redis-a";
    static final String REDIS_B = "redis-b";
    static final String KAFKA = "kafka";
    static final String SEARCH_PRIMARY = "search-primary";
    static final String SEARCH_BACKUP = "search-backup";
    static final String SEARCH_MARKETING = "search-marketing";
    static final List<String> ZOOKEEPER_NODES = ZooKeeperEnsemble.NODES;
    /** The legacy member database the migration reads from (PostgreSQL); only when asked for. */
    static final String LEGACY_DB = "legacy-pg";

    static final List<String> DATA_CENTERS = List.of("A", "B");
    /**
     * How long the master waits for the replica's acknowledgement before it acknowledges alone and falls back to
     * asynchronous replication (see the package documentation). Long enough for a busy two-core machine, short enough
     * that the first write after the replica is lost waits no longer than a client's patience.
     */
    static final Duration SEMI_SYNC_TIMEOUT = Duration.ofSeconds(1);
    /** How long a fresh ensemble may take to elect its first leader. */
    private static final Duration ENSEMBLE_QUORUM = Duration.ofSeconds(60);

    /** Every store a topology can have, so a name whose kind was not started gets a precise answer. */
    private static final Map<String, StoreKind> ALL_STORES = allStores();
    /** Servers' ports, and the extra ones: Kafka's controller listener, OpenSearch's transport ports. */
    private static final Map<StoreKind, Integer> PORTS_PER_KIND =
            Map.of(DB, 2, CACHE, 2, MQ, 2, SEARCH, 6, COORDINATION, 9, LEGACY, 1);
    /** The kinds whose clients in the other data center go through a link; each of these kinds has two stores. */
    private static final Set<StoreKind> LINKED_KINDS = Set.of(DB, CACHE);

    private static final Logger log = LoggerFactory.getLogger(LocalTopology.class);
    private static final Duration INITIAL_CATCH_UP = Duration.ofSeconds(30);
    private static LocalTopology shared;

    private final WorkDir workDir;
    private final TopologyOptions options;
    private final Set<StoreKind> kinds;
    private final Map<String, ManagedServer> servers;
    /** By the store they lead to; each serves the clients of the data center the store is not in. */
    private final Map<String, DcLink> links;

    private final Optional<MariaDbReplication> replication;
    private final Optional<ZooKeeperEnsemble> ensemble;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private LocalTopology(WorkDir workDir, TopologyOptions options, Servers servers) {
        this.workDir = workDir;
        this.options = options;
        this.kinds = options.kinds();
        this.servers = Collections.unmodifiableMap(servers.byName());
        this.links = Collections.unmodifiableMap(servers.links());
        this.ensemble = servers.ensemble();
        this.replication = this.servers.get(MASTER) instanceof MariaDbServer master
                        && this.servers.get(REPLICA) instanceof MariaDbServer replica
                ? Optional.of(new MariaDbReplication(
                        master, replica, portFrom(replica.info().dataCenter(), MASTER)))
                : Optional.empty();
        this.shutdownHook = Thread.ofPlatform().name("local-topology-shutdown").unstarted(this::stopAll);
    }

    /** What {@link #createServers} made: the servers, the links in front of some, the ensemble if any. */
    private record Servers(
            Map<String, ManagedServer> byName, Map<String, DcLink> links, Optional<ZooKeeperEnsemble> ensemble) {}

    /** Starts the chosen kinds of store under workDir (wiped first); returns when every server is ready. */
    public static LocalTopology start(TopologyOptions options) {
        long startedAt = System.nanoTime();
        WorkDir workDir = new WorkDir(options.workDir());
        workDir.claimFresh();
        log.info("Starting local topology ({}) in {}", TopologyOptions.shortNames(options.kinds()), workDir.root());
        LocalTopology topology = new LocalTopology(workDir, options, createServers(options, workDir));
        Runtime.getRuntime().addShutdownHook(topology.shutdownHook);
        try {
            topology.startAll(options.databases());
        } catch (RuntimeException e) {
            topology.close();
            throw e;
        }
        log.info(
                "Local topology ready in {} ms: {}{}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt),
                topology.servers.keySet(),
                topology.links.isEmpty()
                        ? ""
                        : "; data centers " + options.dcRtt().toNanos() / 1e6 + " ms apart");
        return topology;
    }

    /**
     * One JVM-wide topology, started on first call, stopped by a shutdown hook. Tests and benchmarks share it.
     * Work dir: system property {@code membercenter.topology.dir}, else {@code ./target/local-topology}. Kinds:
     * system property {@code membercenter.topology.kinds} (e.g. {@code db,cache}), else all of them.
     */
    public static synchronized LocalTopology shared() {
        if (shared == null || shared.closed) {
            shared = start(TopologyOptions.fromSystemProperties());
        }
        return shared;
    }

    /** Current up/down state of every store this topology started. */
    public List<StoreInfo> stores() {
        return servers.values().stream().map(ManagedServer::info).toList();
    }

    /** The kinds of store this topology started. */
    public Set<StoreKind> kinds() {
        return kinds;
    }

    /** @throws IllegalArgumentException naming the started stores if {@code name} is not one of them */
    public StoreInfo store(String name) {
        return server(name).info();
    }

    /** The options it was started with. */
    public TopologyOptions options() {
        return options;
    }

    /**
     * Shuts the store's process down, gracefully (forced after 10 s; 30 s for Kafka and OpenSearch); its data stays.
     * Idempotent.
     */
    public void stop(String name) {
        server(name).stop();
    }

    /** SIGKILL, as a crash would: no clean shutdown; what the store acknowledged is on disk. Idempotent. */
    public void kill(String name) {
        server(name).kill();
    }

    /** Brings the store back on the same port with the same data; returns when it is ready. Idempotent. */
    public void start(String name) {
        requireOpen();
        server(name).start();
    }

    /**
     * Brings a database server back in the replica role, as an old master that crashed and was replaced must come
     * back: its crash recovery rolls back what it never had acknowledged instead of committing it (see
     * {@code MariaDbServer.startAsReplica}). It comes back read-only or not as it was configured; who fences it and
     * makes it follow the new master is the failover's business.
     */
    public void startAsReplica(String name) {
        requireOpen();
        server(name, MariaDbServer.class, "a database").startAsReplica();
    }

    /**
     * Hangs the store's process (SIGSTOP) without closing anything: clients connect and wait, nothing
     * answers. {@link #resume} (or {@link #stop}) ends it. Throws if the store is not running.
     */
    public void pause(String name) {
        server(name).pause();
    }

    /** Lets a paused store run again (SIGCONT); it answers what it was asked meanwhile. */
    public void resume(String name) {
        server(name).resume();
    }

    public boolean isUp(String name) {
        return server(name).isUp();
    }

    /** {@code jdbc:mariadb://127.0.0.1:PORT/DATABASE} */
    public String jdbcUrl(String storeName, String database) {
        return server(storeName, MariaDbServer.class, "a database").jdbcUrl(database);
    }

    /** {@code redis://127.0.0.1:PORT} of {@code redis-a} or {@code redis-b} */
    public String redisUri(String storeName) {
        return server(storeName, RedisServer.class, "a cache").uri();
    }

    /** {@code 127.0.0.1:PORT} of the Kafka broker, for {@code bootstrap.servers}. */
    public String kafkaBootstrap() {
        return server(KAFKA, KafkaServer.class, "a message broker").bootstrap();
    }

    /** {@code http://127.0.0.1:PORT} of {@code search-primary}, {@code search-backup} or {@code search-marketing} */
    public String searchUrl(String storeName) {
        return server(storeName, OpenSearchServer.class, "a search cluster").url();
    }

    /**
     * The port a client in {@code dataCenter} connects to for the store: the store's own in its own data center, or
     * that of the link in front of it for the other data center when the topology has links.
     */
    public int portFrom(String dataCenter, String storeName) {
        requireDataCenter(dataCenter);
        ManagedServer server = server(storeName);
        DcLink link = links.get(storeName);
        return link != null && !server.info().dataCenter().equals(dataCenter) ? link.port() : server.port();
    }

    /** {@link #jdbcUrl} as a client in {@code dataCenter} reaches it (see {@link #portFrom}). */
    public String jdbcUrlFrom(String dataCenter, String storeName, String database) {
        server(storeName, MariaDbServer.class, "a database");
        return "jdbc:mariadb://" + ManagedServer.HOST + ":" + portFrom(dataCenter, storeName) + "/"
                + (database == null ? "" : database);
    }

    /** {@link #redisUri} as a client in {@code dataCenter} reaches it (see {@link #portFrom}). */
    public String redisUriFrom(String dataCenter, String storeName) {
        server(storeName, RedisServer.class, "a cache");
        return "redis://" + ManagedServer.HOST + ":" + portFrom(dataCenter, storeName);
    }

    /** Every link between the data centers: those in front of each database and cache. No links, no effect. */
    public void setDcLinks(DcLinkState state) {
        links.values().forEach(link -> link.setState(state));
    }

    /** The link in front of one store (e.g. {@code mysql-a}: the replica's replication and B's clients of it). */
    public void setDcLink(String storeName, DcLinkState state) {
        server(storeName);
        DcLink link = links.get(storeName);
        if (link == null) {
            throw new IllegalArgumentException("No link between the data centers leads to " + storeName
                    + (links.isEmpty()
                            ? ": this topology has none (TopologyOptions.withDcRtt)"
                            : "; links lead to " + links.keySet()));
        }
        link.setState(state);
    }

    /**
     * {@code jdbc:postgresql://127.0.0.1:PORT/postgres?user=legacy} of the legacy member database (trust
     * authentication, the superuser of its own instance).
     */
    public String legacyJdbcUrl() {
        return server(LEGACY_DB, LegacyPostgresServer.class, "the legacy database")
                .jdbcUrl();
    }

    /** {@code host:port,...} of the ZooKeeper ensemble, ZooKeeper's connect string. */
    public String zooKeeperConnectString() {
        return ensemble.orElseThrow(() -> new IllegalArgumentException(
                        "This topology has no coordination ensemble; it started " + TopologyOptions.shortNames(kinds)
                                + " (add coordination to TopologyOptions.withKinds or " + TopologyOptions.KINDS_PROPERTY
                                + ")"))
                .connectString();
    }

    /**
     * Both databases' view of replication now: semi-synchronous or fallen back, and the GTID positions that say
     * whether {@code mysql-b} has every write {@code mysql-a} acknowledged. Both must be up.
     */
    public ReplicaSync replicaSync() {
        MariaDbReplication databases = replication.orElseThrow(() -> new IllegalStateException(
                "This topology has no databases; it started " + TopologyOptions.shortNames(kinds)));
        try {
            return databases.sync();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the replication state of " + MASTER + " and " + REPLICA, e);
        }
    }

    /** The service's own least-privilege user: no rights beyond its databases, cannot write on a replica. */
    public String appUser() {
        return MariaDbReplication.APP_USER;
    }

    public String appPassword() {
        return MariaDbReplication.APP_PASSWORD;
    }

    /**
     * The servers' administrator (root over TCP, no password: {@code --auth-root-authentication-method=normal}): what
     * a failover needs to fence, promote and re-point servers ({@code read_only}, {@code KILL}, {@code CHANGE MASTER}).
     */
    public String adminUser() {
        return "root";
    }

    public String adminPassword() {
        return "";
    }

    /** The user replicas connect to their master as (created on {@code mysql-a}, replicated everywhere). */
    public String replicationUser() {
        return MariaDbReplication.REPLICATION_USER;
    }

    public String replicationPassword() {
        return MariaDbReplication.REPLICATION_PASSWORD;
    }

    /** Returns once {@code mysql-b} has applied everything {@code mysql-a} wrote before this call (by GTID). */
    public void awaitReplicaCaughtUp(Duration timeout) {
        replication
                .orElseThrow(() -> new IllegalStateException(
                        "This topology has no databases; it started " + TopologyOptions.shortNames(kinds)))
                .awaitReplicaCaughtUp(timeout);
    }

    /** Stops every child process. The work dir and its data stay, for a look at the logs. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called from a shutdown hook: ours is running or about to, and stopping twice is harmless
        }
    }

    ManagedServer server(String name) {
        ManagedServer server = servers.get(name);
        if (server == null) {
            throw new IllegalArgumentException(whyNotHere(name) + "; stores in this topology: " + servers.keySet());
        }
        return server;
    }

    WorkDir workDir() {
        return workDir;
    }

    private <T extends ManagedServer> T server(String name, Class<T> type, String what) {
        ManagedServer server = server(name);
        if (!type.isInstance(server)) {
            throw new IllegalArgumentException(
                    name + " is a " + TopologyOptions.shortNames(Set.of(server.kind())) + " store, not " + what);
        }
        return type.cast(server);
    }

    private String whyNotHere(String name) {
        StoreKind kind = ALL_STORES.get(name);
        if (kind == null) {
            return "Unknown store '" + name + "'";
        }
        return "Store '" + name + "' is not started: it is a " + TopologyOptions.shortNames(Set.of(kind))
                + " store and this topology started " + TopologyOptions.shortNames(kinds)
                + " (TopologyOptions.withKinds, or " + TopologyOptions.KINDS_PROPERTY + " for shared())";
    }

    private static Servers createServers(TopologyOptions options, WorkDir workDir) {
        Set<StoreKind> kinds = options.kinds();
        int linkPorts = options.dcLinks()
                ? (int) kinds.stream().filter(LINKED_KINDS::contains).count() * 2
                : 0;
        Iterator<Integer> ports = FreePorts.take(
                        kinds.stream().mapToInt(PORTS_PER_KIND::get).sum() + linkPorts)
                .iterator();
        Map<String, ManagedServer> servers = new LinkedHashMap<>();
        if (kinds.contains(DB)) {
            addMariaDbPair(servers, workDir, ports);
        }
        if (kinds.contains(CACHE)) {
            addRedisPair(servers, workDir, ports);
        }
        if (kinds.contains(MQ)) {
            servers.put(
                    KAFKA,
                    new KafkaServer(
                            KAFKA,
                            "A",
                            ports.next(),
                            ports.next(),
                            workDir.storeDir(KAFKA),
                            ChildClasspath.load("kafka")));
        }
        if (kinds.contains(SEARCH)) {
            addSearchClusters(servers, workDir, ports);
        }
        Optional<ZooKeeperEnsemble> ensemble = Optional.empty();
        if (kinds.contains(COORDINATION)) {
            ZooKeeperEnsemble zooKeeper = new ZooKeeperEnsemble(workDir, ports, ChildClasspath.load("zookeeper"));
            zooKeeper.servers().forEach(node -> servers.put(node.name(), node));
            ensemble = Optional.of(zooKeeper);
        }
        if (kinds.contains(LEGACY)) {
            PostgresBinaries binaries = PostgresBinaries.locate();
            log.info("PostgreSQL from {}", binaries.bin());
            servers.put(
                    LEGACY_DB,
                    new LegacyPostgresServer(LEGACY_DB, ports.next(), workDir.storeDir(LEGACY_DB), binaries));
        }
        Map<String, DcLink> links = new LinkedHashMap<>();
        if (options.dcLinks()) {
            for (ManagedServer server : servers.values()) {
                if (LINKED_KINDS.contains(server.kind())) {
                    String from = otherDataCenter(server.info().dataCenter());
                    links.put(
                            server.name(),
                            new DcLink(server.name() + " from " + from, ports.next(), server.port(), options.dcRtt()));
                }
            }
        }
        return new Servers(servers, links, ensemble);
    }

    private static String otherDataCenter(String dataCenter) {
        return DATA_CENTERS.get(0).equals(dataCenter) ? DATA_CENTERS.get(1) : DATA_CENTERS.get(0);
    }

    private static void requireDataCenter(String dataCenter) {
        if (!DATA_CENTERS.contains(dataCenter)) {
            throw new IllegalArgumentException(
                    "Unknown data center '" + dataCenter + "'; the service runs in " + DATA_CENTERS);
        }
    }

    private static void addMariaDbPair(Map<String, ManagedServer> servers, WorkDir workDir, Iterator<Integer> ports) {
        MariaDbBinaries binaries = MariaDbBinaries.locate();
        log.info("MariaDB from {}", binaries.server());
        servers.put(
                MASTER,
                new MariaDbServer(
                        MASTER,
                        "A",
                        "master",
                        ports.next(),
                        workDir.storeDir(MASTER),
                        binaries,
                        1,
                        false,
                        SEMI_SYNC_TIMEOUT));
        servers.put(
                REPLICA,
                new MariaDbServer(
                        REPLICA,
                        "B",
                        "replica",
                        ports.next(),
                        workDir.storeDir(REPLICA),
                        binaries,
                        2,
                        true,
                        SEMI_SYNC_TIMEOUT));
    }

    private static void addRedisPair(Map<String, ManagedServer> servers, WorkDir workDir, Iterator<Integer> ports) {
        RedisBinary binary = RedisBinary.locate();
        log.info("Redis from {}", binary.server());
        servers.put(REDIS_A, new RedisServer(REDIS_A, "A", ports.next(), workDir.storeDir(REDIS_A), binary));
        servers.put(REDIS_B, new RedisServer(REDIS_B, "B", ports.next(), workDir.storeDir(REDIS_B), binary));
    }

    private static void addSearchClusters(
            Map<String, ManagedServer> servers, WorkDir workDir, Iterator<Integer> ports) {
        ChildClasspath classpath = ChildClasspath.load("opensearch").withFirst(OpenSearchNodeJar.ensure());
        servers.put(
                SEARCH_PRIMARY,
                new OpenSearchServer(
                        SEARCH_PRIMARY,
                        "A",
                        "primary",
                        ports.next(),
                        ports.next(),
                        workDir.storeDir(SEARCH_PRIMARY),
                        classpath));
        servers.put(
                SEARCH_BACKUP,
                new OpenSearchServer(
                        SEARCH_BACKUP,
                        "B",
                        "backup",
                        ports.next(),
                        ports.next(),
                        workDir.storeDir(SEARCH_BACKUP),
                        classpath));
        servers.put(
                SEARCH_MARKETING,
                new OpenSearchServer(
                        SEARCH_MARKETING,
                        "A",
                        "marketing",
                        ports.next(),
                        ports.next(),
                        workDir.storeDir(SEARCH_MARKETING),
                        classpath));
    }

    private static Map<String, StoreKind> allStores() {
        Map<String, StoreKind> stores = new LinkedHashMap<>();
        List.of(MASTER, REPLICA).forEach(name -> stores.put(name, DB));
        List.of(REDIS_A, REDIS_B).forEach(name -> stores.put(name, CACHE));
        stores.put(KAFKA, MQ);
        List.of(SEARCH_PRIMARY, SEARCH_BACKUP, SEARCH_MARKETING).forEach(name -> stores.put(name, SEARCH));
        ZOOKEEPER_NODES.forEach(name -> stores.put(name, COORDINATION));
        stores.put(LEGACY_DB, LEGACY);
        return Collections.unmodifiableMap(stores);
    }

    /**
     * Every server starts at once, and replication is set up as soon as both databases are up, while the slower
     * JVM-based stores are still starting: on two cores the whole topology is ready in about the time of its slowest
     * member. The first failure stops the other starts instead of waiting for them.
     */
    private void startAll(List<String> databases) {
        links.values().forEach(DcLink::open);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletionService<Void> starts = new ExecutorCompletionService<>(executor);
            Map<String, Future<Void>> byName = new LinkedHashMap<>();
            servers.forEach((name, server) -> byName.put(name, starts.submit(server::start, null)));
            int tasks = byName.size();
            if (replication.isPresent()) {
                starts.submit(setUpReplication(replication.get(), byName.get(MASTER), byName.get(REPLICA), databases));
                tasks++;
            }
            if (ensemble.isPresent()) {
                starts.submit(awaitQuorum(ensemble.get(), byName));
                tasks++;
            }
            awaitAll(starts, tasks, executor);
        }
    }

    private static Callable<Void> setUpReplication(
            MariaDbReplication replication, Future<Void> master, Future<Void> replica, List<String> databases) {
        return () -> {
            awaitStarted(master);
            awaitStarted(replica);
            replication.setUp(databases);
            replication.awaitReplicaCaughtUp(INITIAL_CATCH_UP);
            replication.enableSemiSync();
            return null;
        };
    }

    /** A node started before its peers is ready once it answers; the ensemble is ready once every node serves. */
    private static Callable<Void> awaitQuorum(ZooKeeperEnsemble ensemble, Map<String, Future<Void>> starts) {
        return () -> {
            for (ZooKeeperServer node : ensemble.servers()) {
                awaitStarted(starts.get(node.name()));
            }
            long deadline = System.nanoTime() + ENSEMBLE_QUORUM.toNanos();
            List<String> notServing = new ArrayList<>(ZOOKEEPER_NODES);
            while (!notServing.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ZooKeeper nodes " + notServing + " did not join a quorum within "
                            + ENSEMBLE_QUORUM + "; see their zookeeper.log");
                }
                Thread.sleep(50);
                notServing.removeIf(name ->
                        ensemble.servers().stream().anyMatch(node -> node.name().equals(name) && node.isServing()));
            }
            return null;
        };
    }

    private static void awaitAll(CompletionService<Void> starts, int tasks, ExecutorService executor) {
        try {
            for (int i = 0; i < tasks; i++) {
                awaitStarted(starts.take());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
            throw new IllegalStateException("Interrupted while starting the topology", e);
        } catch (RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
    }

    private static void awaitStarted(Future<?> start) {
        try {
            start.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the topology", e);
        }
    }

    /** All at once: a JVM-based store takes a second or two to shut down cleanly, and they need not queue. */
    private void stopAll() {
        closed = true;
        ThreadFactory stoppers = Thread.ofPlatform().name("stop-", 0).factory();
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(stoppers)) {
            for (ManagedServer server : servers.values()) {
                executor.submit(() -> stopQuietly(server));
            }
        }
        links.values().forEach(DcLink::close);
    }

    private static void stopQuietly(ManagedServer server) {
        try {
            server.stop();
        } catch (RuntimeException e) {
            log.warn("Could not stop {}", server.name(), e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("This topology is closed; start a new one");
        }
    }
}
