package io.membercenter.support;

import io.membercenter.topology.StoreInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads documents straight from a local search cluster, to compare it with MySQL. */
public final class SearchDocs {

    public static final List<String> CLUSTERS = List.of("search-primary", "search-backup", "search-marketing");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SearchDocs() {}

    /** The version of a member's document in a cluster, empty when it has none. */
    public static OptionalLong version(String cluster, String memberId) {
        JsonNode doc = get(cluster, "/members/_doc/" + memberId);
        return doc.path("found").asBoolean()
                ? OptionalLong.of(doc.path("_source").path("version").asLong())
                : OptionalLong.empty();
    }

    public static JsonNode source(String cluster, String memberId) {
        return get(cluster, "/members/_doc/" + memberId).path("_source");
    }

    /** The version MySQL (the master) has for a member. */
    public static long mysqlVersion(String memberId) {
        return ((Number) Sql.everywhere(
                                "mysql-a", "SELECT version FROM member WHERE member_id = ?", Long.parseLong(memberId))
                        .getFirst()
                        .get("version"))
                .longValue();
    }

    /** True when every cluster holds exactly MySQL's version of every member. */
    public static boolean allClustersMatchMysql(List<String> memberIds) {
        return CLUSTERS.stream().allMatch(cluster -> clusterMatchesMysql(cluster, memberIds));
    }

    public static boolean clusterMatchesMysql(String cluster, List<String> memberIds) {
        for (String id : memberIds) {
            OptionalLong version = version(cluster, id);
            if (version.isEmpty() || version.getAsLong() != mysqlVersion(id)) return false;
        }
        return true;
    }

    /**
     * Whether a lookup by identifier would find its holder in the cluster now: the identifier document is
     * <em>searchable</em> (refreshed), not only stored. {@link #version} reads documents in real time, before the
     * cluster's refresh makes them searchable; a lookup by mobile or e-mail searches, and misses an unrefreshed one.
     */
    public static boolean identifierSearchable(String cluster, String searchKey) {
        String query = JSON.writeValueAsString(
                java.util.Map.of("query", java.util.Map.of("term", java.util.Map.of("key", searchKey))));
        StoreInfo store = LocalTopologyExtension.topology().store(cluster);
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://" + store.host() + ":" + store.port() + "/member_identifiers/_search"))
                            .timeout(Duration.ofSeconds(5))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(query))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body())
                            .path("hits")
                            .path("total")
                            .path("value")
                            .asLong()
                    > 0;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Sends a request straight to a cluster, past the service and its indexers (a corruption, as a bug would write
     * it); returns the HTTP status.
     */
    public static int send(String cluster, String method, String path, String body) {
        StoreInfo store = LocalTopologyExtension.topology().store(cluster);
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://" + store.host() + ":" + store.port() + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .header("Content-Type", "application/json")
                                    .method(
                                            method,
                                            body == null
                                                    ? HttpRequest.BodyPublishers.noBody()
                                                    : HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .statusCode();
        } catch (Exception e) {
            throw new IllegalStateException("request to " + cluster + " failed", e);
        }
    }

    static JsonNode get(String cluster, String path) {
        StoreInfo store = LocalTopologyExtension.topology().store(cluster);
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://" + store.host() + ":" + store.port() + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (Exception e) {
            return JSON.nullNode();
        }
    }
}
