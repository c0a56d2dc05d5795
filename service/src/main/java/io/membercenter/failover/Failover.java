package io.membercenter.failover;

import java.util.Optional;

/**
 * This instance's failover: with a coordination store, the record it follows and the switch its leader runs;
 * without one, neither ("off": the configured master, writes never held or refused).
 */
record Failover(
        Optional<Coordination> coordination,
        Optional<MasterSwitch> masterSwitch,
        Optional<MasterWatch> watch,
        String homeMaster)
        implements AutoCloseable {

    static Failover off(String homeMaster) {
        return new Failover(Optional.empty(), Optional.empty(), Optional.empty(), homeMaster);
    }

    @Override
    public void close() {
        // The watch first: it gives the servers their own timeout back while this instance still leads.
        watch.ifPresent(MasterWatch::close);
        coordination.ifPresent(Coordination::close);
    }
}
