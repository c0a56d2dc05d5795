package io.membercenter.replication;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How far committed changes have got on their way to the search clusters, as facts a reader can
 * build a read-your-writes promise on (the checkpoint argument is in {@link KafkaReplicationProgress}).
 * With change capture off ({@link #off()}) nothing can be shown to have been applied anywhere, so
 * search answers no lookup: the real answer of a service without Kafka, not a missing bean.
 */
public interface ReplicationProgress {

    /** Seconds the oldest unsent change has waited; infinite when the outbox cannot be read. */
    double outboxLagSeconds();

    /**
     * The newest time before which every committed change has been applied by this consumer group;
     * empty when that cannot be told.
     */
    OptionalLong appliedBefore(String consumerGroup);

    /**
     * {@link #appliedBefore(String)} of several groups at once, in one round trip where the store can answer so (a
     * reader that watches every cluster asks this a few times a second, at rest too).
     */
    default Map<String, OptionalLong> appliedBefore(Collection<String> consumerGroups) {
        Map<String, OptionalLong> applied = new LinkedHashMap<>();
        consumerGroups.forEach(group -> applied.put(group, appliedBefore(group)));
        return applied;
    }

    /**
     * How many checkpoints have been taken so far: a reader that asked {@link #appliedBefore} since the last one
     * would be told nothing newer by asking again before the next (it may still, for a consumer that moved).
     */
    default long checkpointsTaken() {
        return 0;
    }

    /** Change capture off: no Kafka, so no consumer group has applied anything that can be shown. */
    static ReplicationProgress off() {
        return new ReplicationProgress() {
            @Override
            public double outboxLagSeconds() {
                return Double.POSITIVE_INFINITY;
            }

            @Override
            public OptionalLong appliedBefore(String consumerGroup) {
                return OptionalLong.empty();
            }
        };
    }
}
