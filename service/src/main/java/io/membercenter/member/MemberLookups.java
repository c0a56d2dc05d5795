package io.membercenter.member;

import io.membercenter.cache.MemberCache;
import io.membercenter.cache.PendingMarkers;
import io.membercenter.search.MemberSearch;
import io.membercenter.search.SearchCluster;
import io.membercenter.search.SearchUnavailableException;
import io.membercenter.search.SearchedMember;
import io.membercenter.shard.ShardedDatabases.Read;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a lookup by identifier is answered. Search serves it (the cluster of the caller's traffic
 * class, then the backup) only when that is provably as fresh as every acknowledged write:
 * <ul>
 *   <li>no pending marker for the identifier is live in a trusted Redis (a change acknowledged
 *       less than marker-ttl ago may not be searchable yet), and</li>
 *   <li>the cluster is fresh: every change committed more than marker-ttl ago is known to be
 *       searchable in it — its indexers' committed Kafka offsets have passed a replication checkpoint
 *       that old, a refresh interval ago (see {@code io.membercenter.search.SearchFreshness}).</li>
 * </ul>
 * Otherwise — a marker, no trusted Redis, a lagging or unreachable cluster, two documents claiming
 * the identifier — MySQL answers. So a lookup right after an acknowledged write returns that version
 * or newer, while search takes the read load of everything that did not change in the last seconds.
 */
final class MemberLookups {

    /**
     * A lookup's answer and what answered it ({@code search-primary@A}, {@code db@A}); {@code stale} when
     * it may be older than an acknowledged write (the other data center's replica answered).
     */
    record Found(Optional<Member> member, String source, boolean stale) {

        Found(Optional<Member> member, String source) {
            this(member, source, false);
        }
    }

    private final MemberStore store;
    private final MemberSearch search;
    private final PendingMarkers markers;
    private final MemberCache cache;
    private final MemberChangeEvents values;

    MemberLookups(
            MemberStore store,
            MemberSearch search,
            PendingMarkers markers,
            MemberCache cache,
            MemberChangeEvents values) {
        this.store = store;
        this.search = search;
        this.markers = markers;
        this.cache = cache;
        this.values = values;
    }

    /** By id: the local cache, else MySQL (and the answer is written back). */
    Found byId(long memberId) {
        Optional<Found> cached = fromCache(memberId);
        if (cached.isPresent()) return cached.get();
        Read<Optional<Member>> read = store.findById(memberId);
        // A read that may be stale is not cached: the next read, once the master answers, must not see it.
        if (!read.mayBeStale()) read.value().ifPresent(this::writeBack);
        return new Found(read.value(), "db@" + read.dataCenter(), read.mayBeStale());
    }

    /** A batch read's members (request order is the caller's business) and what answered it. */
    record Batch(List<Member> members, String source, boolean stale) {}

    /**
     * By ids: what the local cache holds in one MGET, the rest from MySQL (one query per physical database)
     * and written back in one pipelined round. The source is the cache's only when every member came from
     * it; any member read from MySQL makes it MySQL's, the store whose freshness the answer is bounded by.
     */
    Batch byIds(List<Long> memberIds) {
        Map<Long, Member> found = new LinkedHashMap<>();
        String source = null;
        boolean stale = false;
        if (cache != null) {
            for (Map.Entry<Long, MemberCache.Cached> hit :
                    cache.getAll(memberIds).entrySet()) {
                found.put(hit.getKey(), values.parse(hit.getValue().json()));
                source = "cache@" + hit.getValue().dataCenter();
            }
        }
        List<Long> missing = memberIds.stream()
                .distinct()
                .filter(id -> !found.containsKey(id))
                .toList();
        if (!missing.isEmpty()) {
            Read<List<Member>> read = store.findByIds(missing);
            read.value().forEach(member -> found.put(member.memberId(), member));
            if (cache != null && !read.mayBeStale())
                cache.writeBackAll(read.value().stream().map(this::writeBackOf).toList());
            source = "db@" + read.dataCenter();
            stale = read.mayBeStale();
        }
        return new Batch(List.copyOf(found.values()), source, stale);
    }

    /** By identifier: the local cache, else search when provably fresh, else MySQL; found members are written back. */
    Found byIdentifier(IdentifierKey key, String trafficClass) {
        if (cache != null) {
            Optional<Found> cached = cache.memberIdOf(key.searchKey())
                    .flatMap(this::fromCache)
                    .filter(found -> found.member().map(m -> m.holds(key)).orElse(false));
            if (cached.isPresent()) return cached.get();
        }
        Found found = readThrough(key, trafficClass);
        if (!found.stale()) found.member().ifPresent(this::writeBack);
        return found;
    }

    private Found readThrough(IdentifierKey key, String trafficClass) {
        if (search != null && markers != null) {
            Optional<Found> fromSearch = fromSearch(key, trafficClass);
            if (fromSearch.isPresent()) return fromSearch.get();
        }
        Read<Optional<Member>> read = store.findByIdentifier(key);
        return new Found(read.value(), "db@" + read.dataCenter(), read.mayBeStale());
    }

    private Optional<Found> fromCache(long memberId) {
        if (cache == null) return Optional.empty();
        return cache.get(memberId)
                .map(hit -> new Found(Optional.of(values.parse(hit.json())), "cache@" + hit.dataCenter()));
    }

    /** Guarded by version: refused when a newer version was acknowledged (see the cache package). */
    private void writeBack(Member member) {
        if (cache != null) cache.writeBackAll(List.of(writeBackOf(member)));
    }

    private MemberCache.WriteBack writeBackOf(Member member) {
        return new MemberCache.WriteBack(
                member.memberId(),
                member.version(),
                values.of(member, List.of()),
                member.identifiers().stream().map(IdentifierKey::searchKey).toList());
    }

    private Optional<Found> fromSearch(IdentifierKey key, String trafficClass) {
        List<SearchCluster> clusters = search.clustersFor(trafficClass);
        if (clusters.isEmpty() || !markers.identifierPending(key.searchKey()).equals(Optional.of(false))) {
            return Optional.empty();
        }
        for (SearchCluster cluster : clusters) {
            try {
                String source = cluster.name() + "@" + cluster.dataCenter();
                switch (search.lookup(cluster, key.searchKey())) {
                    case MemberSearch.Found found -> {
                        return Optional.of(new Found(Optional.of(toMember(found.member())), source));
                    }
                    case MemberSearch.NotFound ignored -> {
                        return Optional.of(new Found(Optional.empty(), source));
                    }
                    case MemberSearch.Ambiguous ignored -> {
                        return Optional.empty();
                    }
                }
            } catch (SearchUnavailableException e) {
                // try the next cluster, then MySQL
            }
        }
        return Optional.empty();
    }

    /** A page of search results, and the cluster that answered. */
    record SearchResult(
            List<Member> members, Optional<io.membercenter.search.SearchFilter.Position> next, String source) {}

    /**
     * Filtered search is served by search only (MySQL cannot scan all shards on the request path):
     * the caller's cluster, then the backup, whatever their lag, since search results carry no
     * read-your-writes promise.
     */
    SearchResult search(io.membercenter.search.SearchFilter filter, String trafficClass) {
        if (search != null) {
            for (SearchCluster cluster : search.reachableClustersFor(trafficClass)) {
                try {
                    MemberSearch.Page page = search.search(cluster, filter);
                    return new SearchResult(
                            page.items().stream().map(MemberLookups::toMember).toList(),
                            page.next(),
                            cluster.name() + "@" + cluster.dataCenter());
                } catch (SearchUnavailableException e) {
                    // next cluster
                }
            }
        }
        throw new io.membercenter.api.StoreUnavailableException("Search is unavailable; try again shortly.");
    }

    static Member toMember(SearchedMember doc) {
        return new Member(
                doc.memberId(),
                doc.mobile(),
                doc.email(),
                doc.nickname(),
                Member.Level.valueOf(doc.level()),
                Member.Status.valueOf(doc.status()),
                doc.identities().stream()
                        .map(i -> new Member.Identity(i.platform(), i.externalId()))
                        .toList(),
                doc.version(),
                Instant.ofEpochMilli(doc.createdAtMillis()),
                Instant.ofEpochMilli(doc.updatedAtMillis()));
    }
}
