package io.membercenter.replication;

import org.springframework.context.ApplicationContext;

/**
 * For tests outside this package: stop, start and crash the outbox relay, which is package-private
 * in the service (nothing outside replication may stop it). Test code only.
 */
public final class Relay {

    private final OutboxRelay relay;

    public Relay(ApplicationContext context) {
        this.relay = context.getBean(OutboxRelay.class);
    }

    public void start() {
        relay.start();
    }

    public void stop() {
        relay.stop();
    }

    /** The next published batch is sent but not marked sent, as if the relay crashed in between. */
    public void crashAfterNextPublish() {
        relay.crashAfterNextPublish();
    }
}
