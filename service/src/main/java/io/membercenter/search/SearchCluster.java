package io.membercenter.search;

import io.membercenter.degradation.Breakers;
import io.membercenter.degradation.DependencyBreaker;
import io.membercenter.degradation.DependencyUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Request;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Options;
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

    private static final long SELECT_INTERVAL_MILLIS = 50;

    private final SearchProperties.Cluster config;
    private final ApacheHttpClient5Transport transport;
    private final OpenSearchGenericClient client;
    /** The same transport, with the request path's short deadline ({@link #read}). */
    private final OpenSearchGenericClient readClient;

    private final JsonMapper json;
    private final DependencyBreaker breaker;

    SearchCluster(SearchProperties.Cluster config, SearchProperties properties, JsonMapper json, Breakers breakers) {
        this.config = config;
        this.json = json;
        this.breaker = breakers.breaker(config.name());
        URI url = URI.create(config.url());
        // Every wait bounded: TCP connect, each read on an open connection, the wait for a pooled connection
        // and the whole response, so a hung cluster releases the caller, who falls back to the next store.
        this.transport = ApacheHttpClient5TransportBuilder.builder(
                        new HttpHost(url.getScheme(), url.getHost(), url.getPort()))
                .setMapper(new JacksonJsonpMapper())
                // The I/O reactor looks for timed-out requests once per select interval, 1 s by default: a 500 ms
                // read deadline then fired after 0.5-1.5 s (a hung cluster's half-open probe took 1,009 ms).
                .setHttpClientConfigCallback(http -> http.setIOReactorConfig(IOReactorConfig.custom()
                        .setSelectInterval(TimeValue.ofMilliseconds(SELECT_INTERVAL_MILLIS))
                        .build()))
                .setConnectionConfigCallback(connection -> connection
                        .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                        .setSocketTimeout(Timeout.of(properties.socketTimeout())))
                .setRequestConfigCallback(request -> request.setConnectionRequestTimeout(
                                Timeout.of(properties.connectionRequestTimeout()))
                        .setResponseTimeout(Timeout.of(properties.socketTimeout())))
                .build();
        this.client = new OpenSearchGenericClient(transport);
        // A request's reads get their own, short deadline on the same connections: the socket timeout above is
        // sized for bulk indexing, and a lookup that waited that long on a hung cluster would leave the request
        // no time for the next cluster or store (and its breaker would see the failure only that late).
        Timeout readTimeout = Timeout.of(properties.readTimeout());
        this.readClient = client.withTransportOptions(ApacheHttpClient5Options.DEFAULT.toBuilder()
                .setRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(
                                properties.connectionRequestTimeout().compareTo(properties.readTimeout()) < 0
                                        ? properties.connectionRequestTimeout()
                                        : properties.readTimeout()))
                        .setResponseTimeout(readTimeout)
                        .build())
                .build());
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

    /**
     * Sends a request through the cluster's breaker; an unreachable cluster, or one whose breaker is
     * open, throws {@link SearchUnavailableException}.
     */
    public Answer send(String method, String path, String body) {
        return through(client, method, path, body);
    }

    /**
     * {@link #send} for a read on the request path (a lookup, a get by id, a filtered search): it waits at most
     * {@code read-timeout} for its answer, then the caller moves on to the next cluster or store.
     */
    public Answer read(String method, String path, String body) {
        return through(readClient, method, path, body);
    }

    private Answer through(OpenSearchGenericClient client, String method, String path, String body) {
        try {
            return breaker.call(() -> sendNow(client, method, path, body), failure -> failure instanceof IOException);
        } catch (IOException | DependencyUnavailableException e) {
            throw new SearchUnavailableException(config.name(), e);
        }
    }

    private Answer sendNow(OpenSearchGenericClient client, String method, String path, String body) throws IOException {
        Request request = body == null
                ? Requests.create(method, path, List.of(), Map.of(), null)
                : Requests.create(
                        method,
                        path,
                        List.of(),
                        Map.of(),
                        Body.from(
                                body.getBytes(StandardCharsets.UTF_8),
                                path.split("\\?")[0].endsWith("_bulk") ? "application/x-ndjson" : "application/json"));
        try (Response response = client.execute(request)) {
            String text = response.getBody().map(Body::bodyAsString).orElse("");
            return new Answer(response.getStatus(), text.isEmpty() ? json.nullNode() : json.readTree(text));
        } catch (JacksonException e) {
            // Not OpenSearch answering: a proxy in front of it (its HTML error page). The cluster is as good as
            // unreachable (and counts against its breaker); the message is not kept, it may quote the page.
            throw new IOException("the answer is not JSON: " + e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            // The client reports a wait for a pooled connection that ran out (HttpCore's DeadlineTimeoutException, a
            // TimeoutException) as a bare RuntimeException, "error while performing request": a cluster that cannot
            // answer in time, as a socket timeout is. Not mapped, it escaped the fallback to the next store as a 500.
            if (causedByTimeoutOrIo(e)) throw new IOException("no answer in time: " + rootCauseName(e), e);
            throw e;
        }
    }

    private static boolean causedByTimeoutOrIo(Throwable e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof IOException) return true;
        }
        return false;
    }

    private static String rootCauseName(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        return root.getClass().getSimpleName();
    }

    public Answer get(String path) {
        return send("GET", path, null);
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }
}
