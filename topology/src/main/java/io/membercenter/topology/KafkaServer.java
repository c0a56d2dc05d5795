package io.membercenter.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One Kafka broker in KRaft mode, broker and controller in one process, in a child JVM.
 *
 * <p>Its storage is formatted once ({@code kafka-storage format}); after that it keeps its topics, offsets and
 * cluster id across stop and start. With one broker every replication factor is 1, including those of the
 * internal topics, whose defaults (3) a single broker could never satisfy.
 */
final class KafkaServer extends ChildJvmServer {

    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(120);
    private static final int NODE_ID = 1;

    private final int controllerPort;

    KafkaServer(String name, String dataCenter, int port, int controllerPort, Path dir, ChildClasspath classpath) {
        super(name, StoreKind.MQ, dataCenter, "broker", port, dir, classpath);
        this.controllerPort = controllerPort;
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    String bootstrap() {
        return HOST + ":" + port();
    }

    @Override
    boolean isDataInitialized() {
        return Files.isRegularFile(dataDir().resolve("meta.properties"));
    }

    @Override
    void initializeData() throws IOException, InterruptedException {
        Files.writeString(serverProperties(), serverConfiguration(), StandardCharsets.UTF_8);
        Files.writeString(logConfiguration(), LOG4J2_PROPERTIES, StandardCharsets.UTF_8);
        runToCompletion(
                toolCommand(
                        jvmFlags(),
                        "kafka.tools.StorageTool",
                        List.of(
                                "format",
                                "--cluster-id",
                                newClusterId(),
                                "--config",
                                serverProperties().toString())),
                dir().resolve("format.log"),
                FORMAT_TIMEOUT);
    }

    @Override
    List<String> command() {
        return serverCommand(
                jvmFlags(), "kafka.Kafka", List.of(serverProperties().toString()));
    }

    @Override
    boolean acceptsConnections() {
        return KafkaMetadataProbe.brokerIsServing(HOST, port());
    }

    @Override
    Path errorLog() {
        return dir().resolve("logs").resolve("server.log");
    }

    private List<String> jvmFlags() {
        List<String> flags = new ArrayList<>(SMALL_JVM);
        flags.add("-Dkafka.logs.dir=" + dir().resolve("logs"));
        flags.add("-Dlog4j2.configurationFile=" + logConfiguration());
        return flags;
    }

    private String serverConfiguration() {
        return """
                process.roles=broker,controller
                node.id=%1$d
                controller.quorum.voters=%1$d@%2$s:%4$d
                listeners=PLAINTEXT://%2$s:%3$d,CONTROLLER://%2$s:%4$d
                advertised.listeners=PLAINTEXT://%2$s:%3$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%5$s
                num.partitions=1
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                # One broker and a handful of groups: one partition each is created in milliseconds, fifty are not.
                offsets.topic.num.partitions=1
                transaction.state.log.num.partitions=1
                share.coordinator.state.topic.num.partitions=1
                # Nobody else is coming to join: do not wait 3 s before the first rebalance.
                group.initial.rebalance.delay.ms=0
                """.formatted(NODE_ID, HOST, port(), controllerPort, dataDir());
    }

    private Path dataDir() {
        return dir().resolve("data");
    }

    private Path serverProperties() {
        return dir().resolve("server.properties");
    }

    private Path logConfiguration() {
        return dir().resolve("log4j2.properties");
    }

    /** What {@code kafka-storage random-uuid} prints: 16 random bytes, URL-safe base64 without padding. */
    private static String newClusterId() {
        return newClusterId(new SecureRandom());
    }

    /**
     * 16 random bytes, base64url, as Kafka's own {@code Uuid.randomUuid()}: and like it, never one that starts
     * with '-' (1 in 64 would), which the format tool takes for an option and refuses with its usage text.
     * (kafka-clients is not on this module's class path, so its Uuid is not used.)
     */
    static String newClusterId(java.util.Random random) {
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        return id;
    }

    /** Kafka's tarball brings its own log configuration, the Maven artifacts do not: everything to logs/server.log. */
    private static final String LOG4J2_PROPERTIES = """
            status = warn
            appender.file.type = File
            appender.file.name = file
            appender.file.fileName = ${sys:kafka.logs.dir}/server.log
            appender.file.layout.type = PatternLayout
            appender.file.layout.pattern = [%d] %p %m (%c)%n
            rootLogger.level = INFO
            rootLogger.appenderRef.file.ref = file
            """;
}
