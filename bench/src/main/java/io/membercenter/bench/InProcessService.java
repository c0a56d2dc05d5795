package io.membercenter.bench;

import io.membercenter.MemberCenterApplication;
import io.membercenter.topology.LocalTopology;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service, profile {@code local}, on a free port of this JVM, with the JVM's shared local topology: the
 * benchmark, the service and the baselines see the very same MariaDB servers.
 */
public final class InProcessService implements AutoCloseable {

    private static final String TOPOLOGY_DIR_PROPERTY = "membercenter.topology.dir";

    private final ConfigurableApplicationContext context;

    private InProcessService(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts the topology (through the service's local profile) and the service; returns when both are ready. */
    public static InProcessService start() {
        return startWith();
    }

    /** {@link #start()} with settings of the service's own ({@code --name=value}), as a deployment would set them. */
    public static InProcessService start(List<String> settings) {
        return startWith(settings.toArray(String[]::new));
    }

    /**
     * A second instance, in data center B (node id 1), on the topology the first one started: reads B's copies,
     * writes to the master of the moment, as {@code ./mc run}'s instance on :8081 — but its own context, so that the
     * first can go without it (the whole-data-center drill).
     */
    public static InProcessService startInDataCenterB() {
        return startWith("--member-center.shard.data-center=B", "--member-center.member.node-id=1");
    }

    private static InProcessService startWith(String... more) {
        useOwnTopologyDir();
        List<String> arguments =
                new ArrayList<>(List.of("--server.port=0", "--member-center.local-topology.banner=false"));
        arguments.addAll(List.of(more));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(MemberCenterApplication.class)
                .profiles("local")
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                // As arguments, not default properties: those rank below application.yml's server.port 8080.
                .run(arguments.toArray(String[]::new));
        return new InProcessService(context);
    }

    public int port() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    public LocalTopology topology() {
        return LocalTopology.shared();
    }

    /** One of the running service's own parts, for what a benchmark does beside the API (bulk loads, rebuilds). */
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** A setting of the running service, so a baseline can be configured like it. */
    public int intProperty(String name, int otherwise) {
        return context.getEnvironment().getProperty(name, Integer.class, otherwise);
    }

    @Override
    public void close() {
        context.close();
    }

    /**
     * A benchmark gets its own topology folder next to its jar (bench/target/bench-topology): the default
     * ./target/local-topology may belong to a {@code ./mc run} in progress, which the topology would refuse.
     */
    private static void useOwnTopologyDir() {
        if (System.getProperty(TOPOLOGY_DIR_PROPERTY) != null) {
            return;
        }
        System.setProperty(
                TOPOLOGY_DIR_PROPERTY,
                benchTargetDir().resolve("bench-topology").toString());
    }

    /**
     * bench/target, found from where this class was loaded: bench/target/bench.jar or bench/target/classes. Public
     * for the benchmarks that start servers of their own there ({@code flow.FlowCommand}).
     */
    public static Path benchTargetDir() {
        try {
            Path codeSource = Path.of(InProcessService.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path parent = codeSource.toAbsolutePath().getParent();
            return parent != null && Files.isDirectory(parent) ? parent : Path.of("target");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target");
        }
    }
}
