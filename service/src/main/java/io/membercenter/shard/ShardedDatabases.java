package io.membercenter.shard;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.membercenter.api.StoreUnavailableException;
import io.membercenter.degradation.BreakerState;
import io.membercenter.degradation.Breakers;
import io.membercenter.degradation.DependencyBreaker;
import io.membercenter.degradation.DependencyUnavailableException;
import io.membercenter.degradation.TrafficBulkhead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    public ShardedDatabases(ShardProperties properties, Breakers breakers) {
        this.shardMap = new ShardMap(properties);
        for (ShardProperties.PhysicalDatabase db : properties.databases()) {
            databases.put(db.name(), new PhysicalDatabase(db, properties, breakers));
        }
    }

    public ShardMap shardMap() {
        return shardMap;
    }

    /** Where the masters are; every physical database's master lives in the same data center. */
    public String masterDataCenter() {
        return databases.values().iterator().next().masterDataCenter;
    }

    public Collection<String> databaseNames() {
        return List.copyOf(databases.keySet());
    }

    /** Applies the versioned schema migrations to the master of every physical database. */
    public void migrate() {
        for (PhysicalDatabase db : databases.values()) {
            Flyway.configure()
                    .dataSource(db.master.dataSource)
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
        return run(databases.get(database).master, database, work);
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
        return retryingDeadlockVictims(() -> onMasterSession(database, connection -> transaction(connection, work)));
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
        if (db.localReplica != null && db.localReplicaCaughtUp()) {
            try {
                return new Read<>(read(db.localReplica, db.name, work), db.localDataCenter);
            } catch (StoreUnavailableException e) {
                if (!(e.getCause() instanceof DependencyUnavailableException)) {
                    log.warn("event=local_replica_unreachable database={} fallback=master", db.name);
                }
            }
        }
        try {
            return new Read<>(read(db.master, db.name, work), db.masterDataCenter);
        } catch (StoreUnavailableException masterUnavailable) {
            for (RemoteReplica replica : db.remoteReplicas) {
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
        for (String name : touchedDatabases) {
            PhysicalDatabase db = databases.get(name);
            if (db.localReplica != null) {
                db.awaitReplica();
            }
        }
    }

    /** Probes every pool: the master of each database and, where reads go to one, the local replica. */
    public List<CopyStatus> copies() {
        List<CopyStatus> copies = new java.util.ArrayList<>();
        for (PhysicalDatabase db : databases.values()) {
            copies.add(new CopyStatus(db.name, db.masterDataCenter, "master", answers(db.master.dataSource)));
            if (db.localReplica != null) {
                copies.add(new CopyStatus(db.name, db.localDataCenter, "replica", answers(db.localReplica.dataSource)));
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
        try (TrafficBulkhead.Permit share = pool.bulkhead.enter()) {
            return pool.breaker.call(
                    () -> {
                        try (Connection connection = pool.dataSource.getConnection()) {
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
        Pool pool = databases.get(database).master;
        try (TrafficBulkhead.Permit share = pool.bulkhead.enter();
                Connection connection =
                        pool.breaker.call(pool.dataSource::getConnection, ShardedDatabases::isServerFailure)) {
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
            pool.dataSource.getHikariPoolMXBean().softEvictConnections();
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

    /** Reads are idempotent: one retry on a fresh connection hides a server restart from callers. */
    private static <T> T read(Pool pool, String database, SqlWork<T> work) {
        try {
            return run(pool, database, work);
        } catch (StoreUnavailableException e) {
            if (e.getCause() instanceof SQLException sql && isConnectionLost(sql)) {
                return run(pool, database, work);
            }
            throw e;
        }
    }

    private static boolean isConnectionLost(SQLException e) {
        return e instanceof java.sql.SQLNonTransientConnectionException
                || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
    }

    @Override
    public void close() {
        databases.values().forEach(PhysicalDatabase::close);
    }

    /** One pool, the breaker of the server it connects to, and its shares per traffic class. */
    private record Pool(HikariDataSource dataSource, DependencyBreaker breaker, TrafficBulkhead bulkhead) {

        static Pool of(String poolName, String url, String store, ShardProperties properties, Breakers breakers) {
            return new Pool(
                    PhysicalDatabase.pool(poolName, url, properties),
                    breakers.breaker(store),
                    breakers.bulkhead(poolName, properties.poolSize()));
        }

        void close() {
            dataSource.close();
        }
    }

    /** A replica in another data center: read only when neither the local copy nor the master can answer. */
    private record RemoteReplica(Pool pool, String dataCenter) {}

    /** The pools of one physical database and the catch-up state of its local replica. */
    private static final class PhysicalDatabase {
        private final String name;
        private final Pool master;
        private final String masterDataCenter;
        private final Pool localReplica;
        private final List<RemoteReplica> remoteReplicas;
        private final String localDataCenter;
        private final long replicaWaitSeconds;
        private volatile String replicaMustReach;

        PhysicalDatabase(ShardProperties.PhysicalDatabase db, ShardProperties properties, Breakers breakers) {
            this.name = db.name();
            ShardProperties.Copy masterCopy = db.master();
            this.master = Pool.of(
                    db.name() + "-master", masterCopy.url(), masterCopy.storeOf(db.name()), properties, breakers);
            this.masterDataCenter = masterCopy.dataCenter();
            ShardProperties.Copy local = db.copies().stream()
                    .filter(c -> c.dataCenter().equals(properties.dataCenter()))
                    .findFirst()
                    .orElse(masterCopy);
            this.localDataCenter = local.dataCenter();
            this.localReplica = local.role() == ShardProperties.Role.REPLICA
                    ? Pool.of(
                            db.name() + "-replica-" + local.dataCenter(),
                            local.url(),
                            local.storeOf(db.name()),
                            properties,
                            breakers)
                    : null;
            this.remoteReplicas = db.copies().stream()
                    .filter(c -> c.role() == ShardProperties.Role.REPLICA
                            && !c.dataCenter().equals(localDataCenter))
                    .map(c -> new RemoteReplica(
                            Pool.of(
                                    db.name() + "-replica-" + c.dataCenter(),
                                    c.url(),
                                    c.storeOf(db.name()),
                                    properties,
                                    breakers),
                            c.dataCenter()))
                    .toList();
            this.replicaWaitSeconds =
                    Math.max(1, properties.replicaWaitTimeout().toSeconds());
        }

        private static HikariDataSource pool(String poolName, String url, ShardProperties properties) {
            HikariConfig config = new HikariConfig();
            config.setPoolName(poolName);
            config.setJdbcUrl(url);
            config.setUsername(properties.username());
            config.setPassword(properties.password());
            config.setMaximumPoolSize(properties.poolSize());
            config.setMinimumIdle(Math.min(4, properties.poolSize()));
            // Fail fast when a database is down: a caller waiting 30 s is worse than a 503 it can retry.
            // Every wait has a deadline: the pool's (connectionTimeout), the TCP connect and handshake's
            // (connectTimeout) and every answer's on an open connection (socketTimeout), so even a hung
            // (SIGSTOPped) server releases the caller; its breaker then skips it at once.
            long connectionTimeout = properties.connectionTimeout().toMillis();
            config.setConnectionTimeout(connectionTimeout);
            config.setValidationTimeout(Math.max(250, Math.min(1_000, connectionTimeout / 2)));
            config.setInitializationFailTimeout(-1);
            config.addDataSourceProperty(
                    "connectTimeout", Long.toString(properties.connectTimeout().toMillis()));
            config.addDataSourceProperty(
                    "socketTimeout", Long.toString(properties.socketTimeout().toMillis()));
            return new HikariDataSource(config);
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
            String position = run(master, name, c -> queryString(c, "SELECT @@gtid_binlog_pos"));
            if (position == null || position.isBlank()) {
                return;
            }
            // A replica whose breaker is not closed is not waited for (no write waits on a hung server):
            // reads of this database go to the master until it has caught up.
            if (localReplica.breaker.state() != BreakerState.CLOSED || !gtidWait(position, replicaWaitSeconds)) {
                replicaMustReach = position;
                log.warn("event=local_replica_behind database={} reads=master", name);
            }
        }

        private boolean gtidWait(String position, long timeoutSeconds) {
            try (Connection c = localReplica.dataSource.getConnection();
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

        void close() {
            master.close();
            if (localReplica != null) {
                localReplica.close();
            }
            remoteReplicas.forEach(replica -> replica.pool().close());
        }
    }
}
