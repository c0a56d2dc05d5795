package io.membercenter.local;

import io.membercenter.topology.LocalTopology;
import io.membercenter.topology.StoreInfo;
import io.membercenter.topology.StoreKind;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the local topology when the {@code local} profile is active (unless
 * {@code member-center.local-topology.enabled=false}) and publishes, per store,
 * {@code local-topology.<name>.host}, {@code .port} and the address its clients take: {@code .jdbc}
 * (databases and the legacy PostgreSQL), {@code .url} (search), {@code .bootstrap} (Kafka), {@code .redis} (caches). A store
 * that was not started publishes nothing, and the feature that needs it stays off.
 *
 * <p>Addresses are those seen from this instance's data center ({@code member-center.shard.data-center}): when the
 * topology joins the data centers by links ({@code ./mc run --dc-rtt 2ms}), an instance in B reaches A's master and
 * A's Redis through them, and pays the round trip, as an instance in A does for B's. Also published:
 * {@code local-topology.zookeeper.connect} when the coordination ensemble runs, and {@code local-topology.dc-rtt}.
 */
public final class LocalTopologyEnvironment implements EnvironmentPostProcessor {

    static final String PROPERTY_SOURCE = "localTopology";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.matchesProfiles("local")
                || !environment.getProperty("member-center.local-topology.enabled", Boolean.class, true)
                || environment.getPropertySources().contains(PROPERTY_SOURCE)) {
            return;
        }
        LocalTopology topology = LocalTopology.shared();
        String dataCenter = environment.getProperty("member-center.shard.data-center", "A");
        Map<String, Object> properties = new HashMap<>();
        for (StoreInfo store : topology.stores()) {
            String prefix = "local-topology." + store.name() + ".";
            int port = topology.portFrom(dataCenter, store.name());
            properties.put(prefix + "host", store.host());
            properties.put(prefix + "port", port);
            String address = store.host() + ":" + port;
            switch (store.kind()) {
                case DB -> properties.put(prefix + "jdbc", "jdbc:mariadb://" + address);
                case SEARCH -> properties.put(prefix + "url", "http://" + address);
                case MQ -> properties.put(prefix + "bootstrap", address);
                case CACHE -> properties.put(prefix + "redis", "redis://" + address);
                case LEGACY -> properties.put(prefix + "jdbc", topology.legacyJdbcUrl());
                default -> {}
            }
        }
        if (topology.kinds().contains(StoreKind.COORDINATION)) {
            properties.put("local-topology.zookeeper.connect", topology.zooKeeperConnectString());
        }
        properties.put("local-topology.dc-rtt", topology.options().dcRtt().toString());
        properties.put("local-topology.app-user", topology.appUser());
        properties.put("local-topology.app-password", topology.appPassword());
        if (topology.kinds().contains(StoreKind.DB)) {
            properties.put("local-topology.admin-user", topology.adminUser());
            properties.put("local-topology.admin-password", topology.adminPassword());
            properties.put("local-topology.replication-user", topology.replicationUser());
            properties.put("local-topology.replication-password", topology.replicationPassword());
        }
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
    }
}
