package io.membercenter.shard;

import com.zaxxer.hikari.HikariDataSource;
import io.membercenter.api.StoreUnavailableException;
import io.membercenter.degradation.BreakerState;
import io.membercenter.degradation.Breakers;
import io.membercenter.degradation.DependencyUnavailableException;
import io.membercenter.degradation.TrafficBulkhead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pools to every copy of every physical database, and the three ways member-center
 * talks to them: a statement on the master, a transaction on the master, a read on the local copy.
 */
public final class ShardedDatabases implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShardedDatabases.class);
    private static final int DEADLOCK_ATTEMPTS = 5;

    /** A unit of JDBC work; SQL exceptions are translated in one place here. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Where the masters are when this instance starts, if someone other than the configuration knows (the failover
     * capability's topology record): the schema migration and the first writes at start (seeded callers) go there.
     * An instance that starts in B while A's copies are dead or fenced would otherwise fail to start.
     */
    @FunctionalInterface
    public interface MasterAtStart {
        /** The data center whose copies are master now; empty: not known, the configured master. */
        Optional<String> dataCenter();
    }

    /** One copy of a physical database this service talks to, and whether it answers now. */
    public record CopyStatus(String database, String dataCenter, String role, boolean up) {}

    /**
     * What a read returned and which data center's copy answered it; {@code mayBeStale} when that copy
     * is a replica that is not known to have applied every acknowledged write (the other data center's,
     * read because this one's could not answer).
     */
    public record Read<T>(T value, String dataCenter, boolean mayBeStale) {

        public Read(T value, String dataCenter) {
            this(value, dataCenter, false);
        }
    }

    private final ShardMap shardMap;
    private final Map<String, PhysicalDatabase> databases = new LinkedHashMap<>();
    private final WriteGate writes = new WriteGate();
    private final int readTimeoutMillis;
    /** Renews pools that lost their server once it answers again ({@link Pool#reviveIfLost}). */
    private final ScheduledExecutorService poolReviver = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("pool-reviver").factory());

    public ShardedDatabases(ShardProperties properties, Breakers breakers) {
        this.shardMap = new ShardMap(properties);
        this.readTimeoutMillis = (int) properties.readTimeout().toMillis();
        for (ShardProperties.PhysicalDatabase db : properties.databases()) {
            databases.put(db.name(), new PhysicalDatabase(db, properties, breakers));
        }
        poolReviver.scheduleWithFixedDelay(this::reviveLostPools, 200, 200, TimeUnit.MILLISECONDS);
    }

    private void reviveLostPools() {
        for (PhysicalDatabase db : databases.values()) {
            db.pools().forEach(Pool::reviveIfLost);
        }
    }

    public ShardMap shardMap() {
        return shardMap;
    }

    /** Where the masters are; every physical database's master lives in the same data center. */
    public String masterDataCenter() {
        return databases.values().iterator().next().masterDataCenter;
    }

    /**
     * Moves every physical database's writes to its copy in {@code dataCenter} (the failover capability, on a new
     * epoch of the topology record); reads of this service's own copy go on, now as a replica or as the master.
     * The copy there becomes the master pool at once: the caller has made sure the server is the master.
     */
    public void routeWritesTo(String dataCenter) {
        for (PhysicalDatabase db : databases.values()) {
            if (!db.copies.containsKey(dataCenter)) {
                throw new IllegalArgumentException("database " + db.name + " has no copy in data center " + dataCenter);
            }
        }
        for (PhysicalDatabase db : databases.values()) {
            db.makeMaster(dataCenter);
        }
        log.info("event=writes_routed master_data_center={}", dataCenter);
    }

    /**
     * Holds new writes (each waits at most {@code bound} from its arrival, then 503); writes already in flight go
     * on. {@link #awaitWritesDrained} says when none is left; {@link #openWrites} lets the held ones go.
     */
    public void holdWrites(Duration bound) {
        writes.hold(bound);
    }

    /** True once no write of this instance is in flight on any master. */
    public boolean awaitWritesDrained(Duration timeout) {
        return writes.awaitDrained(timeout);
    }

    /** Refuses every write with 503 + Retry-After (reads go on): this instance cannot be sure which copy is master. */
    public void refuseWrites(String reason) {
        writes.refuse(reason);
    }

    public void openWrites() {
        writes.open();
    }

    /** Whether writes pass now: {@code open}, {@code held} or {@code refused}. */
    public String writeState() {
        return writes.state().name().toLowerCase(java.util.Locale.ROOT);
    }

    public Collection<String> databaseNames() {
        return List.copyOf(databases.keySet());
    }

    /** Applies the versioned schema migrations to the master of every physical database. */
    public void migrate() {
        for (PhysicalDatabase db : databases.values()) {
            Flyway.configure()
                    .dataSource(db.master().dataSource())
                    .locations("classpath:db/member")
                    .load()
                    .migrate();
            log.info("event=schema_migrated database={}", db.name);
        }
    }

    /** One auto-committed unit of work on the master of the shard's database. */
    public <T> T onMaster(int shard, SqlWork<T> work) {
        return onMaster(databaseOf(shard), work);
    }

    /** One auto-committed unit of work on the master of a physical database (sweepers scan per database). */
    public <T> T onMaster(String database, SqlWork<T> work) {
        try (WriteGate.Permit write = writes.enter()) {
            return run(databases.get(database).master(), database, work);
        }
    }

    /**
     * A transaction on the master: committed when work returns, rolled back when it throws. A
     * transaction chosen as a deadlock victim (SQLState 40001) rolled back entirely, so it is run
     * again, a few times, before the caller sees a 503.
     */
    public <T> T inTransaction(int shard, SqlWork<T> work) {
        return inTransaction(databaseOf(shard), work);
    }

    /** {@link #inTransaction(int, SqlWork)} on the master of a physical database (bulk writes group by database). */
    public <T> T inTransaction(String database, SqlWork<T> work) {
        return retryingDeadlockVictims(() -> onMaster(database, connection -> transaction(connection, work)));
    }

    /**
     * {@link #inTransaction(String, SqlWork)} for bulk work (the population load, migration batches): only the
     * borrow goes through the server's breaker. A batch of thousands of rows is slow by design, and timed as
     * one call it counted as a slow answer of a healthy server: the bench's 100,000-member load opened
     * mysql-a's breaker and failed half-way.
     */
    public <T> T inBulkTransaction(String database, SqlWork<T> work) {
        try (WriteGate.Permit write = writes.enter()) {
            return retryingDeadlockVictims(() -> session(database, connection -> transaction(connection, work)));
        }
    }

    /** A transaction chosen as a deadlock victim (SQLState 40001) rolled back entirely: run it again, a few times. */
    private static <T> T retryingDeadlockVictims(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (StoreUnavailableException e) {
                if (attempt >= DEADLOCK_ATTEMPTS
                        || !(e.getCause() instanceof SQLException sql)
                        || !"40001".equals(sql.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    private static <T> T transaction(Connection connection, SqlWork<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * A read on the copy in this service's data center; when that copy is a replica that is behind
     * an acknowledged write, or cannot be reached, the master answers instead; when the master cannot
     * answer either (down, hung, its breaker open), a replica in another data center does, and the read
     * says it may be stale.
     */
    public <T> Read<T> readLocal(int shard, SqlWork<T> work) {
        return readLocal(databaseOf(shard), work);
    }

    /** {@link #readLocal(int, SqlWork)} on a physical database (batch reads group by database). */
    public <T> Read<T> readLocal(String database, SqlWork<T> work) {
        PhysicalDatabase db = databases.get(database);
        Pool localReplica = db.localReplica();
        if (localReplica != null && db.localReplicaCaughtUp()) {
            try {
                return new Read<>(read(localReplica, db.name, work), db.localDataCenter);
            } catch (StoreUnavailableException e) {
                if (!(e.getCause() instanceof DependencyUnavailableException)) {
                    log.warn("event=local_replica_unreachable database={} fallback=master", db.name);
                }
            }
        }
        String masterDataCenter = db.masterDataCenter;
        try {
            return new Read<>(read(db.copies.get(masterDataCenter), db.name, work), masterDataCenter);
        } catch (StoreUnavailableException masterUnavailable) {
            for (RemoteReplica replica : db.remoteReplicas()) {
                try {
                    return new Read<>(read(replica.pool(), db.name, work), replica.dataCenter(), true);
                } catch (StoreUnavailableException e) {
                    // the next copy, else the master's failure
                }
            }
            throw masterUnavailable;
        }
    }

    /**
     * Waits until the local replicas of the given databases have applied everything their masters
     * have written so far. Called before a write is acknowledged, so that local reads that follow
     * see it. A replica that does not catch up in time is read around until it does.
     */
    public void awaitLocalCopies(Collection<String> touchedDatabases) {
        // Part of the write: it reads the master's position, so a switch must not fence that master meanwhile.
        try (WriteGate.Permit write = writes.enter()) {
            awaitLocalCopiesOf(touchedDatabases);
        }
    }

    private void awaitLocalCopiesOf(Collection<String> touchedDatabases) {
        for (String name : touchedDatabases) {
            PhysicalDatabase db = databases.get(name);
            if (db.localReplica() != null) {
                db.awaitReplica();
            }
        }
    }

    /** Probes every pool: the master of each database and, where reads go to one, the local replica. */
    public List<CopyStatus> copies() {
        List<CopyStatus> copies = new ArrayList<>();
        for (PhysicalDatabase db : databases.values()) {
            copies.add(new CopyStatus(
                    db.name, db.masterDataCenter, "master", answers(db.master().dataSource())));
            Pool localReplica = db.localReplica();
            if (localReplica != null) {
                copies.add(new CopyStatus(db.name, db.localDataCenter, "replica", answers(localReplica.dataSource())));
            }
        }
        return copies;
    }

    /** A dead pooled connection says nothing about the server: evict and ask a fresh one once. */
    private static boolean answers(HikariDataSource pool) {
        if (validConnection(pool)) {
            return true;
        }
        pool.getHikariPoolMXBean().softEvictConnections();
        return validConnection(pool);
    }

    private static boolean validConnection(HikariDataSource pool) {
        try (Connection connection = pool.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    public String databaseOf(int shard) {
        return shardMap.databaseOf(shard);
    }

    /**
     * The lowest layer: the traffic class's share of the pool, then the server's breaker (open: a 503
     * at once, no pool wait, no network), then the connection and the work.
     */
    private static <T> T run(Pool pool, String database, SqlWork<T> work) {
        try (TrafficBulkhead.Permit share = pool.bulkhead().enter()) {
            return pool.breaker()
                    .call(
                            () -> {
                                try (Connection connection = pool.borrow()) {
                                    return work.run(connection);
                                }
                            },
                            ShardedDatabases::isServerFailure);
        } catch (DependencyUnavailableException e) {
            throw new StoreUnavailableException("The member database is unavailable.", e);
        } catch (SQLException e) {
            throw failure(pool, database, e);
        }
    }

    /**
     * A long-lived session on the master: the relay's leadership, a named lock held on one connection for as
     * long as it leads. Only the borrow goes through the server's breaker. A session is not one call: as a
     * breaker call it held the breaker's entry for its whole life, and when that entry was the half-open
     * probe the breaker stayed half-open — every write refused — for as long as the relay led
     * ({@code MasterBreakerTest}, the hung master).
     */
    public <T> T onMasterSession(String database, SqlWork<T> work) {
        writes.requireOpen();
        return session(database, work);
    }

    private <T> T session(String database, SqlWork<T> work) {
        Pool pool = databases.get(database).master();
        try (TrafficBulkhead.Permit share = pool.bulkhead().enter();
                Connection connection = pool.breaker().call(pool::borrow, ShardedDatabases::isServerFailure)) {
            return work.run(connection);
        } catch (DependencyUnavailableException e) {
            throw new StoreUnavailableException("The member database is unavailable.", e);
        } catch (SQLException e) {
            throw failure(pool, database, e);
        }
    }

    private static StoreUnavailableException failure(Pool pool, String database, SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return new StoreUnavailableException("The member database is unavailable.", e);
        }
        if (isConnectionLost(e)) {
            // A lost connection means the server went away: its idle siblings are dead too.
            pool.dataSource().getHikariPoolMXBean().softEvictConnections();
        }
        log.warn("event=sql_failure database={} sqlState={} code={}", database, e.getSQLState(), e.getErrorCode());
        return new StoreUnavailableException("The member database could not complete the request.", e);
    }

    /** What says the server is unwell (counted by its breaker), not that a statement was refused. */
    private static boolean isServerFailure(Throwable e) {
        return e instanceof SQLTransientConnectionException
                || e instanceof SQLTimeoutException
                || (e instanceof SQLException sql && isConnectionLost(sql));
    }

    /**
     * Reads are idempotent: one retry on a fresh connection hides a server restart from callers — but not a read
     * that timed out: that server hangs, and the next copy is asked instead. Each read waits at most
     * {@code read-timeout} for its answer (the connection's network timeout; HikariCP restores the pool's own when
     * the connection is returned).
     */
    private <T> T read(Pool pool, String database, SqlWork<T> work) {
        SqlWork<T> bounded = connection -> {
            connection.setNetworkTimeout(Runnable::run, readTimeoutMillis);
            return work.run(connection);
        };
        try {
            return run(pool, database, bounded);
        } catch (StoreUnavailableException e) {
            if (e.getCause() instanceof SQLException sql && isConnectionLost(sql) && !timedOut(sql)) {
                return run(pool, database, bounded);
            }
            throw e;
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTimeoutException || t instanceof java.net.SocketTimeoutException) return true;
        }
        return false;
    }

    private static boolean isConnectionLost(SQLException e) {
        return e instanceof java.sql.SQLNonTransientConnectionException
                || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
    }

    @Override
    public void close() {
        poolReviver.shutdownNow();
        databases.values().forEach(PhysicalDatabase::close);
    }

    /** A replica in another data center: read only when neither the local copy nor the master can answer. */
    private record RemoteReplica(Pool pool, String dataCenter) {}

    /**
     * The pools of one physical database, one per copy (by data center), which of them is the master now, and the
     * catch-up state of the local copy while it is a replica.
     */
    private static final class PhysicalDatabase {
        private final String name;
        private final Map<String, Pool> copies = new LinkedHashMap<>();
        private volatile String masterDataCenter;
        private final String localDataCenter;
        private final long replicaWaitSeconds;
        private volatile String replicaMustReach;

        PhysicalDatabase(ShardProperties.PhysicalDatabase db, ShardProperties properties, Breakers breakers) {
            this.name = db.name();
            for (ShardProperties.Copy copy : db.copies()) {
                copies.put(
                        copy.dataCenter(),
                        Pool.of(
                                db.name() + "-" + copy.dataCenter(),
                                copy.url(),
                                copy.storeOf(db.name()),
                                properties,
                                breakers));
            }
            this.masterDataCenter = db.master().dataCenter();
            this.localDataCenter =
                    copies.containsKey(properties.dataCenter()) ? properties.dataCenter() : masterDataCenter;
            this.replicaWaitSeconds =
                    Math.max(1, properties.replicaWaitTimeout().toSeconds());
        }

        Pool master() {
            return copies.get(masterDataCenter);
        }

        /** The copy in this service's data center while it is a replica; null while it is the master. */
        Pool localReplica() {
            return localDataCenter.equals(masterDataCenter) ? null : copies.get(localDataCenter);
        }

        /** Replicas in other data centers: read only when neither the local copy nor the master can answer. */
        List<RemoteReplica> remoteReplicas() {
            List<RemoteReplica> remote = new ArrayList<>();
            copies.forEach((dc, pool) -> {
                if (!dc.equals(masterDataCenter) && !dc.equals(localDataCenter)) {
                    remote.add(new RemoteReplica(pool, dc));
                }
            });
            return remote;
        }

        void makeMaster(String dataCenter) {
            if (dataCenter.equals(masterDataCenter)) return;
            copies.get(dataCenter).freshenForWrites();
            // A switch happens only once the new master has every write of the old one, so the local copy, whichever
            // role it takes now, holds every acknowledged write: nothing for it to catch up to yet.
            masterDataCenter = dataCenter;
            replicaMustReach = null;
        }

        boolean localReplicaCaughtUp() {
            String target = replicaMustReach;
            if (target == null) {
                return true;
            }
            if (gtidWait(target, 0)) {
                replicaMustReach = null;
                log.info("event=local_replica_caught_up database={}", name);
                return true;
            }
            return false;
        }

        void awaitReplica() {
            Pool localReplica = localReplica();
            if (localReplica == null) return;
            String position = run(master(), name, c -> queryString(c, "SELECT @@gtid_binlog_pos"));
            if (position == null || position.isBlank()) {
                return;
            }
            // A replica whose breaker is not closed is not waited for (no write waits on a hung server):
            // reads of this database go to the master until it has caught up.
            if (localReplica.breaker().state() != BreakerState.CLOSED || !gtidWait(position, replicaWaitSeconds)) {
                replicaMustReach = position;
                log.warn("event=local_replica_behind database={} reads=master", name);
            }
        }

        private boolean gtidWait(String position, long timeoutSeconds) {
            Pool localReplica = localReplica();
            if (localReplica == null) return true;
            try (Connection c = localReplica.borrow();
                    PreparedStatement ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
                ps.setString(1, position);
                ps.setLong(2, timeoutSeconds);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getInt(1) == 0;
                }
            } catch (SQLException e) {
                return false;
            }
        }

        private static String queryString(Connection c, String sql) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }

        List<Pool> pools() {
            return List.copyOf(copies.values());
        }

        void close() {
            copies.values().forEach(Pool::close);
        }
    }
}
