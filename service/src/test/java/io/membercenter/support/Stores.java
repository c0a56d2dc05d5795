package io.membercenter.support;

import io.membercenter.topology.LocalTopology;
import org.springframework.context.ApplicationContext;

/**
 * The servers of the local topology as a test plays outages with them; handed to tests by {@link
 * LocalTopologyExtension}. A stopped store comes back when its {@link StoppedStore} is closed, or else after the test.
 */
public final class Stores {

    private final LocalTopology topology;
    private final ApplicationContext service;

    Stores(LocalTopology topology, ApplicationContext service) {
        this.topology = topology;
        this.service = service;
    }

    /**
     * Stops a store ({@code mysql-a}, {@code redis-b}, {@code kafka}, {@code search-backup}, ...). Closing the answer
     * starts it again and waits until it is healthy; a store still down when the test ends is brought back then.
     */
    public StoppedStore stop(String name) {
        topology.stop(name);
        return new StoppedStore(name, service);
    }

    public boolean isUp(String name) {
        return topology.isUp(name);
    }

    /** A stopped store; {@link #close()} (or the end of the test) brings it back. */
    public static final class StoppedStore implements AutoCloseable {

        private final String name;
        private final ApplicationContext service;

        private StoppedStore(String name, ApplicationContext service) {
            this.name = name;
            this.service = service;
        }

        /** Starts the store again on its port with its data; returns once it is healthy. Idempotent. */
        @Override
        public void close() {
            LocalTopologyExtension.restart(name, service);
        }
    }
}
