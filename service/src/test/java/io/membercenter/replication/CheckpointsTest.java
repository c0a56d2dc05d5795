package io.membercenter.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CheckpointsTest {

    private final Checkpoints checkpoints = new Checkpoints(3);

    @Test
    void aConsumerHasAppliedWhatWasCommittedBeforeTheNewestCheckpointItPassedOnEveryPartition() {
        checkpoints.add(1_000, Map.of(0, 5L, 1, 7L));
        checkpoints.add(1_100, Map.of(0, 6L, 1, 9L));

        assertThat(checkpoints.passedBy(Map.of(0, 6L, 1, 9L))).isEqualTo(OptionalLong.of(1_100));
        assertThat(checkpoints.passedBy(Map.of(0, 6L, 1, 8L))).isEqualTo(OptionalLong.of(1_000));
        assertThat(checkpoints.passedBy(Map.of(0, 4L, 1, 9L))).isEmpty();
    }

    @Test
    void aPartitionTheConsumerNeverCommittedCountsAsUnreadUnlessItIsEmpty() {
        checkpoints.add(1_000, Map.of(0, 5L, 1, 0L));
        checkpoints.add(1_100, Map.of(0, 5L, 1, 1L));

        assertThat(checkpoints.passedBy(Map.of(0, 5L))).isEqualTo(OptionalLong.of(1_000));
    }

    @Test
    void aNewerCheckpointHeldBackByALateCommitDoesNotHideWhatAnOlderOneProved() {
        checkpoints.add(1_000, Map.of(0, 5L));
        checkpoints.add(400, Map.of(0, 6L));

        assertThat(checkpoints.passedBy(Map.of(0, 6L))).isEqualTo(OptionalLong.of(1_000));
    }

    @Test
    void onlyTheNewestCheckpointsAreKept() {
        checkpoints.add(1_000, Map.of(0, 1L));
        checkpoints.add(1_100, Map.of(0, 2L));
        checkpoints.add(1_200, Map.of(0, 3L));
        checkpoints.add(1_300, Map.of(0, 4L));

        assertThat(checkpoints.passedBy(Map.of(0, 1L))).isEmpty();
        assertThat(checkpoints.passedBy(Map.of(0, 2L))).isEqualTo(OptionalLong.of(1_100));
    }
}
