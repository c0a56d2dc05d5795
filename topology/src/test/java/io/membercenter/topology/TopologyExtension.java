package io.membercenter.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A topology for a test class, as JDBI's {@code JdbiExtension} gives one a database: started before its first test
 * (and, for {@link #shared()}, once per JVM), and after every test each store the test stopped is started again and
 * a replica has caught up, so no test leaves a server down for the next or depends on running after another.
 * Register it in a static field with {@code @RegisterExtension}.
 */
final class TopologyExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final TopologyOptions options;
    private LocalTopology topology;

    private TopologyExtension(TopologyOptions options) {
        this.options = options;
    }

    /** A topology of only these kinds, in a work dir of its own, closed after the class's last test. */
    static TopologyExtension ofKinds(Path workDir, StoreKind first, StoreKind... more) {
        return new TopologyExtension(new TopologyOptions(workDir, List.of(), EnumSet.of(first, more)));
    }

    /** The JVM-wide {@link LocalTopology#shared()}, left running for the next class (its shutdown hook stops it). */
    static TopologyExtension shared() {
        return new TopologyExtension(null);
    }

    /** The running topology; only from the class's tests and {@code @BeforeAll} methods. */
    LocalTopology topology() {
        if (topology == null) {
            throw new IllegalStateException("Not started yet: register the extension with @RegisterExtension");
        }
        return topology;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        topology = options == null ? LocalTopology.shared() : LocalTopology.start(options);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<StoreInfo> down =
                topology.stores().stream().filter(store -> !store.up()).toList();
        for (StoreInfo store : down) {
            topology.start(store.name());
        }
        if (down.stream().anyMatch(store -> store.kind() == StoreKind.DB)) {
            topology.awaitReplicaCaughtUp(CATCH_UP);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (options != null) {
            topology.close();
        }
    }
}
