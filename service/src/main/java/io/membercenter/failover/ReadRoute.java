package io.membercenter.failover;

import io.membercenter.cache.MemberCache;
import io.membercenter.search.MemberSearch;
import java.util.List;

/**
 * What a switch of reads by hand moves, on every instance through the topology record: the search cluster every
 * traffic class is searched in first ({@code searchFrom}), or the Redis that is read first and written back into
 * ({@code cacheFrom}). Unlike the database, neither has a master to promote: the switch only moves where reads go,
 * and the failback to the configured layout is refused while what it returns to is not fit to serve.
 */
interface ReadRoute {

    /** {@code search} or {@code cache}, as in {@code /admin/failover/{kind}} and the history. */
    String kind();

    /** The data centers reads can be moved to; none: the kind is off on this instance. */
    List<String> dataCenters();

    /** What makes a failback unsafe now, by name; empty: it may run. */
    List<String> notFitToServe();

    /** Why {@link #notFitToServe} blocks a failback, for the 503. */
    String whyNotFit();

    /** What the history calls the configured layout. */
    String home();

    /** The data center the record moves reads to, or null for the configured layout. */
    String movedTo(TopologyRecord record);

    /** A new epoch of {@code record} with reads moved to {@code dataCenter} (null: back to the configured layout). */
    TopologyRecord movedTo(TopologyRecord record, String dataCenter);

    /** Lookups and searches: back only once every configured cluster has caught up (the checkpoint rule). */
    static ReadRoute search(MemberSearch search) {
        return new ReadRoute() {
            @Override
            public String kind() {
                return "search";
            }

            @Override
            public List<String> dataCenters() {
                return search.dataCenters();
            }

            @Override
            public List<String> notFitToServe() {
                return List.copyOf(search.notCaughtUp());
            }

            @Override
            public String whyNotFit() {
                return "have not caught up yet (or do not answer), or ORDER lookups would lose their read-your-writes";
            }

            @Override
            public String home() {
                return search.routedDataCenter().orElse("configured");
            }

            @Override
            public String movedTo(TopologyRecord record) {
                return record.searchFrom();
            }

            @Override
            public TopologyRecord movedTo(TopologyRecord record, String dataCenter) {
                return record.withSearchFrom(dataCenter);
            }
        };
    }

    /**
     * Reads by id (and identifier entries): back only once every Redis is trusted — answering, and past the wait
     * after a return in which it replays the invalidations it missed.
     */
    static ReadRoute cache(MemberCache cache) {
        return new ReadRoute() {
            @Override
            public String kind() {
                return "cache";
            }

            @Override
            public List<String> dataCenters() {
                return cache.dataCenters();
            }

            @Override
            public List<String> notFitToServe() {
                return cache.notTrusted();
            }

            @Override
            public String whyNotFit() {
                return "are not trusted yet (down, or still replaying the invalidations they missed)";
            }

            @Override
            public String home() {
                return "own";
            }

            @Override
            public String movedTo(TopologyRecord record) {
                return record.cacheFrom();
            }

            @Override
            public TopologyRecord movedTo(TopologyRecord record, String dataCenter) {
                return record.withCacheFrom(dataCenter);
            }
        };
    }
}
