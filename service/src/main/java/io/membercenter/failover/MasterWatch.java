package io.membercenter.failover;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover leader's watch over the two database copies, one round every {@code watch-interval}, on the leader
 * only:
 * <ul>
 *   <li><b>Master lost</b> (no answer within {@code probe-deadline} for {@code master-lost-after}): the replica is
 *       promoted ({@link MasterSwitch#failoverAfterLoss}) unless it is recorded stale.</li>
 *   <li><b>The master's acknowledgements are ours to give up</b>: its own semi-synchronous timeout is
 *       {@code guarded-semi-sync-timeout} (long) while a leader guards it, so it never falls back to acknowledging
 *       alone by itself. When commits have waited for the replica for {@code replica-ack-timeout} (or no replica is
 *       connected), the watch first records the replica as stale and only then switches the master's
 *       semi-synchronous role off, which releases the waiting commits. So a replica that the record does not call
 *       stale has every acknowledged write, even when the master has just died: the rule a promotion needs.</li>
 *   <li><b>A stale replica comes back</b>: a copy that is writable or follows no one (the old master, back after a
 *       failover) is fenced and made to follow the master; once it follows and has applied the master's position,
 *       the master's semi-synchronous role goes on again, and once it has applied the position read after that,
 *       the record stops calling it stale.</li>
 * </ul>
 * Why a loop of ours and not a library: the decisions are the record's and MariaDB's (GTID positions, semi-sync
 * status), which no failover library we can run here knows (orchestrator and MHA are separate daemons).
 */
final class MasterWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MasterWatch.class);

    private final Coordination coordination;
    private final DatabaseServers servers;
    private final MasterSwitch masterSwitch;
    private final FailoverProperties properties;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean leading;
    /** When the watch first failed to read the master in the current run of failures; 0: it answered last time. */
    private long masterSilentSince;
    /** When the master was first seen without a connected replica in the current run; 0: it had one last time. */
    private long replicaMissingSince;

    MasterWatch(
            Coordination coordination,
            DatabaseServers servers,
            MasterSwitch masterSwitch,
            FailoverProperties properties) {
        this.coordination = coordination;
        this.servers = servers;
        this.masterSwitch = masterSwitch;
        this.properties = properties;
        this.thread = Thread.ofPlatform().daemon().name("master-watch").unstarted(this::watch);
    }

    void start() {
        thread.start();
    }

    private void watch() {
        while (running) {
            try {
                if (coordination.isLeader()) {
                    if (!leading) log.info("event=master_watch_leading instance={}", coordination.instanceId());
                    leading = true;
                    round();
                } else if (leading) {
                    leading = false;
                    unguard();
                }
            } catch (Exception e) {
                log.warn(
                        "event=master_watch_round_failed reason={}",
                        e.getClass().getSimpleName());
            }
            try {
                Thread.sleep(properties.watchInterval());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void round() throws Exception {
        TopologyRecord record = coordination.followed().orElse(null);
        if (record == null || record.holding() || masterSwitch.running()) return;
        String master = record.master();
        String replica = other(master);
        var state = servers.masterState(master, properties.probeDeadline());
        if (state.isEmpty()) {
            replicaMissingSince = 0;
            masterSilent(record, master, replica);
            return;
        }
        masterSilentSince = 0;
        if (state.get().semiSyncTimeoutMillis()
                != properties.guardedSemiSyncTimeout().toMillis()) {
            servers.semiSyncTimeout(master, properties.guardedSemiSyncTimeout());
        }
        if (record.isStale(replica)) {
            bringBack(record, master, replica, state.get());
        } else {
            guardAcknowledgements(record, master, replica, state.get());
        }
    }

    private void masterSilent(TopologyRecord record, String master, String replica) {
        long now = System.nanoTime();
        if (masterSilentSince == 0) {
            if (record.isStale(replica)) {
                log.error(
                        "event=db_failover_refused from={} to={} reason=replica_stale writes=refused_until_master_returns",
                        master,
                        replica);
            }
            masterSilentSince = now;
            log.warn("event=db_master_silent data_center={}", master);
            return;
        }
        long silentMillis = (now - masterSilentSince) / 1_000_000;
        if (properties.automatic()
                && !record.isStale(replica)
                && silentMillis >= properties.masterLostAfter().toMillis()) {
            if (masterSwitch.failoverAfterLoss(master, replica, silentMillis)) masterSilentSince = 0;
        }
    }

    private void guardAcknowledgements(
            TopologyRecord record, String master, String replica, DatabaseServers.MasterState state) throws Exception {
        long now = System.nanoTime();
        boolean noReplica = state.semiSyncClients() == 0;
        if (!noReplica) replicaMissingSince = 0;
        else if (replicaMissingSince == 0) replicaMissingSince = now;
        boolean replicaGone = noReplica
                && now - replicaMissingSince >= properties.replicaAckTimeout().toNanos();
        boolean ackTooSlow =
                state.longestAckWaitMillis() >= properties.replicaAckTimeout().toMillis();
        if (state.semiSyncEnabled() && !replicaGone && !ackTooSlow) return;
        // Recorded first: from here on a promotion of the replica is refused, and only then may the master
        // acknowledge without it.
        Coordination.Versioned current = coordination.read();
        if (!current.record().equals(record)) return; // changed meanwhile: the next round decides
        coordination.write(record.withStale(replica), current.version());
        if (state.semiSyncEnabled()) servers.semiSyncMaster(master, false);
        replicaMissingSince = 0;
        log.warn(
                "event=db_replica_stale data_center={} master={} longest_ack_wait_ms={} replicas={}",
                replica,
                master,
                state.longestAckWaitMillis(),
                state.semiSyncClients());
    }

    private void bringBack(TopologyRecord record, String master, String replica, DatabaseServers.MasterState state)
            throws Exception {
        var copy = servers.replicaState(replica, master, properties.probeDeadline());
        if (copy.isEmpty()) return; // still away
        if (copy.get().writable() || !copy.get().follows()) {
            // The old master, back after a failover (or a copy re-pointed by hand): it must never take a write.
            servers.fence(replica);
            servers.follow(replica, master);
            log.info("event=db_copy_rejoined data_center={} master={}", replica, master);
            return;
        }
        if (!copy.get().receiving()) return;
        Duration briefly = properties.probeDeadline();
        if (!state.semiSyncEnabled()) {
            // On only once it has caught up: a long-behind replica would hold every commit while it does.
            if (servers.awaitApplied(replica, servers.binlogPosition(master), briefly)) {
                servers.semiSyncMaster(master, true);
            }
            return;
        }
        // Every commit from the switch-on waits for the replica; everything before is in this position.
        if (state.semiSyncClients() > 0 && servers.awaitApplied(replica, servers.binlogPosition(master), briefly)) {
            Coordination.Versioned current = coordination.read();
            if (!current.record().equals(record)) return;
            coordination.write(record.withStale(null), current.version());
            log.info("event=db_replica_complete data_center={} master={}", replica, master);
        }
    }

    private String other(String dataCenter) {
        List<String> others = servers.dataCenters().stream()
                .filter(dc -> !dc.equals(dataCenter))
                .toList();
        return others.getFirst();
    }

    /** No leader guards the servers once this one stops leading: their own timeout decides again. */
    private void unguard() {
        for (String dataCenter : servers.dataCenters()) {
            try {
                servers.semiSyncTimeout(dataCenter, properties.unguardedSemiSyncTimeout());
            } catch (Exception e) {
                log.warn(
                        "event=semi_sync_unguard_failed data_center={} reason={}",
                        dataCenter,
                        e.getClass().getSimpleName());
            }
        }
        log.info("event=master_watch_stopped_leading instance={}", coordination.instanceId());
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (leading) unguard();
    }
}
