package io.membercenter.topology;

import static io.membercenter.topology.LocalTopology.MASTER;
import static io.membercenter.topology.LocalTopology.REPLICA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Starting, closing and cleaning up after topologies of their own, each in its own work dir. */
class LocalTopologyLifecycleTest {

    private static final Path TARGET = Path.of("target").toAbsolutePath();
    /** A whole topology starting in the child, OpenSearch included, on two busy cores. */
    private static final Duration CHILD_JVM_TIMEOUT = Duration.ofSeconds(240);

    @Test
    void closeStopsEveryServerAndKeepsTheLogs() {
        Path dir = TARGET.resolve("lifecycle-close");
        LocalTopology topology = LocalTopology.start(dbOnly(dir));
        List<ProcessHandle> servers = serverProcesses(topology);
        assertThat(servers).hasSize(2).allMatch(ProcessHandle::isAlive);

        topology.close();
        topology.close();

        assertThat(servers).noneMatch(ProcessHandle::isAlive);
        assertThat(topology.stores()).noneMatch(StoreInfo::up);
        assertThat(dir.resolve(MASTER).resolve("error.log")).content().contains("ready for connections");
        assertThatThrownBy(() -> topology.start(MASTER)).isInstanceOf(IllegalStateException.class);
    }

    /** SIGTERM, as Ctrl-C would: the shutdown hook stops native servers and child JVMs alike. */
    @Test
    void mainPrintsItsStoresAndItsShutdownHookStopsTheServers() throws Exception {
        Path dir = TARGET.resolve("lifecycle-main");
        ChildJvm child = ChildJvm.runMain(dir, "db,cache,mq");
        List<String> output = child.awaitLine("press Ctrl-C");
        assertThat(String.join("\n", output))
                .containsPattern("mysql-a +db +A +master +\\d+")
                .containsPattern("mysql-b +db +B +replica +\\d+")
                .containsPattern("redis-b +cache +B +local +\\d+")
                .containsPattern("kafka bootstrap: 127\\.0\\.0\\.1:\\d+")
                .doesNotContain("search-");
        List<ProcessHandle> servers = serverProcessesFrom(dir);
        assertThat(servers).hasSize(5).allMatch(ProcessHandle::isAlive);
        assertThatThrownBy(() -> LocalTopology.start(dbOnly(dir)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use by the running JVM " + child.process.pid());
        assertThat(servers).allMatch(ProcessHandle::isAlive);

        child.process.destroy();
        assertThat(child.process.waitFor(CHILD_JVM_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isTrue();

        assertThat(servers).noneMatch(ProcessHandle::isAlive);
        assertThat(dir.resolve("kafka").resolve("logs").resolve("server.log"))
                .content()
                .contains("Kafka Server started", "shut down completely");
    }

    /** Every kind, so the orphans include child JVMs as well as native servers. */
    @Test
    void serversOfAKilledRunAreStoppedBeforeTheNextStart() throws Exception {
        Path dir = TARGET.resolve("lifecycle-killed");
        ChildJvm child = ChildJvm.runMain(dir, "db,cache,mq,search");
        List<String> output = child.awaitLine("press Ctrl-C");
        assertThat(String.join("\n", output))
                .containsPattern("search-marketing +search +A +marketing +\\d+")
                .containsPattern("search-backup: http://127\\.0\\.0\\.1:\\d+")
                .containsPattern("redis-a: redis://127\\.0\\.0\\.1:\\d+")
                .containsPattern("kafka bootstrap: 127\\.0\\.0\\.1:\\d+");
        List<ProcessHandle> orphans = serverProcessesFrom(dir);
        child.process.destroyForcibly(); // SIGKILL: no shutdown hook, the servers live on
        child.process.waitFor();
        assertThat(orphans).hasSize(8).allMatch(ProcessHandle::isAlive);

        try (LocalTopology topology = LocalTopology.start(dbOnly(dir))) {
            assertThat(orphans).noneMatch(ProcessHandle::isAlive);
            assertThat(topology.stores()).allMatch(StoreInfo::up);
            try (Connection connection = DriverManager.getConnection(
                    topology.jdbcUrl(REPLICA, "member_0"), topology.appUser(), topology.appPassword())) {
                assertThat(connection.isValid(1)).isTrue();
            }
        }
    }

    /** As redis-server does unless told not to: its command line no longer names the folder, its working dir does. */
    @Test
    void aLeftoverThatRewroteItsCommandLineIsFoundByItsWorkingDirectory() {
        Path dir = TARGET.resolve("lifecycle-retitled");
        new WorkDir(dir).claimFresh();
        ManagedServer retitled = new RetitledServer(dir.resolve("retitled"));
        retitled.start();
        ProcessHandle leftover = ProcessHandle.of(retitled.pid().orElseThrow()).orElseThrow();
        // From /proc, as WorkDir reads it: ProcessHandle.Info#commandLine() is empty on some JDK/kernel pairs when
        // argv[0] no longer names the executable, and bash execs the retitled sleep a moment after start.
        Path cmdline = Path.of("/proc", Long.toString(leftover.pid()), "cmdline");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(cmdline)
                        .content(StandardCharsets.UTF_8)
                        .startsWith("retitled-server")
                        .doesNotContain(dir.toString()));

        new WorkDir(dir).claimFresh();

        assertThat(leftover.onExit()).succeedsWithin(Duration.ofSeconds(15));
    }

    @Test
    void refusesToWipeAFolderItDidNotCreate() throws IOException {
        Path dir = TARGET.resolve("lifecycle-foreign");
        Files.createDirectories(dir);
        Path precious = Files.writeString(dir.resolve("precious.txt"), "keep me");

        assertThatThrownBy(() -> LocalTopology.start(dbOnly(dir)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Refusing to wipe");
        assertThat(precious).hasContent("keep me");
    }

    @Test
    void databaseNamesMustBePlainIdentifiers() {
        assertThatThrownBy(() -> new TopologyOptions(TARGET, List.of("member_0`; DROP DATABASE mysql; --")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aServerThatDiesAtStartReportsTheTailOfItsLog() throws IOException {
        Path dir = TARGET.resolve("lifecycle-dying");
        Folders.deleteRecursively(dir);
        ManagedServer dying = new DyingServer(dir);

        assertThatThrownBy(dying::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("[ERROR] Can't start server: Bind on TCP/IP port: Address already in use");
        assertThat(dying.isUp()).isFalse();
        assertThat(dir.resolve(ManagedServer.LAUNCHER_PID_FILE)).doesNotExist();
    }

    /** Fails the way mariadbd does when its port is taken: a line in its error log, then exit. */
    private static final class DyingServer extends ManagedServer {
        DyingServer(Path dir) {
            super("dying", StoreKind.DB, "A", "master", 1, dir);
        }

        @Override
        boolean isInitialized() {
            return true;
        }

        @Override
        void initialize() {}

        @Override
        List<String> command() {
            return List.of(
                    "sh",
                    "-c",
                    "echo \"[ERROR] Can't start server: Bind on TCP/IP port: Address already in use\"" + " >> '"
                            + errorLog() + "'; sleep 0.2; exit 3");
        }

        @Override
        boolean acceptsConnections() {
            return false;
        }

        @Override
        Path errorLog() {
            return dir().resolve("error.log");
        }
    }

    /** A long sleep that calls itself something else, started in its store's folder like every server. */
    private static final class RetitledServer extends ManagedServer {
        RetitledServer(Path dir) {
            super("retitled", StoreKind.CACHE, "A", "local", 1, dir);
        }

        @Override
        boolean isInitialized() {
            return true;
        }

        @Override
        void initialize() {}

        @Override
        List<String> command() {
            return List.of("bash", "-c", "exec -a retitled-server sleep 600");
        }

        @Override
        boolean acceptsConnections() {
            return true;
        }

        @Override
        Path errorLog() {
            return dir().resolve("console.log");
        }
    }

    private static List<ProcessHandle> serverProcesses(LocalTopology topology) {
        return topology.stores().stream()
                .map(store -> ProcessHandle.of(
                                topology.server(store.name()).pid().orElseThrow())
                        .orElseThrow())
                .toList();
    }

    /** Through the launchers' pid files, as the next run would find them. */
    private static List<ProcessHandle> serverProcessesFrom(Path dir) throws IOException {
        List<ProcessHandle> servers = new ArrayList<>();
        try (Stream<Path> storeDirs = Files.list(dir)) {
            for (Path pidFile : storeDirs
                    .map(store -> store.resolve(ManagedServer.LAUNCHER_PID_FILE))
                    .filter(Files::exists)
                    .toList()) {
                servers.add(ProcessHandle.of(
                                Long.parseLong(Files.readString(pidFile).trim()))
                        .orElseThrow());
            }
        }
        return servers;
    }

    private static TopologyOptions dbOnly(Path dir) {
        return new TopologyOptions(dir, List.of("member_0"), EnumSet.of(StoreKind.DB));
    }

    /** {@link LocalTopologyMain} in a JVM of its own, so it can be interrupted or killed like an operator's. */
    private record ChildJvm(Process process, List<String> lines) {

        static ChildJvm runMain(Path dir, String kinds) throws IOException {
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process process = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            classPath,
                            "-D" + TopologyOptions.WORK_DIR_PROPERTY + "=" + dir,
                            "-D" + TopologyOptions.KINDS_PROPERTY + "=" + kinds,
                            "-D" + MariaDbBinaries.SOURCE_PROPERTY + "="
                                    + System.getProperty(MariaDbBinaries.SOURCE_PROPERTY, "auto"),
                            "-D" + RedisBinary.SOURCE_PROPERTY + "="
                                    + System.getProperty(RedisBinary.SOURCE_PROPERTY, "auto"),
                            LocalTopologyMain.class.getName())
                    .redirectErrorStream(true)
                    .start();
            ChildJvm child = new ChildJvm(process, Collections.synchronizedList(new ArrayList<>()));
            Thread.ofVirtual().start(child::drainOutput);
            return child;
        }

        List<String> awaitLine(String fragment) {
            await().atMost(CHILD_JVM_TIMEOUT)
                    .failFast("child JVM exited:\n" + String.join("\n", lines), () -> !process.isAlive())
                    .until(() -> snapshot().stream().anyMatch(line -> line.contains(fragment)));
            return snapshot();
        }

        private List<String> snapshot() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        private void drainOutput() {
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child is gone; what it printed so far is all there is
            }
        }
    }
}
