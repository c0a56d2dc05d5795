package io.membercenter.support;

import static org.awaitility.Awaitility.await;

import io.membercenter.topology.LocalTopology;
import io.membercenter.topology.StoreInfo;
import io.membercenter.topology.StoreKind;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Starts the local topology once per test JVM, before the first application context needs it, and hands tests what
 * they need of it, as JDBI's {@code JdbiExtension} hands out its database: an {@link ApiClient} for the service under
 * test and the {@link Stores}, to stop one. Registered by {@link ServiceTest}.
 *
 * <p>After every test, every store is up again and the service trusts it: a store the test left down (stopped
 * through {@link Stores}, or through {@code /admin/local/stores}) is restarted, the replica has caught up with the
 * master, and the service trusts both Redis again (a restarted Redis comes back empty and is trusted only one marker
 * life later). So no test leaves a server down for the next, and none depends on running after another.
 *
 * <p>The topology is the one the service's {@code local} profile uses ({@code LocalTopology.shared()}, started here
 * first). It is not closed when the test run ends: its own shutdown hook stops it, in parallel with the Spring
 * contexts that use it; stopping it earlier would leave those contexts' clients (Kafka's above all) retrying against
 * servers that are gone while they shut down.
 */
public final class LocalTopologyExtension implements BeforeAllCallback, AfterEachCallback, ParameterResolver {

    private static final Duration HEALTHY = Duration.ofSeconds(60);

    @Override
    public void beforeAll(ExtensionContext context) {
        topology();
    }

    /**
     * The running topology, started on first use: the JVM's one, which the service's {@code local} profile uses too.
     * For the support classes ({@link Sql}, {@link SearchDocs}, {@link CacheEntries}); tests get {@link Stores}.
     */
    static LocalTopology topology() {
        return LocalTopology.shared();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LocalTopology running = topology();
        List<StoreInfo> down =
                running.stores().stream().filter(store -> !store.up()).toList();
        for (StoreInfo store : down) {
            running.start(store.name());
        }
        ApplicationContext service = SpringExtension.getApplicationContext(context);
        if (down.stream().anyMatch(store -> store.kind() == StoreKind.DB)) {
            running.awaitReplicaCaughtUp(HEALTHY);
            awaitWritesAccepted(service);
        }
        awaitEveryRedisTrusted(service);
    }

    /** Brings one store back and waits until it is healthy, as {@link #afterEach} does for all. */
    static void restart(String name, ApplicationContext service) {
        LocalTopology running = topology();
        running.start(name);
        StoreKind kind = running.store(name).kind();
        if (kind == StoreKind.DB) {
            running.awaitReplicaCaughtUp(HEALTHY);
            awaitWritesAccepted(service);
        } else if (kind == StoreKind.CACHE) {
            awaitEveryRedisTrusted(service);
        }
    }

    /**
     * Waits until the service behind {@code context} takes writes again: a database's breaker closes on its
     * first successful probe, up to one open time after the server returned, and the next test must not
     * inherit an open one.
     */
    static void awaitWritesAccepted(ApplicationContext context) {
        ApiClient api = apiClientOf(context);
        await("the service takes writes again")
                .atMost(HEALTHY)
                .pollInterval(Duration.ofMillis(100))
                .until(() ->
                        api.create(RequestBody.create(TestData.mobile(), null)).status() == 201);
    }

    private static ApiClient apiClientOf(ApplicationContext spring) {
        return new ApiClient(Integer.parseInt(spring.getEnvironment().getRequiredProperty("local.server.port")));
    }

    /** Waits until the service behind {@code context} trusts every Redis ({@code cache_redis_trusted} is 1). */
    static void awaitEveryRedisTrusted(ApplicationContext context) {
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        await("the service trusts every Redis again")
                .atMost(HEALTHY)
                .pollInterval(Duration.ofMillis(100))
                .until(() ->
                        meters.find("cache_redis_trusted").gauges().stream().allMatch(gauge -> gauge.value() == 1));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ApiClient.class || type == Stores.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == Stores.class) {
            return new Stores(topology(), SpringExtension.getApplicationContext(context));
        }
        return apiClientOf(SpringExtension.getApplicationContext(context));
    }
}
