package io.membercenter.failover;

import java.util.Optional;

/**
 * This instance's failover: with a coordination store, the record it follows and the switch its leader runs;
 * without one, neither ("off": the configured master, writes never held or refused).
 */
record Failover(Optional<Coordination> coordination, Optional<MasterSwitch> masterSwitch, String homeMaster)
        implements AutoCloseable {

    static Failover off(String homeMaster) {
        return new Failover(Optional.empty(), Optional.empty(), homeMaster);
    }

    @Override
    public void close() {
        coordination.ifPresent(Coordination::close);
    }
}
