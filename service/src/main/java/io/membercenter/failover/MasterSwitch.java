package io.membercenter.failover;

import io.membercenter.api.BadRequestException;
import io.membercenter.api.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A planned switch of the database master, run by the failover leader only: hold every instance's writes, wait
 * until the new master has every write of the old one, fence the old one, promote the new one, bump the epoch,
 * let writes go to the new master, and have the old master follow it. Anything that fails before the promotion
 * leaves the old master in place (unfenced) under a new epoch, with writes open again: nothing changed.
 */
final class MasterSwitch {

    private static final Logger log = LoggerFactory.getLogger(MasterSwitch.class);
    private static final Duration POLL = Duration.ofMillis(5);

    private final Coordination coordination;
    private final DatabaseServers servers;
    private final FailoverProperties properties;
    private final Clock clock;
    /** One switch at a time on this instance; the record's version check keeps it one at a time everywhere. */
    private final ReentrantLock running = new ReentrantLock();

    MasterSwitch(Coordination coordination, DatabaseServers servers, FailoverProperties properties, Clock clock) {
        this.coordination = coordination;
        this.servers = servers;
        this.properties = properties;
        this.clock = clock;
    }

    SwitchEntry switchTo(String to, String by, String reason) {
        if (!servers.dataCenters().contains(to)) {
            throw BadRequestException.field("to", "must be one of " + servers.dataCenters());
        }
        if (!coordination.connected()) {
            throw new StoreUnavailableException(
                    "This instance cannot reach the coordination store; no switch runs without it.");
        }
        if (!coordination.isLeader()) {
            throw new StoreUnavailableException("This instance is not the failover leader"
                    + coordination
                            .leaderId()
                            .map(id -> " (the leader is " + id + ")")
                            .orElse("")
                    + "; send the request to the leader.");
        }
        if (!running.tryLock()) {
            throw new StoreUnavailableException("A switch is already running.");
        }
        try {
            return switchAsLeader(to, by, reason);
        } finally {
            running.unlock();
        }
    }

    private SwitchEntry switchAsLeader(String to, String by, String reason) {
        Coordination.Versioned start = readRecord();
        TopologyRecord before = start.record();
        String from = before.master();
        if (before.holding()) {
            throw new StoreUnavailableException("A switch is already running.");
        }
        if (from.equals(to)) {
            throw BadRequestException.field("to", "data center " + to + " already holds the database master");
        }
        if (!servers.answers(to)) {
            throw new StoreUnavailableException("The database server in data center " + to + " does not answer.");
        }
        long startedAt = System.nanoTime();
        TopologyRecord held = before.next(from, true);
        int version = writeRecord(held, start.version());
        boolean fenced = false;
        long drainedAt = 0;
        long caughtUpAt = 0;
        long promotedAt = 0;
        try {
            if (!awaitEveryInstanceDrained(held.epoch())) {
                throw new StoreUnavailableException("Not every instance stopped writing within "
                        + properties.writeHold().toMillis() + " ms; the switch was abandoned.");
            }
            drainedAt = System.nanoTime();
            if (!servers.awaitApplied(to, servers.binlogPosition(from), properties.catchUpTimeout())) {
                throw new StoreUnavailableException("Data center " + to + " did not catch up within "
                        + properties.catchUpTimeout().toMillis() + " ms; the switch was abandoned.");
            }
            caughtUpAt = System.nanoTime();
            servers.fence(from);
            fenced = true;
            // Fenced: the old master's binlog can no longer grow. The new one must have all of it.
            if (!servers.awaitApplied(to, servers.binlogPosition(from), properties.catchUpTimeout())) {
                throw new StoreUnavailableException("Data center " + to + " did not catch up within "
                        + properties.catchUpTimeout().toMillis() + " ms; the switch was abandoned.");
            }
            servers.promote(to);
            promotedAt = System.nanoTime();
        } catch (Exception e) {
            abandon(held, version, from, fenced, e);
            throw e instanceof StoreUnavailableException unavailable
                    ? unavailable
                    : new StoreUnavailableException("The switch failed and was abandoned; nothing changed.", e);
        }
        // The old master follows before writes resume: the new master then has a semi-synchronous replica for its
        // first commits, instead of waiting out its timeout and acknowledging them alone.
        String rejoin = "";
        try {
            servers.follow(from, to);
        } catch (Exception e) {
            rejoin = " (the old master did not rejoin as replica: "
                    + e.getClass().getSimpleName() + ")";
            log.warn(
                    "event=old_master_rejoin_failed data_center={} reason={}",
                    from,
                    e.getClass().getSimpleName());
        }
        TopologyRecord after = held.next(to, false);
        writeRecord(after, version);
        long switchedMillis = (System.nanoTime() - startedAt) / 1_000_000;
        SwitchEntry entry = new SwitchEntry(
                "db",
                from,
                to,
                after.epoch(),
                reason + rejoin,
                by,
                clock.instant().toString());
        coordination.appendHistory(entry);
        log.info(
                "event=db_master_switched from={} to={} epoch={} by={} writes_held_ms={} drained_ms={} caught_up_ms={}"
                        + " promoted_ms={}",
                from,
                to,
                after.epoch(),
                by,
                switchedMillis,
                (drainedAt - startedAt) / 1_000_000,
                (caughtUpAt - startedAt) / 1_000_000,
                (promotedAt - startedAt) / 1_000_000);
        return entry;
    }

    private void abandon(TopologyRecord held, int version, String from, boolean fenced, Exception why) {
        log.warn(
                "event=db_switch_abandoned from={} reason={}",
                from,
                why.getClass().getSimpleName());
        try {
            if (fenced) servers.unfence(from);
            writeRecord(held.next(from, false), version);
        } catch (Exception e) {
            // The record still holds writes: instances refuse nothing worse than 503s until an operator acts.
            log.error(
                    "event=db_switch_abandon_failed from={} reason={}",
                    from,
                    e.getClass().getSimpleName());
        }
    }

    private boolean awaitEveryInstanceDrained(long epoch) throws Exception {
        long deadline = System.nanoTime() + properties.writeHold().toNanos();
        while (!coordination.everyInstanceDrained(epoch)) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(POLL);
        }
        return true;
    }

    private Coordination.Versioned readRecord() {
        try {
            return coordination.read();
        } catch (Exception e) {
            throw new StoreUnavailableException("The topology record cannot be read.", e);
        }
    }

    private int writeRecord(TopologyRecord next, int expectedVersion) {
        try {
            return coordination.write(next, expectedVersion);
        } catch (Exception e) {
            throw new StoreUnavailableException("The topology record changed or cannot be written.", e);
        }
    }
}
