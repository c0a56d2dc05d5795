package io.membercenter.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * {@code ./mc run}'s second instance: the same service in data center B, on {@code :8081}, reading B's copies and
 * writing to the master, as {@code DataCenterBReadsTest} configures it. It runs in this JVM, on the same local
 * topology ({@code LocalTopology.shared()}), so one command and one Ctrl-C serve both; a separate JVM would have to
 * find a topology it did not start. It is its own application context (own web server, pools, relays, node id 1), so
 * it shares nothing with the instance in A but the servers, as a real second instance would.
 */
@Component
@Profile("local")
@ConditionalOnProperty(name = LocalDataCenterBInstance.ENABLED, havingValue = "true")
final class LocalDataCenterBInstance {

    static final String ENABLED = "member-center.local.data-center-b.enabled";
    private static final Logger log = LoggerFactory.getLogger(LocalDataCenterBInstance.class);
    /** What makes the second instance the one in B; the parent's arguments with these keys are left out. */
    private static final Map<String, String> IN_DATA_CENTER_B = Map.of(
            "server.port",
            "${member-center.local.data-center-b.port:8081}",
            "member-center.shard.data-center",
            "B",
            "member-center.member.node-id",
            "1",
            "member-center.local-topology.banner",
            "false",
            ENABLED,
            "false");

    private volatile ConfigurableApplicationContext instanceInB;

    @EventListener(ApplicationReadyEvent.class)
    void startTheInstanceInB(ApplicationReadyEvent ready) {
        if (instanceInB != null || ready.getApplicationContext().getParent() != null) {
            return;
        }
        List<String> args = new ArrayList<>();
        for (String arg : ready.getArgs()) {
            if (IN_DATA_CENTER_B.keySet().stream().noneMatch(key -> arg.startsWith("--" + key + "="))) {
                args.add(arg);
            }
        }
        IN_DATA_CENTER_B.forEach((key, value) -> args.add("--" + key + "=" + value));
        Object[] sources = ready.getSpringApplication().getAllSources().toArray();
        instanceInB = new SpringApplicationBuilder()
                .sources(toClasses(sources))
                .profiles("local")
                .run(args.toArray(String[]::new));
        String port = instanceInB.getEnvironment().getProperty("local.server.port");
        log.info("event=local_instance_started data_center=B port={}", port);
        System.out.println("service in data center B: http://localhost:" + port
                + " (reads B's copies; writes go to the master in A)");
    }

    @EventListener(ContextClosedEvent.class)
    void stopTheInstanceInB(ContextClosedEvent closed) {
        ConfigurableApplicationContext running = instanceInB;
        if (running != null && closed.getApplicationContext() != running) {
            instanceInB = null;
            running.close();
        }
    }

    private static Class<?>[] toClasses(Object[] sources) {
        List<Class<?>> classes = new ArrayList<>();
        for (Object source : sources) {
            if (source instanceof Class<?> type) {
                classes.add(type);
            }
        }
        return classes.toArray(Class<?>[]::new);
    }
}
