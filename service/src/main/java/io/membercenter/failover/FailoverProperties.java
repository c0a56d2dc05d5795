package io.membercenter.failover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the topology record lives and how a switch of the database master is bounded, validated once at start.
 * Without {@code zookeeper-connect} failover is off: the master is the configured one
 * ({@code member-center.shard}) and writes are never held or refused.
 *
 * @param zookeeperConnect ZooKeeper's connect string ({@code host:port,...}); blank: failover off
 * @param root the znode under which the record, the leader latch, the instances and the history live
 * @param sessionTimeout ZooKeeper session: how long an instance cut off from the ensemble stays known to it
 * @param connectionTimeout how long a connection attempt to the ensemble may take
 * @param writeHold the longest a write waits while a planned switchover holds writes, counted from its arrival;
 *     then it is a 503. Also how long the leader waits for every instance to have no write in flight
 * @param catchUpTimeout how long a switchover waits for the new master to have every write of the old one
 * @param adminUsername the database servers' administrator (fences, promotes, re-points replication)
 * @param replicationUsername what a replica connects to its master as
 * @param automatic whether the leader promotes the replica on its own when the master is lost
 * @param watchInterval how often the leader's watch reads the master (and the replica)
 * @param probeDeadline connect and read deadline of one watch round's read of a server
 * @param masterLostAfter how long the master must fail every read of the watch before it is lost and the replica is
 *     promoted
 * @param replicaAckTimeout how long commits may wait for the replica's acknowledgement before the leader records the
 *     replica as stale and lets the master acknowledge alone
 * @param guardedSemiSyncTimeout the master's own semi-synchronous timeout while a leader guards it: long, so that
 *     the master never falls back to acknowledging alone before the leader has recorded the replica as stale
 * @param unguardedSemiSyncTimeout what the timeout goes back to when this instance stops leading
 */
@ConfigurationProperties("member-center.failover")
record FailoverProperties(
        String zookeeperConnect,
        @DefaultValue("/member-center/failover") String root,
        @DefaultValue("4s") Duration sessionTimeout,
        @DefaultValue("2s") Duration connectionTimeout,
        @DefaultValue("3s") Duration writeHold,
        @DefaultValue("5s") Duration catchUpTimeout,
        String adminUsername,
        String adminPassword,
        String replicationUsername,
        String replicationPassword,
        @DefaultValue("true") boolean automatic,
        @DefaultValue("200ms") Duration watchInterval,
        @DefaultValue("300ms") Duration probeDeadline,
        @DefaultValue("500ms") Duration masterLostAfter,
        @DefaultValue("1s") Duration replicaAckTimeout,
        @DefaultValue("1h") Duration guardedSemiSyncTimeout,
        @DefaultValue("1s") Duration unguardedSemiSyncTimeout) {

    FailoverProperties {
        adminPassword = adminPassword == null ? "" : adminPassword;
        replicationPassword = replicationPassword == null ? "" : replicationPassword;
        List<String> problems = new ArrayList<>();
        if (root == null || !root.startsWith("/") || root.endsWith("/")) {
            problems.add("root must start with / and not end with it");
        }
        for (Duration d : List.of(
                sessionTimeout,
                connectionTimeout,
                writeHold,
                catchUpTimeout,
                watchInterval,
                probeDeadline,
                masterLostAfter,
                replicaAckTimeout,
                guardedSemiSyncTimeout,
                unguardedSemiSyncTimeout)) {
            if (d.isNegative() || d.isZero()) problems.add("every duration must be positive");
        }
        boolean enabled = zookeeperConnect != null && !zookeeperConnect.isBlank();
        if (enabled && (adminUsername == null || adminUsername.isBlank())) {
            problems.add("admin-username is needed with zookeeper-connect (a switch fences and promotes servers)");
        }
        if (enabled && (replicationUsername == null || replicationUsername.isBlank())) {
            problems.add("replication-username is needed with zookeeper-connect (the old master rejoins as replica)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("member-center.failover is invalid: "
                    + String.join("; ", problems.stream().distinct().toList()));
        }
    }

    boolean enabled() {
        return zookeeperConnect != null && !zookeeperConnect.isBlank();
    }
}
