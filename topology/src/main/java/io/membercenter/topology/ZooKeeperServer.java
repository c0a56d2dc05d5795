package io.membercenter.topology;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One node of the ZooKeeper ensemble ({@link ZooKeeperEnsemble}) in a child JVM, from the Maven artifacts
 * ({@code org.apache.zookeeper:zookeeper}, see {@code zookeeper.classpath}), running {@code QuorumPeerMain}.
 *
 * <p>Ready means: it answers {@code ruok}, and, whenever a majority of the ensemble's processes is running, it
 * serves (its {@code srvr} names its mode, leader or follower). A node started while most others are down can never
 * serve until they return, so it is ready once it answers; a node started with a quorum around it is ready once it
 * has joined. Short ticks (500 ms) so a lost node or a lost quorum is noticed in a few seconds, as tests need; the
 * admin server (Jetty on 8080) is off.
 */
final class ZooKeeperServer extends ChildJvmServer {

    private static final int PROBE_TIMEOUT_MILLIS = 1_000;
    /** The nodes are small: a handful of znodes. C1 only: on two shared cores, start-up beats peak speed. */
    private static final List<String> JVM_FLAGS =
            List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dzookeeper.admin.enableServer=false");

    private final ZooKeeperEnsemble ensemble;
    private final ZooKeeperEnsemble.Peer self;
    private final List<ZooKeeperEnsemble.Peer> peers;

    ZooKeeperServer(
            ZooKeeperEnsemble ensemble,
            ZooKeeperEnsemble.Peer self,
            List<ZooKeeperEnsemble.Peer> peers,
            Path dir,
            ChildClasspath classpath) {
        super(self.name(), StoreKind.COORDINATION, self.site(), "ensemble", self.clientPort(), dir, classpath);
        this.ensemble = ensemble;
        this.self = self;
        this.peers = List.copyOf(peers);
    }

    @Override
    boolean isDataInitialized() {
        return Files.isRegularFile(dataDir().resolve("myid"));
    }

    @Override
    void initializeData() throws IOException {
        Files.createDirectories(dataDir());
        Files.writeString(dataDir().resolve("myid"), self.id() + "\n", StandardCharsets.US_ASCII);
        Files.writeString(configFile(), configuration(), StandardCharsets.UTF_8);
        Files.writeString(logConfiguration(), LOGBACK_XML, StandardCharsets.UTF_8);
    }

    @Override
    List<String> command() {
        List<String> flags = new ArrayList<>(JVM_FLAGS);
        flags.add("-Dlogback.configurationFile=" + logConfiguration());
        flags.add("-Dzookeeper.log.file=" + errorLog());
        return serverCommand(
                flags,
                "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                List.of(configFile().toString()));
    }

    @Override
    boolean acceptsConnections() {
        if (!"imok".equals(fourLetterWord("ruok"))) {
            return false;
        }
        return isServing() || !ensemble.majorityRunning();
    }

    /** Whether it is part of a quorum that serves clients: {@code srvr} reports a mode only then. */
    boolean isServing() {
        String status = fourLetterWord("srvr");
        return status != null && status.contains("Mode: ");
    }

    @Override
    Path errorLog() {
        return dir().resolve("zookeeper.log");
    }

    /** One of ZooKeeper's four-letter commands on the client port; null if it does not answer. */
    private String fourLetterWord(String command) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port()), PROBE_TIMEOUT_MILLIS);
            socket.setSoTimeout(PROBE_TIMEOUT_MILLIS);
            socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.US_ASCII).strip();
        } catch (IOException notAnswering) {
            return null;
        }
    }

    private String configuration() {
        StringBuilder config = new StringBuilder("""
                tickTime=500
                initLimit=20
                syncLimit=5
                dataDir=%s
                clientPort=%d
                clientPortAddress=%s
                admin.enableServer=false
                4lw.commands.whitelist=ruok,srvr,mntr
                standaloneEnabled=false
                reconfigEnabled=false
                # the data dir only ever holds a handful of znodes; keep three snapshots, purge hourly
                autopurge.snapRetainCount=3
                autopurge.purgeInterval=1
                """.formatted(dataDir(), port(), HOST));
        for (ZooKeeperEnsemble.Peer peer : peers) {
            config.append(peer.serverLine()).append('\n');
        }
        return config.toString();
    }

    private Path dataDir() {
        return dir().resolve("data");
    }

    private Path configFile() {
        return dir().resolve("zoo.cfg");
    }

    private Path logConfiguration() {
        return dir().resolve("logback.xml");
    }

    /** The Maven artifacts bring no log configuration: everything to zookeeper.log, INFO and up. */
    private static final String LOGBACK_XML = """
            <configuration>
              <appender name="file" class="ch.qos.logback.core.FileAppender">
                <file>${zookeeper.log.file}</file>
                <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{0} - %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="file"/></root>
            </configuration>
            """;
}
