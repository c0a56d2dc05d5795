package io.membercenter.member;

import io.membercenter.api.StoreUnavailableException;
import io.membercenter.cache.MemberCache;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.MemberChange;
import io.membercenter.search.MemberSearch;
import io.membercenter.search.SearchFilter;
import io.membercenter.shard.ShardedDatabases.Read;
import io.membercenter.traffic.TrafficClass;
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
    private final MemberCache cache;
    private final MemberChangeEvents values;

    /**
     * Search and cache are always there: switched off, they answer "not available" (no lookup from
     * search, every cache read a miss), and every read goes to MySQL.
     */
    MemberLookups(MemberStore store, MemberSearch search, MemberCache cache, MemberChangeEvents values) {
        this.store = store;
        this.search = search;
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
        for (Map.Entry<Long, MemberCache.Cached> hit : cache.getAll(memberIds).entrySet()) {
            found.put(hit.getKey(), values.memberOf(hit.getValue().member()));
            source = "cache@" + hit.getValue().dataCenter();
        }
        List<Long> missing = memberIds.stream()
                .distinct()
                .filter(id -> !found.containsKey(id))
                .toList();
        if (!missing.isEmpty()) {
            Read<List<Member>> read = store.findByIds(missing);
            read.value().forEach(member -> found.put(member.memberId(), member));
            if (!read.mayBeStale())
                cache.writeBackAll(read.value().stream().map(this::writeBackOf).toList());
            source = "db@" + read.dataCenter();
            stale = read.mayBeStale();
        }
        return new Batch(List.copyOf(found.values()), source, stale);
    }

    /** By identifier: the local cache, else search when provably fresh, else MySQL; found members are written back. */
    Found byIdentifier(IdentifierKey key, TrafficClass trafficClass) {
        Optional<Found> cached = cache.memberIdOf(key)
                .flatMap(this::fromCache)
                .filter(found -> found.member().map(m -> m.holds(key)).orElse(false));
        if (cached.isPresent()) return cached.get();
        Found found = readThrough(key, trafficClass);
        if (!found.stale()) found.member().ifPresent(this::writeBack);
        return found;
    }

    private Found readThrough(IdentifierKey key, TrafficClass trafficClass) {
        Optional<Found> fromSearch = fromSearch(key, trafficClass);
        if (fromSearch.isPresent()) return fromSearch.get();
        Read<Optional<Member>> read = store.findByIdentifier(key);
        return new Found(read.value(), "db@" + read.dataCenter(), read.mayBeStale());
    }

    private Optional<Found> fromCache(long memberId) {
        return cache.get(memberId)
                .map(hit -> new Found(Optional.of(values.memberOf(hit.member())), "cache@" + hit.dataCenter()));
    }

    /** Guarded by version: refused when a newer version was acknowledged (see the cache package). */
    private void writeBack(Member member) {
        cache.writeBackAll(List.of(writeBackOf(member)));
    }

    private MemberChange writeBackOf(Member member) {
        return values.of(member, List.of());
    }

    /** Empty when search may not answer: no fresh cluster, a live (or unknown) marker, or search cannot tell. */
    private Optional<Found> fromSearch(IdentifierKey key, TrafficClass trafficClass) {
        if (!search.mayAnswerLookups(trafficClass)
                || !cache.identifierPending(key).equals(Optional.of(false))) {
            return Optional.empty();
        }
        return switch (search.lookup(key, trafficClass)) {
            case MemberSearch.Found found ->
                Optional.of(new Found(Optional.of(values.memberOf(found.member())), found.source()));
            case MemberSearch.NotFound notFound -> Optional.of(new Found(Optional.empty(), notFound.source()));
            case MemberSearch.Unanswered ignored -> Optional.empty();
        };
    }

    /** A page of search results, and the cluster that answered. */
    record SearchResult(List<Member> members, Optional<SearchFilter.Position> next, String source) {}

    /**
     * Filtered search is served by search only (MySQL cannot scan all shards on the request path):
     * the caller's cluster, then the backup, whatever their lag, since search results carry no
     * read-your-writes promise.
     */
    SearchResult search(SearchFilter filter, TrafficClass trafficClass) {
        MemberSearch.Page page = search.search(filter, trafficClass)
                .orElseThrow(() -> new StoreUnavailableException("Search is unavailable; try again shortly."));
        return new SearchResult(page.items().stream().map(values::memberOf).toList(), page.next(), page.source());
    }
}
