package io.membercenter.search;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.MemberChange;
import io.membercenter.traffic.TrafficClass;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What search offers the rest of the service, as named operations (no caller ever sees a cluster or
 * writes a request): lookups by identifier (routed, one shard), filtered search, the routes of
 * traffic classes to clusters, and the rebuild of one cluster from members read elsewhere. Which
 * cluster serves a traffic class, and whether it is fresh enough to be read at all, is decided here.
 * <p>With search off (no cluster configured) this same class answers "not available": no lookup is
 * answered ({@link Unanswered}), no filtered search ({@code Optional.empty()}), no cluster can be
 * rebuilt. With change capture off (nothing feeds the clusters, nothing says how fresh they are)
 * lookups and filtered search are not available either; a rebuild still is.
 */
public final class MemberSearch {

    /** A page of search results, the position to continue after if there may be more, and who answered. */
    public record Page(List<MemberChange> items, Optional<SearchFilter.Position> next, String source) {}

    /** A lookup's answer: the member holding the identifier (or none), unless search cannot tell. */
    public sealed interface Lookup {}

    /** Search holds the identifier; {@code source} is the cluster that said so ({@code search-primary@A}). */
    public record Found(MemberChange member, String source) implements Lookup {}

    /** No member holds the identifier, as a fresh cluster ({@code source}) knows. */
    public record NotFound(String source) implements Lookup {}

    /**
     * Search cannot tell: no fresh cluster, every candidate unreachable, or several documents claim
     * the identifier (an ownership move in flight). Ask MySQL.
     */
    public record Unanswered() implements Lookup {}

    private final SearchClusters clusters;
    private final SearchIndexers indexers;
    private final ClusterLoader loader;
    private final SearchFreshness freshness;
    private final JsonMapper json;

    MemberSearch(
            SearchClusters clusters,
            SearchIndexers indexers,
            ClusterLoader loader,
            SearchFreshness freshness,
            JsonMapper json) {
        this.clusters = clusters;
        this.indexers = indexers;
        this.loader = loader;
        this.freshness = freshness;
        this.json = json;
    }

    /**
     * Whether some cluster could answer a lookup of this traffic class now (it is fresh): callers
     * ask before paying for the pending-marker check that must also pass.
     */
    public boolean mayAnswerLookups(TrafficClass trafficClass) {
        return !clustersFor(trafficClass).isEmpty();
    }

    /**
     * A lookup by identifier from the traffic class's fresh clusters,
     * preferred first; an unreachable cluster passes to the next, an ambiguous answer ends the
     * lookup (MySQL must decide).
     */
    public Lookup lookup(IdentifierKey identifierKey, TrafficClass trafficClass) {
        for (SearchCluster cluster : clustersFor(trafficClass)) {
            try {
                String source = source(cluster);
                switch (lookup(cluster, identifierKey)) {
                    case Holders.One one -> {
                        return new Found(one.member(), source);
                    }
                    case Holders.None ignored -> {
                        return new NotFound(source);
                    }
                    case Holders.Several ignored -> {
                        return new Unanswered();
                    }
                }
            } catch (SearchUnavailableException e) {
                // try the next cluster
            }
        }
        return new Unanswered();
    }

    /**
     * The last resort of a read by id when no MySQL copy of the member's shard can answer: the member's
     * document from the traffic class's cluster, then the backup, fresh or not (the caller says the answer may
     * be stale). Verified by id: only a document of that very member is an answer. Empty when no cluster holds
     * it or none can be reached: search cannot prove a member absent, since it may not have indexed it yet.
     */
    public Optional<Found> memberById(long memberId, TrafficClass trafficClass) {
        for (SearchCluster cluster : reachableClustersFor(trafficClass)) {
            try {
                Optional<MemberChange> member = getMembers(cluster, List.of(Long.toString(memberId))).stream()
                        .filter(m -> m.memberId() == memberId)
                        .findFirst();
                if (member.isPresent()) return Optional.of(new Found(member.get(), source(cluster)));
            } catch (SearchUnavailableException e) {
                // the next cluster
            }
        }
        return Optional.empty();
    }

    /**
     * {@link #memberById} for a batch read's ids whose database no MySQL copy could answer: one {@code _mget} per
     * cluster, the traffic class's first, then the backup for the ids the first did not hold (or all, when it
     * could not be reached). Verified by id; an id no reachable cluster holds is absent from the answer (search
     * cannot prove a member absent). Each answer names the cluster that gave it.
     */
    public Map<Long, Found> membersById(List<Long> memberIds, TrafficClass trafficClass) {
        Map<Long, Found> found = new LinkedHashMap<>();
        for (SearchCluster cluster : reachableClustersFor(trafficClass)) {
            List<Long> wanted =
                    memberIds.stream().filter(id -> !found.containsKey(id)).toList();
            if (wanted.isEmpty()) break;
            try {
                List<String> ids = wanted.stream().map(String::valueOf).toList();
                for (MemberChange member : getMembers(cluster, ids)) {
                    if (wanted.contains(member.memberId()))
                        found.putIfAbsent(member.memberId(), new Found(member, source(cluster)));
                }
            } catch (SearchUnavailableException e) {
                // the next cluster
            }
        }
        return found;
    }

    /**
     * The last resort of a lookup by identifier when MySQL cannot answer: {@link #lookup} over every reachable
     * cluster of the traffic class, fresh or not (the caller says the answer may be stale). Only a found member
     * is an answer; "none holds it" from a cluster that may lag proves nothing (the next is asked, and if none
     * holds it the answer is {@link Unanswered}), and two holders end the lookup as in {@link #lookup}.
     */
    public Lookup lookupAnyCluster(IdentifierKey identifierKey, TrafficClass trafficClass) {
        for (SearchCluster cluster : reachableClustersFor(trafficClass)) {
            try {
                switch (lookup(cluster, identifierKey)) {
                    case Holders.One one -> {
                        return new Found(one.member(), source(cluster));
                    }
                    case Holders.Several ignored -> {
                        return new Unanswered(); // an ownership move in flight: no cluster may pick a side
                    }
                    case Holders.None ignored -> {
                        // this cluster may lag: the next
                    }
                }
            } catch (SearchUnavailableException e) {
                // the next cluster
            }
        }
        return new Unanswered();
    }

    /**
     * Filtered search from the traffic class's cluster, then the backup, whatever their lag (search
     * results carry no read-your-writes promise); empty when no cluster could answer.
     */
    public Optional<Page> search(SearchFilter filter, TrafficClass trafficClass) {
        for (SearchCluster cluster : reachableClustersFor(trafficClass)) {
            try {
                return Optional.of(search(cluster, filter));
            } catch (SearchUnavailableException e) {
                // next cluster
            }
        }
        return Optional.empty();
    }

    /** The cluster that serves a traffic class, by name. */
    public Optional<String> clusterFor(TrafficClass trafficClass) {
        return clusters.forTrafficClass(trafficClass).map(SearchCluster::name);
    }

    /**
     * A search failover ({@code failover} package, on every instance by the topology record): every traffic class is
     * served first by the cluster in {@code dataCenter} (empty: back to the configured routes). Lookups still go
     * only to fresh clusters, and a cluster that cannot answer still passes to the next.
     *
     * @throws IllegalArgumentException if no cluster is in that data center
     */
    public void serveFrom(Optional<String> dataCenter) {
        clusters.serveFrom(dataCenter);
    }

    /** The data center of the cluster the routes give ORDER: where search is served from when not failed over. */
    public Optional<String> routedDataCenter() {
        return clusters.configuredFor(TrafficClass.ORDER).map(SearchCluster::dataCenter);
    }

    /** The data centers that have a search cluster; empty with search off. */
    public List<String> dataCenters() {
        return clusters.all().stream().map(SearchCluster::dataCenter).distinct().toList();
    }

    /**
     * The configured clusters (of every traffic class's route) that have not caught up: not answering, not indexing,
     * or not proven fresh by the checkpoint rule of {@code SearchFreshness}. A failback waits for this to be empty.
     */
    public List<String> notCaughtUp() {
        return java.util.Arrays.stream(TrafficClass.values())
                .map(clusters::configuredFor)
                .flatMap(Optional::stream)
                .distinct()
                .filter(cluster -> !fresh(cluster) || !answers(cluster))
                .map(SearchCluster::name)
                .toList();
    }

    /**
     * What one cluster holds of a member now: its document (as a change, its identifiers derived from it) and the
     * version of the lookup document of each identifier asked about that names the member (empty: none). Read by
     * real-time gets, not searches, so a refresh still to come does not hide a document. For governance's
     * consistency checker, which compares them with the master's row.
     */
    public record Indexed(
            String store, Optional<MemberChange> member, Map<IdentifierKey, OptionalLong> identifierVersions) {}

    /**
     * {@link Indexed} from every cluster, two requests each; a cluster being rebuilt (read around, so it serves
     * nothing) or one that cannot be reached is left out: nothing is known of it. Empty with search off.
     */
    public List<Indexed> indexedEverywhere(long memberId, List<IdentifierKey> identifiers) {
        List<Indexed> indexed = new ArrayList<>();
        for (SearchCluster cluster : clusters.all()) {
            if (loader.isRebuilding(cluster.name())) continue;
            try {
                Optional<MemberChange> member = getMembers(cluster, List.of(Long.toString(memberId))).stream()
                        .findFirst();
                indexed.add(new Indexed(cluster.name(), member, identifierVersions(cluster, memberId, identifiers)));
            } catch (SearchUnavailableException e) {
                // not known: the next cluster
            }
        }
        return indexed;
    }

    private Map<IdentifierKey, OptionalLong> identifierVersions(
            SearchCluster cluster, long memberId, List<IdentifierKey> identifiers) {
        Map<IdentifierKey, OptionalLong> versions = new LinkedHashMap<>();
        if (identifiers.isEmpty()) return versions;
        List<Map<String, String>> docs = identifiers.stream()
                .map(key -> Map.of("_id", IdentifierDocument.id(key, memberId), "routing", key.searchKey()))
                .toList();
        SearchCluster.Answer answer = cluster.read(
                "POST", "/" + SearchIndexes.IDENTIFIERS + "/_mget", json.writeValueAsString(Map.of("docs", docs)));
        requireOk(answer, cluster);
        int i = 0;
        for (JsonNode doc : answer.body().path("docs")) {
            JsonNode source = doc.path("_source");
            versions.put(
                    identifiers.get(i++),
                    doc.path("found").asBoolean() && source.path("memberId").asLong() == memberId
                            ? OptionalLong.of(source.path("version").asLong())
                            : OptionalLong.empty());
        }
        return versions;
    }

    /** Whether the cluster answers a health request now (within the read deadline, through its breaker). */
    private static boolean answers(SearchCluster cluster) {
        try {
            return cluster.read("GET", "/_cluster/health", null).status() == 200;
        } catch (SearchUnavailableException e) {
            return false;
        }
    }

    /** Every configured cluster's name; empty with search off. */
    public List<String> clusterNames() {
        return loader.clusterNames();
    }

    /**
     * Starts rebuilding a cluster: it is read around until {@link #finishRebuild}, its indexes are
     * recreated empty, and its indexer keeps applying live changes meanwhile.
     */
    public void beginRebuild(String cluster) {
        loader.begin(cluster);
    }

    /** Loads one chunk of members (as changes with nothing removed) into a cluster being rebuilt, with external versions. */
    public void loadIntoRebuild(String cluster, List<MemberChange> changes) {
        loader.load(cluster, changes);
    }

    /** Ends a rebuild: the loaded documents are refreshed and the cluster is read again. */
    public void finishRebuild(String cluster) {
        loader.finish(cluster);
    }

    /**
     * The clusters a traffic class may read, preferred first: its own, then the backup. Only
     * clusters fresh enough that a change older than a marker's life is surely searchable.
     */
    List<SearchCluster> clustersFor(TrafficClass trafficClass) {
        return reachableClustersFor(trafficClass).stream().filter(this::fresh).toList();
    }

    /**
     * For filtered search: the traffic class's cluster, then the backup, fresh or not. None with
     * change capture off: nothing feeds the clusters, so they would answer from whatever they last held.
     */
    List<SearchCluster> reachableClustersFor(TrafficClass trafficClass) {
        if (!indexers.kafkaConfigured()) return List.of();
        List<SearchCluster> candidates = new ArrayList<>();
        clusters.forTrafficClass(trafficClass).ifPresent(candidates::add);
        clusters.all().stream()
                .filter(c -> c.role() == SearchProperties.Role.BACKUP && !candidates.contains(c))
                .forEach(candidates::add);
        return candidates.stream().filter(c -> !loader.isRebuilding(c.name())).toList();
    }

    boolean fresh(SearchCluster cluster) {
        if (loader.isRebuilding(cluster.name())) return false;
        boolean indexing =
                indexers.of(cluster.name()).map(SearchIndexer::isRunning).orElse(false);
        return indexing && freshness.fresh(cluster.name());
    }

    private static String source(SearchCluster cluster) {
        return cluster.name() + "@" + cluster.dataCenter();
    }

    /** Which documents of one cluster hold an identifier. */
    sealed interface Holders {
        record One(MemberChange member) implements Holders {}

        record None() implements Holders {}

        record Several() implements Holders {}
    }

    /** A routed lookup: one shard of member_identifiers, then a get of the members it names, verified. */
    Holders lookup(SearchCluster cluster, IdentifierKey identifier) {
        String identifierKey = identifier.searchKey();
        String query = json.writeValueAsString(Map.of(
                "size",
                10,
                "_source",
                List.of("memberId"),
                "query",
                Map.of("bool", Map.of("filter", List.of(Map.of("term", Map.of("key", identifierKey)))))));
        SearchCluster.Answer hits = cluster.read(
                "POST",
                "/" + SearchIndexes.IDENTIFIERS + "/_search?routing="
                        + URLEncoder.encode(identifierKey, StandardCharsets.UTF_8),
                query);
        requireOk(hits, cluster);
        List<String> ids = new ArrayList<>();
        hits.body()
                .path("hits")
                .path("hits")
                .forEach(hit -> ids.add(hit.path("_source").path("memberId").asString()));
        if (ids.isEmpty()) {
            return new Holders.None();
        }
        List<MemberChange> holders = getMembers(cluster, ids).stream()
                .filter(m -> m.holds(identifier))
                .toList();
        return switch (holders.size()) {
            case 0 -> new Holders.None();
            case 1 -> new Holders.One(holders.getFirst());
            default -> new Holders.Several();
        };
    }

    List<MemberChange> getMembers(SearchCluster cluster, List<String> ids) {
        SearchCluster.Answer docs = cluster.read(
                "POST", "/" + SearchIndexes.MEMBERS + "/_mget", json.writeValueAsString(Map.of("ids", ids)));
        requireOk(docs, cluster);
        List<MemberChange> members = new ArrayList<>();
        for (JsonNode doc : docs.body().path("docs")) {
            if (doc.path("found").asBoolean()) members.add(member(doc.path("_source")));
        }
        return members;
    }

    /** Filter context only (no scoring), sorted by createdAt then memberId, continued with search_after. */
    Page search(SearchCluster cluster, SearchFilter filter) {
        List<Object> clauses = new ArrayList<>();
        if (!filter.levels().isEmpty()) clauses.add(Map.of("terms", Map.of("level", filter.levels())));
        if (!filter.statuses().isEmpty()) clauses.add(Map.of("terms", Map.of("status", filter.statuses())));
        if (filter.platform() != null) clauses.add(Map.of("term", Map.of("platforms", filter.platform())));
        if (filter.createdFromMillis() != null || filter.createdToMillis() != null) {
            Map<String, Object> range = new LinkedHashMap<>();
            if (filter.createdFromMillis() != null) range.put("gte", filter.createdFromMillis());
            if (filter.createdToMillis() != null) range.put("lt", filter.createdToMillis());
            clauses.add(Map.of("range", Map.of("createdAt", range)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("size", filter.limit());
        body.put("track_total_hits", false);
        body.put("query", Map.of("bool", Map.of("filter", clauses)));
        body.put("sort", List.of(Map.of("createdAt", "asc"), Map.of("memberId", "asc")));
        if (filter.after() != null) {
            body.put(
                    "search_after",
                    List.of(filter.after().createdAtMillis(), filter.after().memberId()));
        }
        SearchCluster.Answer answer =
                cluster.read("POST", "/" + SearchIndexes.MEMBERS + "/_search", json.writeValueAsString(body));
        requireOk(answer, cluster);
        List<MemberChange> items = new ArrayList<>();
        answer.body().path("hits").path("hits").forEach(hit -> items.add(member(hit.path("_source"))));
        // The service owns the order callers rely on; the engine's sort only selects the page.
        items.sort(Comparator.comparingLong(MemberChange::createdAtMillis).thenComparingLong(MemberChange::memberId));
        Optional<SearchFilter.Position> next = items.size() < filter.limit()
                ? Optional.empty()
                : Optional.of(new SearchFilter.Position(
                        items.getLast().createdAtMillis(), items.getLast().memberId()));
        return new Page(items, next, source(cluster));
    }

    /**
     * OpenSearch answers every search and get with a JSON object; anything else (an empty body, a proxy's
     * page that happens to parse) is not an answer at all and must not read as "no hits".
     */
    private static void requireOk(SearchCluster.Answer answer, SearchCluster cluster) {
        if (!answer.ok()) {
            throw new SearchUnavailableException(
                    cluster.name(), new IllegalStateException("status " + answer.status()));
        }
        if (!answer.body().isObject()) {
            throw new SearchUnavailableException(
                    cluster.name(), new IllegalStateException("status " + answer.status() + " without a JSON object"));
        }
    }

    private MemberChange member(JsonNode source) {
        return json.treeToValue(source, MemberDocument.class).asChange();
    }
}
