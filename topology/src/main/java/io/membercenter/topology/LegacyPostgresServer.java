package io.membercenter.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The legacy member database: a PostgreSQL instance of the topology's own, on its own port and in its own folder
 * (never the machine's PostgreSQL on 5432), with {@code wal_level=logical} so its changes can be decoded.
 *
 * <p>PostgreSQL refuses to run as root, and the tests and CI run as root: then initdb and the server run as the
 * {@code postgres} user that Debian's package creates, through {@code setpriv}, which execs rather than forks, so
 * the process this JVM holds is the postmaster itself and stop/kill/pause act on it as on every other store.
 *
 * <p>Trust authentication on 127.0.0.1 only, no Unix socket (no socket folder to own or clean up). The superuser is
 * {@link #USER}; the data lives in the {@code postgres} database.
 */
final class LegacyPostgresServer extends ManagedServer {

    static final String USER = "legacy";
    static final String DATABASE = "postgres";
    private static final String RUN_AS = "postgres";
    private static final Duration INIT_TIMEOUT = Duration.ofSeconds(120);

    private final PostgresBinaries binaries;

    LegacyPostgresServer(String name, int port, Path dir, PostgresBinaries binaries) {
        super(name, StoreKind.LEGACY, "A", "legacy", port, dir);
        this.binaries = binaries;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + DATABASE + "?user=" + USER;
    }

    private Path dataDir() {
        return dir().resolve("data");
    }

    @Override
    boolean isInitialized() {
        return Files.isRegularFile(dataDir().resolve("PG_VERSION"));
    }

    @Override
    void initialize() throws IOException, InterruptedException {
        Files.createDirectories(dataDir());
        handOverToServerUser(dir());
        handOverToServerUser(dataDir());
        runToCompletion(
                asServerUser(List.of(
                        binaries.initdb().toString(),
                        "-D",
                        dataDir().toString(),
                        "-U",
                        USER,
                        "--auth=trust",
                        "--encoding=UTF8",
                        "--locale=C",
                        "--no-sync")),
                dir().resolve("initdb.log"),
                INIT_TIMEOUT);
    }

    @Override
    List<String> command() {
        return asServerUser(List.of(
                binaries.server().toString(),
                "-D",
                dataDir().toString(),
                "-p",
                Integer.toString(port()),
                "-c",
                "listen_addresses=" + HOST,
                "-c",
                "unix_socket_directories=",
                "-c",
                "wal_level=logical",
                "-c",
                "max_replication_slots=8",
                "-c",
                "max_wal_senders=8",
                // A test machine's legacy store: durability across an OS crash is not what it plays, speed is. What
                // it acknowledged still survives a kill -9 (the WAL is written to the kernel at each commit; only
                // synchronous_commit=off would lose it, so that stays on).
                "-c",
                "fsync=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "shared_buffers=64MB",
                "-c",
                "max_connections=50",
                "-c",
                "logging_collector=off",
                "-c",
                "log_min_messages=warning"));
    }

    /** pg_isready exits 0 only once the server accepts connections (not while it starts or recovers). */
    @Override
    boolean acceptsConnections() {
        try {
            Process probe = new ProcessBuilder(
                            binaries.isReady().toString(), "-q", "-h", HOST, "-p", Integer.toString(port()), "-t", "1")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!probe.waitFor(3, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return false;
            }
            return probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * SIGTERM is PostgreSQL's "smart" shutdown, which waits for every client to disconnect; the service's pool
     * keeps connections open, so a stop would always wait this long and then kill. A short wait, then: what a
     * killed PostgreSQL had committed is in its WAL and recovered on the next start.
     */
    @Override
    Duration gracefulStopTimeout() {
        return Duration.ofSeconds(3);
    }

    @Override
    Path errorLog() {
        return dir().resolve("console.log");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private List<String> asServerUser(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(
                List.of("setpriv", "--reuid=" + RUN_AS, "--regid=" + RUN_AS, "--init-groups", "--reset-env", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private void handOverToServerUser(Path path) throws IOException, InterruptedException {
        if (isRoot()) {
            runToCompletion(
                    List.of("chown", RUN_AS + ":" + RUN_AS, path.toString()),
                    dir().resolve("initdb.log"),
                    Duration.ofSeconds(10));
        }
    }
}
