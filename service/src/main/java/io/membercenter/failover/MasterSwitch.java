package io.membercenter.failover;

import io.membercenter.api.BadRequestException;
import io.membercenter.api.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
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
    /** The kinds of reads a switch by hand moves, by kind. */
    private final Map<String, ReadRoute> readRoutes;

    private final FailoverProperties properties;
    private final Clock clock;
    /** One switch at a time on this instance; the record's version check keeps it one at a time everywhere. */
    private final ReentrantLock running = new ReentrantLock();

    MasterSwitch(
            Coordination coordination,
            DatabaseServers servers,
            List<ReadRoute> readRoutes,
            FailoverProperties properties,
            Clock clock) {
        this.coordination = coordination;
        this.servers = servers;
        this.readRoutes = readRoutes.stream().collect(Collectors.toUnmodifiableMap(ReadRoute::kind, r -> r));
        this.properties = properties;
        this.clock = clock;
    }

    SwitchEntry switchTo(String to, String by, String reason) {
        if (!servers.dataCenters().contains(to)) {
            throw BadRequestException.field("to", "must be one of " + servers.dataCenters());
        }
        return asLeader(() -> switchAsLeader(to, by, reason));
    }

    /**
     * A failover of reads by hand ({@link ReadRoute}: search or cache): on every instance, reads of that kind go
     * first to {@code to}'s cluster or Redis; {@code to} null is the failback to the configured layout, refused (503)
     * while what it returns to is not fit to serve — a search cluster that has not caught up (its lag must be 0 on
     * the checkpoint rule of search's freshness, or ORDER lookups would lose their read-your-writes), a Redis that is
     * not trusted.
     */
    SwitchEntry switchReads(String kind, String to, String by, String reason) {
        ReadRoute route = readRoutes.get(kind);
        if (route == null) throw new IllegalArgumentException("no read route " + kind);
        List<String> dataCenters = route.dataCenters();
        if (dataCenters.isEmpty()) {
            throw new StoreUnavailableException(
                    "The " + kind + " is off on this instance: there is nothing to fail over.");
        }
        if (to != null && !dataCenters.contains(to)) {
            throw BadRequestException.field("to", "must be a data center with a " + kind + " store: " + dataCenters);
        }
        return asLeader(() -> {
            Coordination.Versioned start = readRecord();
            TopologyRecord before = start.record();
            String movedTo = route.movedTo(before);
            if (to != null && to.equals(movedTo)) {
                throw BadRequestException.field("to", kind + " is already served from data center " + to);
            }
            if (to == null && movedTo == null) {
                throw BadRequestException.field("kind", kind + " is not failed over: there is nothing to fail back");
            }
            List<String> notFit = route.notFitToServe();
            if (to == null && !notFit.isEmpty()) {
                throw new StoreUnavailableException(
                        "Failback refused: " + notFit + " " + route.whyNotFit() + "; try again once they are.");
            }
            TopologyRecord after = route.movedTo(before, to);
            writeRecord(after, start.version());
            String home = route.home();
            SwitchEntry entry = new SwitchEntry(
                    kind,
                    movedTo == null ? home : movedTo,
                    to == null ? home : to,
                    after.epoch(),
                    reason,
                    by,
                    clock.instant().toString());
            coordination.appendHistory(entry);
            log.info(
                    "event=reads_switched kind={} from={} to={} epoch={} by={}",
                    kind,
                    entry.from(),
                    entry.to(),
                    entry.epoch(),
                    by);
            return entry;
        });
    }

    private SwitchEntry asLeader(java.util.function.Supplier<SwitchEntry> change) {
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
            return change.get();
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
        // The old master is the new one's replica; it has every write (it was the master) unless it did not rejoin.
        TopologyRecord after = held.promoted(to, rejoin.isEmpty() ? null : from);
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

    /**
     * The automatic failover, run by the leader's watch when the master {@code from} has not answered for
     * {@code lostForMillis}: the replica {@code to} applies everything it received and is promoted, and the record
     * names it master, with {@code from} stale (it lacks every write from now on). Refused — nothing changes — when
     * the record names another master, a switch is running, {@code to} is recorded stale (it may lack acknowledged
     * writes: promoting it could lose them), {@code to} does not answer, or it could not apply its relay log. The old
     * master cannot be fenced while it does not answer; it takes no write of ours because every instance routes by
     * the record, and the watch fences it and has it follow {@code to} when it returns.
     *
     * @return whether {@code to} was promoted
     */
    boolean failoverAfterLoss(String from, String to, long lostForMillis) {
        if (!running.tryLock()) return false;
        try {
            Coordination.Versioned start = readRecord();
            TopologyRecord before = start.record();
            if (!before.master().equals(from) || before.holding()) return false;
            if (before.isStale(to)) {
                log.warn("event=db_failover_refused from={} to={} reason=replica_stale", from, to);
                return false;
            }
            long startedAt = System.nanoTime();
            try {
                if (!servers.promoteAfterLoss(to, properties.catchUpTimeout(), properties.guardedSemiSyncTimeout())) {
                    log.warn("event=db_failover_refused from={} to={} reason=relay_log_not_applied", from, to);
                    return false;
                }
            } catch (Exception e) {
                log.warn(
                        "event=db_failover_refused from={} to={} reason={}",
                        from,
                        to,
                        e.getClass().getSimpleName());
                return false;
            }
            long promotedAt = System.nanoTime();
            TopologyRecord after = before.promoted(to, from);
            // If this write fails the record still names the lost master; the next round promotes again (every step
            // of the promotion is idempotent) and writes it then.
            writeRecord(after, start.version());
            String reason = "master unreachable for " + lostForMillis + " ms (automatic)";
            coordination.appendHistory(new SwitchEntry(
                    "db",
                    from,
                    to,
                    after.epoch(),
                    reason,
                    "failover-leader " + coordination.instanceId(),
                    clock.instant().toString()));
            log.info(
                    "event=db_master_failed_over from={} to={} epoch={} lost_for_ms={} promoted_ms={} recorded_ms={}",
                    from,
                    to,
                    after.epoch(),
                    lostForMillis,
                    (promotedAt - startedAt) / 1_000_000,
                    (System.nanoTime() - startedAt) / 1_000_000);
            return true;
        } finally {
            running.unlock();
        }
    }

    /** Whether a switch runs on this instance now: the watch leaves the servers alone meanwhile. */
    boolean running() {
        return running.isLocked();
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
