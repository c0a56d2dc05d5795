package io.membercenter.support;

import static org.awaitility.Awaitility.await;

import io.membercenter.MemberCenterApplication;
import io.membercenter.local.LocalTopologyEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service as an OS process of its own, on the test run's shared local topology, so a test can kill it for real
 * ({@code kill -9}: no shutdown hook, no finally, no clean-up; what a power cut or the OOM killer does). A {@link
 * SecondInstance} shares the test JVM and can only be closed politely; this one is a separate {@code java}.
 *
 * <p>The child uses the servers this JVM started, never a topology of its own: the {@code local} and {@code test}
 * profiles, with the topology's addresses ({@code local-topology.*}, as {@link LocalTopologyEnvironment} publishes
 * them here) handed over in {@code SPRING_APPLICATION_JSON}, so no password is on the command line, and
 * {@code member-center.local-topology.enabled=false}, so it starts none. It runs on the same {@code java}, this JVM's
 * class path (through an argument file, as the topology's child JVMs) and the surefire flags ({@code test.jvm.flags}),
 * in data center A with its own node id, on one port chosen once, so its {@link #api()} stays valid across restarts.
 * Its output goes to {@code target/service-process/node-N.log}.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration STARTED = Duration.ofSeconds(180);
    private static final Duration KILLED = Duration.ofSeconds(30);
    private static final Path DIR = Path.of("target", "service-process").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int nodeId;
    private final int port;
    private final ApiClient api;
    private final Path log;
    private final Map<String, Object> settings;
    private volatile Process process;

    private ServiceProcess(int nodeId, int port, Map<String, Object> settings) {
        this.nodeId = nodeId;
        this.port = port;
        this.settings = Map.copyOf(settings);
        this.api = new ApiClient(port);
        this.log = DIR.resolve("node-" + nodeId + ".log");
        // A test JVM that dies leaves no service behind (surefire's fork ends with the run).
        Runtime.getRuntime().addShutdownHook(new Thread(this::kill, "service-process-" + nodeId + "-killer"));
    }

    /**
     * Starts the service with {@code nodeId} (unique among the instances writing at the same time: the test contexts
     * use 0 and 1) and waits until it is healthy.
     */
    public static ServiceProcess start(int nodeId) {
        return start(nodeId, Map.of());
    }

    /**
     * As {@link #start(int)}, with settings of the service's own on top of the topology's ({@code name -> value},
     * e.g. a store only one test starts); they go in {@code SPRING_APPLICATION_JSON} too, kept across restarts.
     */
    public static ServiceProcess start(int nodeId, Map<String, Object> settings) {
        ServiceProcess service = new ServiceProcess(nodeId, freePort(), settings);
        service.start();
        return service;
    }

    public ApiClient api() {
        return api;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** (Re)starts the process and waits until {@code /actuator/health} answers 200; fails if the process exits. */
    public void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("The service process " + process.pid() + " is still running");
        }
        try {
            Files.createDirectories(DIR);
            ProcessBuilder builder = new ProcessBuilder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, Object> properties = new LinkedHashMap<>(topologyProperties());
            properties.putAll(settings);
            builder.environment().put("SPRING_APPLICATION_JSON", JSON.writeValueAsString(properties));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the service process", e);
        }
        awaitHealthy();
    }

    /** {@code kill -9}: SIGKILL, then waits until the process is gone. Nothing of the service runs after it. */
    public void kill() {
        Process running = process;
        if (running == null || !running.isAlive()) return;
        running.destroyForcibly();
        try {
            if (!running.waitFor(KILLED.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("The service process " + running.pid() + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops it politely (SIGTERM, then SIGKILL after {@code KILLED}): a process killed last would leave its Kafka
     * consumers in the indexers' groups until their session times out, and those groups index nothing until then,
     * for the test contexts too; a graceful stop leaves the groups.
     */
    @Override
    public void close() {
        Process running = process;
        if (running == null || !running.isAlive()) return;
        running.destroy();
        try {
            if (!running.waitFor(KILLED.toSeconds(), TimeUnit.SECONDS)) kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    private void awaitHealthy() {
        Process started = process;
        await("the service process on port " + port + " is healthy (its log: " + log + ")")
                .atMost(STARTED)
                .pollInterval(Duration.ofMillis(250))
                .ignoreException(UncheckedIOException.class)
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("The service process exited with " + started.exitValue()
                                + " before it was healthy; its log: " + log);
                    }
                    return api.get("/actuator/health", null).status() == 200;
                });
    }

    private List<String> command() throws IOException {
        Path classpath = DIR.resolve("classpath.args");
        Files.writeString(
                classpath,
                "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n",
                StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmFlags());
        // Small and quick to start: it is restarted many times on two shared cores.
        command.addAll(List.of("-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.add("-D" + ServiceProcessMain.CLOCK_OFFSET_MILLIS + "=" + MutableClock.SHARED.offsetMillis());
        command.add("@" + classpath);
        command.add(ServiceProcessMain.class.getName());
        command.addAll(List.of(
                "--spring.profiles.active=local,test",
                "--server.port=" + port,
                "--member-center.shard.data-center=A",
                "--member-center.member.node-id=" + nodeId,
                "--member-center.local-topology.enabled=false",
                "--member-center.local-topology.banner=false"));
        return command;
    }

    /** The root pom's {@code test.jvm.flags} as surefire passes them; else this JVM's own flags (an IDE run). */
    private static List<String> jvmFlags() {
        String configured = System.getProperty("test.jvm.flags");
        if (configured != null && !configured.isBlank()) {
            return Arrays.asList(configured.strip().split("\\s+"));
        }
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(flag -> flag.startsWith("--") || flag.startsWith("-XX:"))
                .toList();
    }

    /** {@code local-topology.*} of the running topology, exactly as the in-JVM service sees them. */
    private static Map<String, Object> topologyProperties() {
        LocalTopologyExtension.topology();
        StandardEnvironment environment = new StandardEnvironment();
        environment.setActiveProfiles("local");
        new LocalTopologyEnvironment()
                .postProcessEnvironment(environment, new SpringApplication(MemberCenterApplication.class));
        return ((MapPropertySource) environment.getPropertySources().get("localTopology")).getSource();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
