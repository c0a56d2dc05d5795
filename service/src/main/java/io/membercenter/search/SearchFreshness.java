package io.membercenter.search;

import io.membercenter.replication.ReplicationProgress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Whether a cluster may answer a lookup: every change acknowledged more than one pending-marker life
 * ago must be searchable in it (younger ones are covered by their marker, see
 * {@code io.membercenter.member.MemberLookups}).
 * <p>Every 100 ms each cluster's consumer group is checked against the replication checkpoints
 * ({@link ReplicationProgress#appliedBefore}): "every change committed before T is applied". Applied
 * is not yet searchable — a document is found only after the cluster's next refresh — so an
 * observation counts only one refresh interval after it was made: the group had committed its
 * offsets before the observation, and its documents were refreshed at most one interval later.
 * The cluster is fresh while that searchable time is less than a marker life old.
 */
final class SearchFreshness {

    private final List<SearchCluster> clusters;
    private final ReplicationProgress progress;
    private final Clock clock;
    private final long refreshMillis;
    private final long markerTtlMillis;
    private final Map<String, Searchable> searchable = new ConcurrentHashMap<>();

    SearchFreshness(
            List<SearchCluster> clusters,
            ReplicationProgress progress,
            Clock clock,
            Duration refreshInterval,
            Duration markerTtl) {
        this.clusters = List.copyOf(clusters);
        this.progress = progress;
        this.clock = clock;
        this.refreshMillis = refreshInterval.toMillis();
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

    @Scheduled(fixedDelay = 100)
    void observe() {
        for (SearchCluster cluster : clusters) {
            progress.appliedBefore(SearchIndexer.consumerGroup(cluster.name()))
                    .ifPresent(appliedBefore -> searchable(cluster.name()).observed(clock.millis(), appliedBefore));
        }
    }

    private Searchable searchable(String cluster) {
        return searchable.computeIfAbsent(cluster, name -> new Searchable(refreshMillis));
    }

    /** One cluster's observations waiting for a refresh to make them searchable, and what already is. */
    static final class Searchable {

        private final long refreshMillis;
        private final Deque<long[]> waiting = new ArrayDeque<>();
        private long before = Long.MIN_VALUE;
        private long newestObserved = Long.MIN_VALUE;

        Searchable(long refreshMillis) {
            this.refreshMillis = refreshMillis;
        }

        /** At {@code at}, every change committed before {@code appliedBefore} had been applied. */
        synchronized void observed(long at, long appliedBefore) {
            if (appliedBefore <= newestObserved) return;
            newestObserved = appliedBefore;
            waiting.addLast(new long[] {at, appliedBefore});
        }

        /** Every change committed before the returned time is searchable at {@code now}. */
        synchronized long before(long now) {
            while (!waiting.isEmpty() && waiting.peekFirst()[0] + refreshMillis <= now) {
                before = Math.max(before, waiting.pollFirst()[1]);
            }
            return before;
        }
    }
}
