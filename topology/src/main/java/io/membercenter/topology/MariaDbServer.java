package io.membercenter.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A MariaDB server with its own data dir, binary log and port.
 *
 * <p>Every server writes a binary log (ROW, GTID) and logs what it applies as a replica, so any of
 * them can be promoted in a failover test. Durability settings are the strict ones: a write
 * acknowledged before a kill is never lost.
 */
final class MariaDbServer extends ManagedServer {

    static final String ROOT_USER = "root";
    private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(120);
    /** Unix socket paths longer than this are rejected by the kernel (108 bytes with the terminator). */
    private static final int MAX_SOCKET_PATH = 100;

    private final MariaDbBinaries binaries;
    private final int serverId;
    private final boolean readOnly;
    private final Duration semiSyncTimeout;
    /** Set for one start by {@link #startAsReplica}. */
    private volatile boolean recoverAsReplica;

    MariaDbServer(
            String name,
            String dataCenter,
            String role,
            int port,
            Path dir,
            MariaDbBinaries binaries,
            int serverId,
            boolean readOnly,
            Duration semiSyncTimeout) {
        super(name, StoreKind.DB, dataCenter, role, port, dir);
        this.binaries = binaries;
        this.serverId = serverId;
        this.readOnly = readOnly;
        this.semiSyncTimeout = semiSyncTimeout;
    }

    /** Root over TCP with an empty password: what {@code --auth-root-authentication-method=normal} gives. */
    Connection openRootConnection() throws SQLException {
        return openConnection(ROOT_USER, "", "");
    }

    Connection openConnection(String user, String password, String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "2000");
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    String jdbcUrl(String database) {
        return "jdbc:mariadb://" + HOST + ":" + port() + "/" + (database == null ? "" : database);
    }

    @Override
    boolean isInitialized() {
        return Files.isDirectory(dataDir().resolve("mysql"));
    }

    @Override
    void initialize() throws IOException, InterruptedException {
        Files.createDirectories(tmpDir());
        List<String> command = new ArrayList<>(List.of(
                binaries.installer().toString(),
                "--no-defaults", // must come first; a stray /etc/mysql/my.cnf must not leak into our servers
                "--datadir=" + dataDir(),
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--skip-name-resolve",
                "--tmpdir=" + tmpDir()));
        binaries.baseDir().ifPresent(base -> command.add("--basedir=" + base));
        runningAsRoot().ifPresent(command::add);
        runToCompletion(command, dir().resolve("install.log"), INSTALL_TIMEOUT);
    }

    @Override
    List<String> command() {
        List<String> command = new ArrayList<>(List.of(
                binaries.server().toString(),
                "--no-defaults",
                "--datadir=" + dataDir(),
                "--port=" + port(),
                "--bind-address=" + HOST,
                "--socket=" + socketPath(),
                "--pid-file=" + dir().resolve("mariadbd.pid"),
                "--log-error=" + errorLog(),
                "--tmpdir=" + tmpDir(),
                "--server-id=" + serverId,
                "--log-bin=binlog",
                "--binlog-format=ROW",
                "--log-slave-updates",
                "--relay-log=relay-bin", // not named after the host, so a renamed machine keeps its relay log
                "--sync-binlog=1",
                "--innodb-flush-log-at-trx-commit=1",
                "--innodb-buffer-pool-size=128M",
                "--max-connections=500",
                "--skip-name-resolve",
                // 11.4 would generate a TLS key at every start (~4 s of CPU); traffic never leaves loopback.
                "--skip-ssl",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                "--read-only=" + (readOnly ? "ON" : "OFF")));
        command.addAll(semiSyncOptions());
        if (recoverAsReplica) command.add("--init-rpl-role=SLAVE");
        binaries.baseDir().ifPresent(base -> command.add("--basedir=" + base));
        runningAsRoot().ifPresent(command::add);
        return command;
    }

    /**
     * Semi-synchronous replication (built into the server since 10.3), on the command line so a restart keeps it.
     * Every server can acknowledge as a replica, and every server knows the timeout and the wait point, so a
     * promotion only has to switch {@code rpl_semi_sync_master_enabled} on the new master (and off on the old).
     * The master side is on only on the writable server: on a replica it would wait for replicas it does not have.
     * {@code AFTER_SYNC} (MariaDB's default is {@code AFTER_COMMIT}): the master waits for the replica's ack after
     * its binlog is synced and before the commit is visible to anyone, so no other session can read a write that
     * could still be lost with the master.
     */
    private List<String> semiSyncOptions() {
        return List.of(
                "--rpl-semi-sync-master-enabled=" + (readOnly ? "OFF" : "ON"),
                "--rpl-semi-sync-master-timeout=" + semiSyncTimeout.toMillis(),
                "--rpl-semi-sync-master-wait-point=AFTER_SYNC",
                "--rpl-semi-sync-slave-enabled=ON");
    }

    /**
     * Starts the server in the replica role ({@code --init-rpl-role=SLAVE}): after a crash its recovery rolls back
     * the transactions it had written to its binlog but never had acknowledged by its replica (semi-synchronous,
     * {@code AFTER_SYNC}), and truncates them from the binlog, instead of committing them. An old master that
     * crashed and was replaced must come back like this: what it would otherwise commit at recovery is in no other
     * copy, and it could not follow the new master by GTID. A master that crashed and stays the master must not
     * (its replica may have received those transactions).
     */
    void startAsReplica() {
        recoverAsReplica = true;
        try {
            start();
        } finally {
            recoverAsReplica = false;
        }
    }

    @Override
    boolean acceptsConnections() {
        try (Connection connection = openRootConnection()) {
            return connection.isValid(1);
        } catch (SQLException notYet) {
            return false;
        }
    }

    @Override
    Path errorLog() {
        return dir().resolve("error.log");
    }

    /**
     * Private, because servers sharing {@code /tmp} were seen to delete each other's temporary tables
     * while two installers ran at once.
     */
    private Path tmpDir() {
        return dir().resolve("tmp");
    }

    Path dataDir() {
        return dir().resolve("data");
    }

    /** The socket is unused (we talk TCP) but mariadbd insists on one; long work dirs get a short path. */
    private Path socketPath() {
        Path inDir = dir().resolve("mariadbd.sock");
        if (inDir.toString().length() <= MAX_SOCKET_PATH) {
            return inDir;
        }
        return Path.of(
                System.getProperty("java.io.tmpdir"),
                "mc-" + Integer.toHexString(dir().toString().hashCode()) + ".sock");
    }

    /** mariadbd refuses to run as root unless told to. */
    private static Optional<String> runningAsRoot() {
        return "root".equals(System.getProperty("user.name")) ? Optional.of("--user=root") : Optional.empty();
    }
}
