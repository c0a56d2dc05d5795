package io.membercenter.search;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Request;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One OpenSearch cluster. Requests are written as the JSON the OpenSearch documentation shows
 * (through opensearch-java's generic client, which owns connection pooling and retries), so the
 * index design reads the same here as in the reference write-ups.
 */
final class SearchCluster implements AutoCloseable {

    /** An answer: HTTP status and the parsed body. */
    public record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final SearchProperties.Cluster config;
    private final ApacheHttpClient5Transport transport;
    private final OpenSearchGenericClient client;
    private final JsonMapper json;

    SearchCluster(SearchProperties.Cluster config, JsonMapper json) {
        this.config = config;
        this.json = json;
        URI url = URI.create(config.url());
        this.transport = ApacheHttpClient5TransportBuilder.builder(
                        new HttpHost(url.getScheme(), url.getHost(), url.getPort()))
                .setMapper(new JacksonJsonpMapper())
                .build();
        this.client = new OpenSearchGenericClient(transport);
    }

    public String name() {
        return config.name();
    }

    public String dataCenter() {
        return config.dataCenter();
    }

    public SearchProperties.Role role() {
        return config.role();
    }

    /** Sends a request; an unreachable cluster throws {@link SearchUnavailableException}. */
    public Answer send(String method, String path, String body) {
        Request request = body == null
                ? Requests.create(method, path, List.of(), Map.of(), null)
                : Requests.create(
                        method,
                        path,
                        List.of(),
                        Map.of(),
                        Body.from(
                                body.getBytes(StandardCharsets.UTF_8),
                                path.endsWith("_bulk") ? "application/x-ndjson" : "application/json"));
        try (Response response = client.execute(request)) {
            String text = response.getBody().map(Body::bodyAsString).orElse("");
            return new Answer(response.getStatus(), text.isEmpty() ? json.nullNode() : json.readTree(text));
        } catch (IOException e) {
            throw new SearchUnavailableException(config.name(), e);
        } catch (JacksonException e) {
            // Not OpenSearch answering: a proxy in front of it (its HTML error page). The cluster is as good as
            // unreachable; the message is not kept, it may quote the page.
            throw new SearchUnavailableException(
                    config.name(),
                    new IllegalStateException(
                            "the answer is not JSON: " + e.getClass().getSimpleName()));
        }
    }

    public Answer get(String path) {
        return send("GET", path, null);
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }
}
