package io.membercenter.topology;

import java.util.HashMap;
import java.util.Map;

/**
 * How far the replica ({@code mysql-b}) is behind the master ({@code mysql-a}), as both servers say it, read from the
 * master first and then from the replica. A GTID position is MariaDB's list of the last transaction per replication
 * domain ({@code domain-server-sequence}, comma-separated); within a domain sequence numbers only grow.
 *
 * @param semiSynchronous            the master's {@code Rpl_semi_sync_master_status}: ON means every commit it
 *                                   acknowledges has first been acknowledged by the replica (written to its relay
 *                                   log); OFF means it has fallen back to asynchronous replication after the timeout
 * @param semiSyncReplicas           {@code Rpl_semi_sync_master_clients}: replicas connected as semi-synchronous ones
 * @param acknowledgedWithReplica    {@code Rpl_semi_sync_master_yes_tx}: commits the replica acknowledged, since the
 *                                   master started
 * @param acknowledgedWithoutReplica {@code Rpl_semi_sync_master_no_tx}: commits the master acknowledged without the
 *                                   replica (after the timeout, or while fallen back), since it started
 * @param masterPosition             the master's {@code gtid_binlog_pos}: every transaction in its binary log, which
 *                                   with the {@code AFTER_SYNC} wait point includes every acknowledged one
 * @param receivedPosition           the replica's {@code Gtid_IO_Pos}: what its IO thread wrote to its relay log
 * @param appliedPosition            the replica's {@code gtid_slave_pos}: what its SQL thread applied
 */
public record ReplicaSync(
        boolean semiSynchronous,
        long semiSyncReplicas,
        long acknowledgedWithReplica,
        long acknowledgedWithoutReplica,
        String masterPosition,
        String receivedPosition,
        String appliedPosition) {

    /**
     * Whether the replica's relay log holds every transaction of the master's binary log, and so every write the
     * master acknowledged: the check a promotion must pass (then wait for {@link #replicaAppliedEveryWrite()}).
     * It needs the master to answer; see the package documentation for a master that does not.
     */
    public boolean replicaHasEveryAcknowledgedWrite() {
        return covers(receivedPosition, masterPosition);
    }

    /** Whether the replica has also applied all of it, so it can serve those writes (and be promoted) right now. */
    public boolean replicaAppliedEveryWrite() {
        return covers(appliedPosition, masterPosition);
    }

    /**
     * Whether {@code position} has reached {@code required} in every domain {@code required} names: for each domain
     * of {@code required}, {@code position} has that domain with a sequence number at least as high.
     */
    static boolean covers(String position, String required) {
        Map<Long, Long> reached = sequencesByDomain(position);
        return sequencesByDomain(required).entrySet().stream()
                .allMatch(domain -> reached.getOrDefault(domain.getKey(), -1L) >= domain.getValue());
    }

    /** {@code "0-1-42,1-2-7"} → {@code {0=42, 1=7}}; an empty position has no domains. */
    static Map<Long, Long> sequencesByDomain(String position) {
        Map<Long, Long> sequences = new HashMap<>();
        if (position == null || position.isBlank()) {
            return sequences;
        }
        for (String gtid : position.split(",")) {
            String[] parts = gtid.strip().split("-");
            if (parts.length != 3) {
                throw new IllegalArgumentException("Not a GTID (domain-server-sequence): '" + gtid + "'");
            }
            sequences.merge(Long.parseLong(parts[0]), Long.parseLong(parts[2]), Math::max);
        }
        return sequences;
    }
}
