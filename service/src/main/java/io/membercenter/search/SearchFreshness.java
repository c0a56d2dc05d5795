package io.membercenter.search;

import io.membercenter.replication.ReplicationProgress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Whether a cluster may answer a lookup: every change acknowledged more than one pending-marker life
 * ago must be searchable in it (younger ones are covered by their marker, see
 * {@code io.membercenter.member.MemberLookups}).
 * <p>Every 100 ms each cluster's consumer group is checked against the replication checkpoints
 * ({@link ReplicationProgress#appliedBefore}): "every change committed before T is applied". The
 * indexer commits its offsets only after its bulk request came back with {@code refresh=wait_for},
 * that is once the documents were searchable on every copy of their shards, so "applied" is
 * "searchable" with no delay ({@code visibleAfter} is zero in the service).
 * <p>An earlier version did not wait for the refresh and counted an observation searchable one
 * refresh interval after it was made. The interval is when the cluster schedules a refresh, not when
 * one has finished: on a loaded machine refreshes ran late, the cluster passed for fresh, and a
 * lookup by mobile answered 404 for a member registered seconds before (DependencyOutageTest, in the
 * full suite). The cluster's own word is the proof now, not a schedule.
 * The cluster is fresh while that searchable time is less than a marker life old.
 */
final class SearchFreshness {

    private final List<SearchCluster> clusters;
    private final List<String> groups;
    private final ReplicationProgress progress;
    private final Clock clock;
    private final long visibleAfterMillis;
    private final long markerTtlMillis;
    private final Map<String, Searchable> searchable = new ConcurrentHashMap<>();

    /** The longest gap between two looks while nothing moves: a quarter of the 2 s marker life. */
    static final long SETTLED_MILLIS = 500;

    private boolean settled;
    private long checkpointsSeen = -1;
    private long observedAtNanos;

    SearchFreshness(
            List<SearchCluster> clusters,
            ReplicationProgress progress,
            Clock clock,
            Duration visibleAfter,
            Duration markerTtl) {
        this.clusters = List.copyOf(clusters);
        this.groups = this.clusters.stream()
                .map(cluster -> SearchIndexer.consumerGroup(cluster.name()))
                .toList();
        this.progress = progress;
        this.clock = clock;
        this.visibleAfterMillis = visibleAfter.toMillis();
        this.markerTtlMillis = markerTtl.toMillis();
    }

    boolean fresh(String cluster) {
        long now = clock.millis();
        return now - searchable(cluster).before(now) < markerTtlMillis;
    }

    /** How old the newest change known to be searchable in the cluster may be: the metric of freshness. */
    double searchableAgeSeconds(String cluster) {
        long now = clock.millis();
        long before = searchable(cluster).before(now);
        return before == Long.MIN_VALUE ? Double.POSITIVE_INFINITY : (now - before) / 1000.0;
    }

    /**
     * Every 100 ms, unless nothing can have moved: no checkpoint was taken since the last look and that look found
     * every cluster where the one before had left it (all caught up, or all stuck) — then at most every
     * {@link #SETTLED_MILLIS}. An idle topology asked Kafka for three consumer groups' offsets ten times a second
     * (issue 14); now it asks as often as the checkpoints change, which is a few times a second while idle.
     */
    @Scheduled(fixedDelay = 100)
    void observe() {
        long taken = progress.checkpointsTaken();
        long now = System.nanoTime();
        if (settled && taken == checkpointsSeen && now - observedAtNanos < SETTLED_MILLIS * 1_000_000) return;
        checkpointsSeen = taken;
        observedAtNanos = now;
        Map<String, OptionalLong> applied = progress.appliedBefore(groups);
        boolean moved = false;
        for (SearchCluster cluster : clusters) {
            OptionalLong appliedBefore =
                    applied.getOrDefault(SearchIndexer.consumerGroup(cluster.name()), OptionalLong.empty());
            moved |= appliedBefore.isEmpty()
                    || searchable(cluster.name()).observed(clock.millis(), appliedBefore.getAsLong());
        }
        settled = !moved;
    }

    private Searchable searchable(String cluster) {
        return searchable.computeIfAbsent(cluster, name -> new Searchable(visibleAfterMillis));
    }

    /** One cluster's observations waiting to count as searchable, and what already is. */
    static final class Searchable {

        private final long visibleAfterMillis;
        private final Deque<long[]> waiting = new ArrayDeque<>();
        private long before = Long.MIN_VALUE;
        private long newestObserved = Long.MIN_VALUE;

        Searchable(long visibleAfterMillis) {
            this.visibleAfterMillis = visibleAfterMillis;
        }

        /**
         * At {@code at}, every change committed before {@code appliedBefore} had been applied; false when that was
         * known already.
         */
        synchronized boolean observed(long at, long appliedBefore) {
            if (appliedBefore <= newestObserved) return false;
            newestObserved = appliedBefore;
            waiting.addLast(new long[] {at, appliedBefore});
            return true;
        }

        /** Every change committed before the returned time is searchable at {@code now}. */
        synchronized long before(long now) {
            while (!waiting.isEmpty() && waiting.peekFirst()[0] + visibleAfterMillis <= now) {
                before = Math.max(before, waiting.pollFirst()[1]);
            }
            return before;
        }
    }
}
