package io.membercenter.replication;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The newest checkpoints of replication progress: each says every change committed before
 * {@code committedBefore} is in Kafka below {@code endOffsets} (see {@link ReplicationProgress}).
 */
final class Checkpoints {

    record Checkpoint(long committedBefore, Map<Integer, Long> endOffsets) {}

    private final int capacity;
    private final Deque<Checkpoint> newestFirst = new ArrayDeque<>();

    Checkpoints(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(long committedBefore, Map<Integer, Long> endOffsets) {
        newestFirst.addFirst(new Checkpoint(committedBefore, Map.copyOf(endOffsets)));
        if (newestFirst.size() > capacity) newestFirst.removeLast();
    }

    /**
     * The newest time before which a consumer at these offsets (partition -> next offset to read;
     * a partition it never committed counts as 0) has consumed every committed change.
     */
    synchronized OptionalLong passedBy(Map<Integer, Long> consumed) {
        long best = Long.MIN_VALUE;
        for (Checkpoint checkpoint : newestFirst) {
            if (reaches(consumed, checkpoint.endOffsets())) {
                // Not simply the newest match: a newer checkpoint's time is held back by a row that was created
                // early and committed late, which an older one never saw; each passed one is a fact, the best counts.
                best = Math.max(best, checkpoint.committedBefore());
            }
        }
        return best == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(best);
    }

    private static boolean reaches(Map<Integer, Long> consumed, Map<Integer, Long> endOffsets) {
        for (Map.Entry<Integer, Long> end : endOffsets.entrySet()) {
            if (consumed.getOrDefault(end.getKey(), 0L) < end.getValue()) return false;
        }
        return true;
    }
}
