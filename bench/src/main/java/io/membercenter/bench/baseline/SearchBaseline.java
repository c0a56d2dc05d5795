package io.membercenter.bench.baseline;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Direct queries to one OpenSearch cluster over its REST API, as a client without member-center would send
 * them: the floor under the service's lookups and searches, and the routed-versus-fan-out comparison of the
 * index design (search/SHARDS.md). Every answer is parsed and its hit count checked, as any client must.
 */
public final class SearchBaseline implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final String baseUrl;

    public SearchBaseline(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** A term query on the members index by mobile, in filter context: what a caller of the cluster would send. */
    public void memberByMobile(String mobile) throws IOException, InterruptedException {
        expectHits(post("/members/_search", termQuery("mobile", mobile, 1)), 1);
    }

    /**
     * The identifier index's term query for {@code MOBILE:<mobile>}, routed to the one shard the key lives in, or
     * sent to every shard of the index.
     */
    public void identifierLookup(String index, String identifierKey, boolean routed)
            throws IOException, InterruptedException {
        expectHits(identifierSearch(index, identifierKey, routed), 1);
    }

    private JsonNode identifierSearch(String index, String identifierKey, boolean routed)
            throws IOException, InterruptedException {
        String path = "/" + index + "/_search"
                + (routed ? "?routing=" + URLEncoder.encode(identifierKey, StandardCharsets.UTF_8) : "");
        return post(path, termQuery("key", identifierKey, 10));
    }

    /** One page of a filtered search, sorted by creation, as the service's search asks its cluster. */
    public void searchByLevel(String level, int size) throws IOException, InterruptedException {
        String body = "{\"size\":" + size + ",\"query\":{\"bool\":{\"filter\":[{\"terms\":{\"level\":[\"" + level
                + "\"]}}]}}," + "\"sort\":[{\"createdAt\":\"asc\"},{\"memberId\":\"asc\"}]}";
        JsonNode answer = post("/members/_search", body);
        if (answer.path("hits").path("hits").size() != size) {
            throw new IOException("search by level " + level + " returned "
                    + answer.path("hits").path("hits").size());
        }
    }

    /**
     * Copies an index into a new one with another shard count, keeping each document's routing: the same data
     * laid out as the production shard plan, to compare routed and fan-out lookups where the difference shows.
     */
    public void copyIndex(String source, String target, int shards, String onlyKeyPrefix)
            throws IOException, InterruptedException {
        send("DELETE", "/" + target + "?ignore_unavailable=true", null);
        send(
                "PUT",
                "/" + target,
                "{\"settings\":{\"index\":{\"number_of_shards\":" + shards + ",\"number_of_replicas\":0,"
                        + "\"refresh_interval\":\"-1\"}},\"mappings\":{\"_routing\":{\"required\":true},\"properties\":{"
                        + "\"key\":{\"type\":\"keyword\"},\"memberId\":{\"type\":\"long\"},\"version\":{\"type\":\"long\"}}}}");
        send(
                "POST",
                "/_reindex?wait_for_completion=true&refresh=true&timeout=30m",
                "{\"source\":{\"index\":\"" + source
                        + "\",\"size\":5000,\"query\":{\"prefix\":{\"key\":\"" + onlyKeyPrefix
                        + "\"}}},\"dest\":{\"index\":\"" + target
                        + "\",\"routing\":\"keep\"}}");
        send("POST", "/" + target + "/_forcemerge?max_num_segments=1", null);
    }

    /** The version of a member's document in the members index, or 0 when it has none. */
    public long memberVersion(long memberId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/members/_doc/" + memberId))
                        .timeout(REQUEST_TIMEOUT)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) return 0;
        if (response.statusCode() >= 300)
            throw new IOException("GET member document answered " + response.statusCode());
        return JSON.readTree(response.body()).path("_version").asLong();
    }

    /**
     * The newest version a search (not a real-time GET) finds on the identifier's entries: what a lookup
     * by that identifier can see, so it moves only when the cluster has refreshed.
     */
    public long searchableIdentifierVersion(String identifierKey) throws IOException, InterruptedException {
        long newest = 0;
        for (JsonNode hit : identifierSearch("member_identifiers", identifierKey, true)
                .path("hits")
                .path("hits")) {
            newest = Math.max(newest, hit.path("_source").path("version").asLong());
        }
        return newest;
    }

    /** Documents in an index, after a refresh. */
    public long count(String index) throws IOException, InterruptedException {
        send("POST", "/" + index + "/_refresh", null);
        return send("GET", "/" + index + "/_count", null).path("count").asLong();
    }

    private static String termQuery(String field, String value, int size) {
        return "{\"size\":" + size + ",\"query\":{\"bool\":{\"filter\":[{\"term\":{\"" + field + "\":"
                + JSON.writeValueAsString(value) + "}}]}}}";
    }

    private static void expectHits(JsonNode answer, int hits) throws IOException {
        int found = answer.path("hits").path("hits").size();
        if (found != hits) throw new IOException("expected " + hits + " hit(s), found " + found);
    }

    private JsonNode post(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, body);
    }

    private JsonNode send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(path.startsWith("/_reindex") ? Duration.ofMinutes(30) : REQUEST_TIMEOUT);
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("Content-Type", "application/json");
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(300, response.body().length())));
        }
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        http.close();
    }
}
