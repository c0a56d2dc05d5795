package io.membercenter.bench.population;

import io.membercenter.bench.baseline.SearchBaseline;
import io.membercenter.topology.LocalTopology;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Loaded members reach the search clusters through replication like any change (outbox, relay, Kafka, one
 * indexer per cluster): a benchmark's load starts when every cluster holds them all. Shared by the suite and
 * the outage bench.
 */
public final class IndexingWait {

    private IndexingWait() {}

    /** Waits, with a progress bar per cluster, until each cluster's {@code members} index holds {@code members}. */
    public static void await(LocalTopology topology, List<String> clusters, long members, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String cluster : clusters) {
            try (SearchBaseline search = new SearchBaseline(topology.searchUrl(cluster))) {
                ProgressBar bar = new ProgressBar("indexed by " + cluster, members, System.out);
                long indexed;
                while ((indexed = search.count("members")) < members) {
                    bar.show(indexed);
                    if (System.nanoTime() > deadline)
                        throw new IllegalStateException(cluster + " did not catch up in time");
                    Thread.sleep(1_000);
                }
                bar.show(indexed);
            }
        }
    }
}
