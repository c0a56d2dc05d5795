package io.membercenter.support;

import io.membercenter.MemberCenterApplication;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A second instance of the service, in data center B, as {@code ./mc run}'s {@code LocalSecondInstance} runs
 * it: its own application context in this JVM (own web server on a free port, pools, pollers, node id 1), on the
 * same local topology. For tests of what must reach every instance (callers, rules). Closing it is its restart's
 * first half.
 */
public final class SecondInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final ApiClient api;

    private SecondInstance(ConfigurableApplicationContext context) {
        this.context = context;
        this.api = new ApiClient(Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port")));
    }

    public static SecondInstance start() {
        return start(new String[0]);
    }

    /** With more arguments ({@code --name=value}), e.g. the coordination store the failover tests start. */
    public static SecondInstance start(String... moreArguments) {
        return startIn("B", 1, moreArguments);
    }

    /**
     * In {@code dataCenter}, with its own {@code nodeId} (unique among the instances that write at the same time),
     * e.g. the instance in A of a test whose own context plays the one in B.
     */
    public static SecondInstance startIn(String dataCenter, int nodeId, String... moreArguments) {
        LocalTopologyExtension.topology();
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--member-center.shard.data-center=" + dataCenter,
                "--member-center.member.node-id=" + nodeId,
                "--member-center.local-topology.banner=false"));
        arguments.addAll(List.of(moreArguments));
        // On the JVM's MutableClock, as every test context is: a test that advances it (a claim TTL at a time) made
        // the contexts' sweepers take this instance's live creates for stale and abort them (DatabaseSwitchoverTest
        // in the full suite, after MemberCrashRecoveryTest: "The create took too long and was abandoned").
        return new SecondInstance(
                new SpringApplicationBuilder(MemberCenterApplication.class, TestClockConfiguration.class)
                        .profiles("local", "test")
                        .run(arguments.toArray(String[]::new)));
    }

    public ApiClient api() {
        return api;
    }

    @Override
    public void close() {
        context.close();
    }
}
