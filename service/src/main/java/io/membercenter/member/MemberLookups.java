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

    /**
     * By id: the local cache, else MySQL (and the answer is written back), else — no copy of the member's shard
     * can answer — the member's search document, flagged stale (see {@link #fromSearchWhenMysqlFails}).
     */
    Found byId(long memberId, TrafficClass trafficClass) {
        Optional<Found> cached = fromCache(memberId);
        if (cached.isPresent()) return cached.get();
        Read<Optional<Member>> read;
        try {
            read = store.findById(memberId);
        } catch (StoreUnavailableException mysqlFailed) {
            return fromSearchWhenMysqlFails(search.memberById(memberId, trafficClass), mysqlFailed);
        }
        // A read that may be stale is not cached: the next read, once the master answers, must not see it.
        if (!read.mayBeStale()) read.value().ifPresent(this::writeBack);
        Found found = new Found(read.value(), "db@" + read.dataCenter(), read.mayBeStale());
        if (found.stale() && found.member().isEmpty()) {
            return notFoundInLaggingCopy(search.memberById(memberId, trafficClass));
        }
        return found;
    }

    /**
     * A "not found" from a copy that may lag (the other data center's replica answered because the master did not)
     * is no proof: a member registered a moment ago may not have been applied there yet. Search's document answers
     * if it has one, flagged stale; else the caller gets a 503 it can retry — never a 404 for a member that may
     * exist, as search's own "not found" is none when MySQL fails. Tested by DatabaseFailureTest.
     */
    private Found notFoundInLaggingCopy(Optional<MemberSearch.Found> inSearch) {
        MemberSearch.Found hit = inSearch.orElseThrow(() -> new StoreUnavailableException(
                "The master cannot answer and its replica may not have applied this member's latest change;"
                        + " try again shortly."));
        return new Found(Optional.of(values.memberOf(hit.member())), hit.source(), true);
    }

    /**
     * The last link of the read chain, the reference system's "MySQL fails → read from search", decided per
     * request: every copy of the shard was tried (each skipped at once while its breaker is open), so search's
     * document answers, flagged stale — search applies changes seconds after they are acknowledged. Never
     * written back (the next read, once MySQL answers, must not see it). Only a found member is an answer:
     * search may not have indexed a member yet, so its "not found" is no 404 — the caller gets MySQL's 503.
     */
    private Found fromSearchWhenMysqlFails(Optional<MemberSearch.Found> found, StoreUnavailableException e) {
        return found.map(hit -> new Found(Optional.of(values.memberOf(hit.member())), hit.source(), true))
                .orElseThrow(() -> e);
    }

    /** A batch read's members (request order is the caller's business) and what answered it. */
    record Batch(List<Member> members, String source, boolean stale) {}

    /**
     * By ids, the chain of {@link #byId} per physical database: what the local cache holds in one MGET, the rest
     * from MySQL (one query per physical database, each through its copies) and written back in one pipelined
     * round, and the ids of a database no copy could answer from search (one multi-get per cluster, verified by
     * id, never written back). The source is the cache's only when every member came from it, MySQL's when any
     * came from MySQL, search's when any came from search: the store whose freshness the answer is bounded by.
     * Stale when any part may be older than an acknowledged write (a replica that may lag, search). A member of
     * an unanswering database that search does not hold either fails the batch with MySQL's 503, as a read by id
     * does: search may not have indexed it yet, so it is no proof of "missing".
     */
    Batch byIds(List<Long> memberIds, TrafficClass trafficClass) {
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
        if (missing.isEmpty()) return new Batch(List.copyOf(found.values()), source, false);
        MemberStore.BatchRead read = store.findByIds(missing);
        read.members().forEach(member -> found.put(member.memberId(), member));
        // A read that may be stale is not cached: the next read, once the master answers, must not see it.
        if (!read.mayBeStale())
            cache.writeBackAll(read.members().stream().map(this::writeBackOf).toList());
        if (read.dataCenter() != null) {
            source = "db@" + read.dataCenter();
            stale = read.mayBeStale();
        }
        if (!read.unread().isEmpty()) {
            Map<Long, MemberSearch.Found> fromSearch = search.membersById(read.unread(), trafficClass);
            if (fromSearch.size() < read.unread().size()) throw read.failure();
            for (MemberSearch.Found hit : fromSearch.values()) {
                Member member = values.memberOf(hit.member());
                found.put(member.memberId(), member);
                source = hit.source();
            }
            stale = true;
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
        Read<Optional<Member>> read;
        try {
            read = store.findByIdentifier(key);
        } catch (StoreUnavailableException mysqlFailed) {
            return fromSearchWhenMysqlFails(
                    search.lookupAnyCluster(key, trafficClass) instanceof MemberSearch.Found found
                            ? Optional.of(found)
                            : Optional.empty(),
                    mysqlFailed);
        }
        Found found = new Found(read.value(), "db@" + read.dataCenter(), read.mayBeStale());
        if (found.stale() && found.member().isEmpty()) {
            return notFoundInLaggingCopy(
                    search.lookupAnyCluster(key, trafficClass) instanceof MemberSearch.Found hit
                            ? Optional.of(hit)
                            : Optional.empty());
        }
        return found;
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
