package io.membercenter.local;

import io.membercenter.topology.LocalTopology;
import io.membercenter.topology.StoreInfo;
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
 * (databases), {@code .url} (search), {@code .bootstrap} (Kafka), {@code .redis} (caches). A store
 * that was not started publishes nothing, and the feature that needs it stays off.
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
        Map<String, Object> properties = new HashMap<>();
        for (StoreInfo store : topology.stores()) {
            String prefix = "local-topology." + store.name() + ".";
            properties.put(prefix + "host", store.host());
            properties.put(prefix + "port", store.port());
            String address = store.host() + ":" + store.port();
            switch (store.kind()) {
                case DB -> properties.put(prefix + "jdbc", "jdbc:mariadb://" + address);
                case SEARCH -> properties.put(prefix + "url", "http://" + address);
                case MQ -> properties.put(prefix + "bootstrap", address);
                case CACHE -> properties.put(prefix + "redis", "redis://" + address);
                default -> {}
            }
        }
        properties.put("local-topology.app-user", topology.appUser());
        properties.put("local-topology.app-password", topology.appPassword());
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
    }
}
