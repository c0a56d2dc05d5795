package io.membercenter.search;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.MemberChange;
import io.membercenter.traffic.TrafficClass;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads from search: lookups by identifier (routed, one shard) and filtered search. Which cluster
 * serves a traffic class, and whether it is fresh enough to be read at all, is decided here.
 */
public final class MemberSearch {

    /** A page of search results and the position to continue after, if there may be more. */
    public record Page(List<MemberChange> items, Optional<SearchFilter.Position> next, SearchCluster cluster) {}

    /** A lookup's answer: the member holding the identifier (or none), unless search cannot tell. */
    public sealed interface Lookup {}

    public record Found(MemberChange member) implements Lookup {}

    public record NotFound() implements Lookup {}

    /** Several documents claim the identifier (an ownership move in flight): ask MySQL. */
    public record Ambiguous() implements Lookup {}

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
     * The clusters a traffic class may read, preferred first: its own, then the backup. Only
     * clusters fresh enough that a change older than a marker's life is surely searchable.
     */
    public List<SearchCluster> clustersFor(TrafficClass trafficClass) {
        return reachableClustersFor(trafficClass).stream().filter(this::fresh).toList();
    }

    /** For filtered search: the traffic class's cluster, then the backup, fresh or not. */
    public List<SearchCluster> reachableClustersFor(TrafficClass trafficClass) {
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

    /** A routed lookup: one shard of member_identifiers, then a get of the members it names, verified. */
    public Lookup lookup(SearchCluster cluster, IdentifierKey identifier) {
        String identifierKey = identifier.searchKey();
        String query = json.writeValueAsString(Map.of(
                "size",
                10,
                "_source",
                List.of("memberId"),
                "query",
                Map.of("bool", Map.of("filter", List.of(Map.of("term", Map.of("key", identifierKey)))))));
        SearchCluster.Answer hits = cluster.send(
                "POST",
                "/" + SearchIndexes.IDENTIFIERS + "/_search?routing="
                        + java.net.URLEncoder.encode(identifierKey, java.nio.charset.StandardCharsets.UTF_8),
                query);
        requireOk(hits, cluster);
        List<String> ids = new ArrayList<>();
        hits.body()
                .path("hits")
                .path("hits")
                .forEach(hit -> ids.add(hit.path("_source").path("memberId").asString()));
        if (ids.isEmpty()) {
            return new NotFound();
        }
        List<MemberChange> holders = getMembers(cluster, ids).stream()
                .filter(m -> m.holds(identifier))
                .toList();
        return switch (holders.size()) {
            case 0 -> new NotFound();
            case 1 -> new Found(holders.getFirst());
            default -> new Ambiguous();
        };
    }

    List<MemberChange> getMembers(SearchCluster cluster, List<String> ids) {
        SearchCluster.Answer docs = cluster.send(
                "POST", "/" + SearchIndexes.MEMBERS + "/_mget", json.writeValueAsString(Map.of("ids", ids)));
        requireOk(docs, cluster);
        List<MemberChange> members = new ArrayList<>();
        for (JsonNode doc : docs.body().path("docs")) {
            if (doc.path("found").asBoolean()) members.add(member(doc.path("_source")));
        }
        return members;
    }

    /** Filter context only (no scoring), sorted by createdAt then memberId, continued with search_after. */
    public Page search(SearchCluster cluster, SearchFilter filter) {
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
                cluster.send("POST", "/" + SearchIndexes.MEMBERS + "/_search", json.writeValueAsString(body));
        requireOk(answer, cluster);
        List<MemberChange> items = new ArrayList<>();
        answer.body().path("hits").path("hits").forEach(hit -> items.add(member(hit.path("_source"))));
        // The service owns the order callers rely on; the engine's sort only selects the page.
        items.sort(Comparator.comparingLong(MemberChange::createdAtMillis).thenComparingLong(MemberChange::memberId));
        Optional<SearchFilter.Position> next = items.size() < filter.limit()
                ? Optional.empty()
                : Optional.of(new SearchFilter.Position(
                        items.getLast().createdAtMillis(), items.getLast().memberId()));
        return new Page(items, next, cluster);
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
