package io.membercenter.shard;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.membercenter.degradation.BreakerState;
import io.membercenter.degradation.Breakers;
import io.membercenter.degradation.DependencyBreaker;
import io.membercenter.degradation.TrafficBulkhead;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HikariCP pool to one database copy, the breaker of the server it connects to, and its shares per
 * traffic class — and a fresh pool once the server answers again after it was lost.
 *
 * <p>Why the fresh pool: after failed connection attempts HikariCP's connection adder sleeps with a
 * backoff that doubles up to 5 s, and nothing resets it. A master back after a ten-second outage was
 * given no connection for up to 5 s more: each half-open probe waited the pool's 1 s and failed, and
 * writes resumed 4 s after the server did ({@code MasterBreakerTest}, the stopped master). While the
 * pool holds no connection and the breaker is not closed, {@link #reviveIfLost} tries one direct
 * connection (short timeouts, no pool); when it answers, a new pool takes the old one's place, so the
 * next probe connects at once. HikariCP has no call to wake its adder or to add a connection from outside.
 *
 * <p>Why {@link #borrow} and not the pool's own {@code getConnection}: while the pool holds no connection and its
 * latest attempt to open one failed ({@link ConnectAttempts}), there is nothing to wait for, so a borrow is refused at
 * once (a server failure, counted by the breaker, which then opens within its minimum calls) instead of after the
 * pool's 1 s; the borrowers already waiting when an attempt fails are released the same way, by interrupting their
 * wait — the one way out of HikariCP's {@code connectionTimeout} ({@code PoolFailFastTest}).
 */
final class Pool {

    private static final Logger log = LoggerFactory.getLogger(Pool.class);

    private final HikariConfig config;
    private final String url;
    private final Properties driverProperties;
    private final DependencyBreaker breaker;
    private final TrafficBulkhead bulkhead;
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    /** The pool and the record of its own connect attempts, replaced together on renewal. */
    private volatile Generation current;

    private static final long RENEWAL_GRACE_NANOS = 2_000_000_000L;
    private long renewedAtNanos = System.nanoTime() - RENEWAL_GRACE_NANOS;

    private record Generation(HikariDataSource dataSource, ConnectAttempts attempts) {}

    private Pool(
            HikariConfig config,
            String url,
            Properties driverProperties,
            DependencyBreaker breaker,
            TrafficBulkhead bulkhead) {
        this.config = config;
        this.url = url;
        this.driverProperties = driverProperties;
        this.breaker = breaker;
        this.bulkhead = bulkhead;
        this.current = newGeneration();
        // Pools to the same server share its breaker; each one's probe renews that pool before it says yes, so the
        // first call after the release finds connections (a probe that said yes first sent the sweeper's call to
        // the old pool, which waited its 1 s for the backed-off adder: writes resumed 2 s after the return).
        breaker.healthProbe(this::answersWithFreshPoolIfLost);
    }

    static Pool of(String poolName, String url, String store, ShardProperties properties, Breakers breakers) {
        return new Pool(
                config(poolName, url, properties),
                url,
                driverProperties(properties),
                breakers.breaker(store),
                breakers.bulkhead(poolName, properties.poolSize()));
    }

    private Generation newGeneration() {
        ConnectAttempts attempts = new ConnectAttempts(url, driverProperties, this::releaseWaitersIfNothingToWaitFor);
        HikariConfig generation = new HikariConfig();
        config.copyStateTo(generation);
        generation.setDataSource(attempts);
        return new Generation(new HikariDataSource(generation), attempts);
    }

    HikariDataSource dataSource() {
        return current.dataSource();
    }

    /**
     * A connection from the pool, or a {@link SQLTransientConnectionException} at once when the pool has none and
     * its latest attempt to open one failed — also for a borrower that was already waiting when it did.
     */
    Connection borrow() throws SQLException {
        Generation generation = current;
        if (nothingToWaitFor(generation)) throw unreachable(null);
        Waiter waiter = new Waiter(Thread.currentThread());
        waiters.add(waiter);
        try {
            return generation.dataSource().getConnection();
        } catch (SQLException e) {
            if (waiter.wasReleased()) throw unreachable(e);
            throw e;
        } finally {
            waiters.remove(waiter);
            waiter.finish();
        }
    }

    private static boolean nothingToWaitFor(Generation generation) {
        return generation.attempts().lastFailed()
                && generation.dataSource().getHikariPoolMXBean().getTotalConnections() == 0;
    }

    private void releaseWaitersIfNothingToWaitFor() {
        Generation generation = current;
        if (generation != null && nothingToWaitFor(generation)) waiters.forEach(Waiter::release);
    }

    private SQLTransientConnectionException unreachable(SQLException cause) {
        return new SQLTransientConnectionException(
                config.getPoolName() + " - no connection, and the server refused the latest attempt to open one",
                "08001",
                cause);
    }

    DependencyBreaker breaker() {
        return breaker;
    }

    TrafficBulkhead bulkhead() {
        return bulkhead;
    }

    /** Replaces the pool when it has lost every connection, its breaker is not closed and the server answers. */
    void reviveIfLost() {
        if (breaker.state() != BreakerState.CLOSED && lostEveryConnection() && serverAnswers()) {
            renew();
        }
    }

    /**
     * Before this pool takes a master's writes (a switch moved them here). A pool whose server was killed and
     * restarted while this instance did not use it holds either the connections the kill broke, or none and a failed
     * latest attempt (borrows refused at once, {@link #nothingToWaitFor}): its first writes failed — two of the
     * drill's failback requests answered 503 (stop 24). If the server answers, a pool with no connection is renewed
     * and one with connections has them evicted (idle ones now, busy ones when returned), so writes open fresh ones.
     */
    void freshenForWrites() {
        if (!serverAnswers()) return;
        if (lostEveryConnection()) {
            renew();
        } else {
            current.dataSource().getHikariPoolMXBean().softEvictConnections();
        }
    }

    /** The breaker's health probe: the server answers, and this pool has connections or is renewed. */
    private boolean answersWithFreshPoolIfLost() {
        if (!serverAnswers()) return false;
        if (lostEveryConnection()) renew();
        return true;
    }

    private boolean lostEveryConnection() {
        HikariDataSource dataSource = current.dataSource();
        return !dataSource.isClosed() && dataSource.getHikariPoolMXBean().getTotalConnections() == 0;
    }

    private synchronized void renew() {
        HikariDataSource retired = current.dataSource();
        // A fresh pool has no connection for its first moments: renewing it again would only churn.
        if (retired.getHikariPoolMXBean().getTotalConnections() > 0
                || System.nanoTime() - renewedAtNanos < RENEWAL_GRACE_NANOS) return;
        renewedAtNanos = System.nanoTime();
        current = newGeneration();
        log.info("event=pool_renewed pool={} reason=server_answers_again", config.getPoolName());
        Thread.ofVirtual().name("pool-retire-" + config.getPoolName()).start(retired::close);
    }

    private boolean serverAnswers() {
        Properties credentials = new Properties();
        credentials.setProperty("user", config.getUsername());
        credentials.setProperty("password", config.getPassword() == null ? "" : config.getPassword());
        credentials.setProperty("connectTimeout", "300");
        credentials.setProperty("socketTimeout", "500");
        try (Connection connection = DriverManager.getConnection(url, credentials)) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    void close() {
        current.dataSource().close();
    }

    /**
     * A borrower waiting in HikariCP. Released (interrupted) only while it waits; an interrupt that arrives as the
     * wait ends is cleared on the borrower's own thread, so no later I/O of the request sees it.
     */
    private static final class Waiter {
        private final Thread thread;
        private boolean released;
        private boolean finished;

        Waiter(Thread thread) {
            this.thread = thread;
        }

        synchronized void release() {
            if (finished || released) return;
            released = true;
            thread.interrupt();
        }

        synchronized boolean wasReleased() {
            return released;
        }

        synchronized void finish() {
            finished = true;
            if (released) Thread.interrupted();
        }
    }

    private static HikariConfig config(String poolName, String url, ShardProperties properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
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
        return config;
    }

    private static Properties driverProperties(ShardProperties properties) {
        Properties driver = new Properties();
        driver.setProperty(
                "connectTimeout", Long.toString(properties.connectTimeout().toMillis()));
        driver.setProperty(
                "socketTimeout", Long.toString(properties.socketTimeout().toMillis()));
        return driver;
    }
}
