package io.membercenter.member;

import io.membercenter.api.StoreUnavailableException;
import io.membercenter.search.MemberSearch;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds one search cluster from MySQL while replication keeps running: a full scan of every
 * physical database in member-id chunks, loaded with external versions (see {@link MemberSearch#loadIntoRebuild}),
 * then the cluster's indexer — never stopped for long — has already caught up with what changed
 * meanwhile. Reads go around the cluster until the scan is done and refreshed; a rebuild that
 * failed keeps them around it until a new rebuild succeeds.
 */
public final class SearchRebuild {

    private static final Logger log = LoggerFactory.getLogger(SearchRebuild.class);
    private static final int CHUNK = 1_000;

    /** Where a rebuild stands. */
    public record Progress(
            String cluster,
            String state,
            long total,
            long loaded,
            Instant startedAt,
            Instant finishedAt,
            String error) {}

    private final MemberScans scans;
    private final MemberSearch search;
    private final Clock clock;
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();

    SearchRebuild(MemberScans scans, MemberSearch search, Clock clock) {
        this.scans = scans;
        this.search = search;
        this.clock = clock;
    }

    /** Starts a rebuild in the background; false when that cluster is already being rebuilt or unknown. */
    public synchronized boolean start(String cluster) {
        if (!search.clusterNames().contains(cluster) || running(cluster)) return false;
        Instant started = clock.instant();
        progress.put(cluster, new Progress(cluster, "RUNNING", 0, 0, started, null, null));
        try {
            search.beginRebuild(cluster);
        } catch (RuntimeException e) {
            // Never left RUNNING: that would refuse every later start. A cluster that did not answer is not
            // marked rebuilding either (beginRebuild asks it first).
            progress.put(
                    cluster,
                    new Progress(
                            cluster,
                            "FAILED",
                            0,
                            0,
                            started,
                            clock.instant(),
                            e.getClass().getSimpleName()));
            log.warn(
                    "event=search_rebuild_not_started cluster={} reason={}",
                    cluster,
                    e.getClass().getSimpleName());
            throw new StoreUnavailableException(
                    "Search cluster " + cluster + " is unavailable; the rebuild did not start.");
        }
        Thread.ofVirtual().name("rebuild-" + cluster).start(() -> run(cluster));
        return true;
    }

    public Optional<Progress> progress(String cluster) {
        return Optional.ofNullable(progress.get(cluster));
    }

    /** The clusters that can be rebuilt: every configured one, none with search off. */
    public List<String> clusters() {
        return search.clusterNames();
    }

    private void run(String cluster) {
        Instant started = progress.get(cluster).startedAt();
        AtomicLong loaded = new AtomicLong();
        try {
            long total =
                    scans.databaseNames().stream().mapToLong(scans::countLive).sum();
            for (String database : scans.databaseNames()) {
                long after = 0;
                List<Member> chunk;
                while (!(chunk = scans.scanLive(database, after, CHUNK)).isEmpty()) {
                    search.loadIntoRebuild(
                            cluster, chunk.stream().map(scans::changeEventOf).toList());
                    after = chunk.getLast().memberId();
                    loaded.addAndGet(chunk.size());
                    progress.put(cluster, new Progress(cluster, "RUNNING", total, loaded.get(), started, null, null));
                }
            }
            search.finishRebuild(cluster);
            progress.put(cluster, new Progress(cluster, "DONE", total, loaded.get(), started, clock.instant(), null));
            log.info("event=search_rebuilt cluster={} members={}", cluster, loaded.get());
        } catch (RuntimeException e) {
            // The cluster stays read around: half loaded, it would answer "not found" for members it lacks.
            progress.put(
                    cluster,
                    new Progress(
                            cluster,
                            "FAILED",
                            0,
                            loaded.get(),
                            started,
                            clock.instant(),
                            e.getClass().getSimpleName()));
            log.warn("event=search_rebuild_failed cluster={} reason={}", cluster, e.toString());
        }
    }

    private boolean running(String cluster) {
        Progress current = progress.get(cluster);
        return current != null && current.state().equals("RUNNING");
    }
}
