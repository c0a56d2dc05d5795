package io.membercenter.topology;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The local two-data-center topology: real servers, each a child process of this JVM.
 *
 * <p>Data center A holds the master, data center B its replica. Stores are stopped and started by name
 * to play outages; a restarted store comes back on the same port with the same data.
 */
public final class LocalTopology implements AutoCloseable {

    static final String MASTER = "mysql-a";
    static final String REPLICA = "mysql-b";

    private static final Logger log = LoggerFactory.getLogger(LocalTopology.class);
    private static final Duration INITIAL_CATCH_UP = Duration.ofSeconds(30);
    private static LocalTopology shared;

    private final WorkDir workDir;
    private final Map<String, ManagedServer> servers;
    private final MariaDbReplication replication;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private LocalTopology(WorkDir workDir, Map<String, ManagedServer> servers, MariaDbReplication replication) {
        this.workDir = workDir;
        this.servers = Collections.unmodifiableMap(servers);
        this.replication = replication;
        this.shutdownHook = Thread.ofPlatform().name("local-topology-shutdown").unstarted(this::stopAll);
    }

    /** Starts everything under workDir (wiped first); returns when every server is ready. */
    public static LocalTopology start(TopologyOptions options) {
        WorkDir workDir = new WorkDir(options.workDir());
        workDir.claimFresh();
        MariaDbBinaries binaries = MariaDbBinaries.locate();
        log.info("Starting local topology in {} with MariaDB from {}", workDir.root(), binaries.server());
        List<Integer> ports = FreePorts.take(2);
        MariaDbServer master = new MariaDbServer(MASTER, "A", "master", ports.get(0),
                workDir.storeDir(MASTER), binaries, 1, false);
        MariaDbServer replica = new MariaDbServer(REPLICA, "B", "replica", ports.get(1),
                workDir.storeDir(REPLICA), binaries, 2, true);
        Map<String, ManagedServer> servers = new LinkedHashMap<>();
        servers.put(MASTER, master);
        servers.put(REPLICA, replica);
        LocalTopology topology = new LocalTopology(workDir, servers, new MariaDbReplication(master, replica));
        Runtime.getRuntime().addShutdownHook(topology.shutdownHook);
        try {
            topology.startAll();
            topology.replication.setUp(options.databases());
            topology.replication.awaitReplicaCaughtUp(INITIAL_CATCH_UP);
        } catch (RuntimeException e) {
            topology.close();
            throw e;
        }
        return topology;
    }

    /**
     * One JVM-wide topology, started on first call, stopped by a shutdown hook. Tests and benchmarks share it.
     * Work dir: system property {@code membercenter.topology.dir}, else {@code ./target/local-topology}.
     */
    public static synchronized LocalTopology shared() {
        if (shared == null || shared.closed) {
            shared = start(TopologyOptions.defaults());
        }
        return shared;
    }

    /** Current up/down state of every store. */
    public List<StoreInfo> stores() {
        return servers.values().stream().map(ManagedServer::info).toList();
    }

    /** @throws IllegalArgumentException naming the known stores if {@code name} is not one of them */
    public StoreInfo store(String name) {
        return server(name).info();
    }

    /** Shuts the store's process down (gracefully, forced after 10 s); its data stays. Idempotent. */
    public void stop(String name) {
        server(name).stop();
    }

    /** Brings the store back on the same port with the same data; returns when it is ready. Idempotent. */
    public void start(String name) {
        requireOpen();
        server(name).start();
    }

    public boolean isUp(String name) {
        return server(name).isUp();
    }

    /** {@code jdbc:mariadb://127.0.0.1:PORT/DATABASE} */
    public String jdbcUrl(String storeName, String database) {
        ManagedServer server = server(storeName);
        if (!(server instanceof MariaDbServer mariaDb)) {
            throw new IllegalArgumentException(storeName + " is a " + server.kind() + " store, not a database");
        }
        return mariaDb.jdbcUrl(database);
    }

    /** The service's own least-privilege user: no rights beyond its databases, cannot write on a replica. */
    public String appUser() {
        return MariaDbReplication.APP_USER;
    }

    public String appPassword() {
        return MariaDbReplication.APP_PASSWORD;
    }

    /** Returns once {@code mysql-b} has applied everything {@code mysql-a} wrote before this call (by GTID). */
    public void awaitReplicaCaughtUp(Duration timeout) {
        replication.awaitReplicaCaughtUp(timeout);
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
            throw new IllegalArgumentException("Unknown store '" + name + "'; known stores: " + servers.keySet());
        }
        return server;
    }

    WorkDir workDir() {
        return workDir;
    }

    /** Servers start in parallel: on two cores that halves the start of a fresh topology. */
    private void startAll() {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> starts = new ArrayList<>();
            for (ManagedServer server : servers.values()) {
                starts.add(executor.submit(server::start));
            }
            for (Future<?> start : starts) {
                awaitStarted(start);
            }
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

    private void stopAll() {
        closed = true;
        List<ManagedServer> reversed = new ArrayList<>(servers.values());
        Collections.reverse(reversed);
        for (ManagedServer server : reversed) {
            try {
                server.stop();
            } catch (RuntimeException e) {
                log.warn("Could not stop {}", server.name(), e);
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("This topology is closed; start a new one");
        }
    }
}
