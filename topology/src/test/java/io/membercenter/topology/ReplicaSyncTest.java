package io.membercenter.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The GTID comparison behind "the replica has every acknowledged write". */
class ReplicaSyncTest {

    @Test
    void aPositionCoversAnotherWhenItIsAtLeastAsFarInEveryDomainTheOtherNames() {
        assertThat(ReplicaSync.covers("0-1-42", "0-1-42")).isTrue();
        assertThat(ReplicaSync.covers("0-1-43", "0-1-42")).isTrue();
        assertThat(ReplicaSync.covers("0-1-41", "0-1-42")).isFalse();
        assertThat(ReplicaSync.covers("0-1-42,1-2-7", "0-1-42,1-2-8")).isFalse();
        assertThat(ReplicaSync.covers("1-2-9, 0-1-50", "0-1-42,1-2-8")).isTrue();
        assertThat(ReplicaSync.covers("0-1-42", "0-1-42,1-2-1"))
                .as("a domain the replica never saw")
                .isFalse();
        assertThat(ReplicaSync.covers("0-2-42", "0-1-42"))
                .as("the server id does not order transactions; the domain's sequence does")
                .isTrue();
    }

    @Test
    void anEmptyMasterPositionIsCoveredByAnything() {
        assertThat(ReplicaSync.covers("", "")).isTrue();
        assertThat(ReplicaSync.covers(null, "")).isTrue();
        assertThat(ReplicaSync.covers("", "0-1-1")).isFalse();
    }

    @Test
    void theChecksCompareTheReplicasReceivedAndAppliedPositionsWithTheMasters() {
        ReplicaSync received = new ReplicaSync(true, 1, 10, 0, "0-1-10", "0-1-10", "0-1-9");
        assertThat(received.replicaHasEveryAcknowledgedWrite()).isTrue();
        assertThat(received.replicaAppliedEveryWrite()).isFalse();

        ReplicaSync behind = new ReplicaSync(false, 0, 10, 3, "0-1-13", "0-1-10", "0-1-10");
        assertThat(behind.replicaHasEveryAcknowledgedWrite()).isFalse();
        assertThat(behind.replicaAppliedEveryWrite()).isFalse();
    }

    @Test
    void somethingThatIsNotAGtidIsRejected() {
        assertThatThrownBy(() -> ReplicaSync.covers("0-1", "0-1-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0-1");
    }
}
