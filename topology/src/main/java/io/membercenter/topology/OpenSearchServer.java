package io.membercenter.topology;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A single-node OpenSearch cluster of its own (own cluster name, ports and data folder), in a child JVM running
 * {@code io.membercenter.topology.search.OpenSearchNodeMain} (see {@link OpenSearchNodeJar}) on the OpenSearch
 * classpath. Indices are on disk under {@code node_1/data} and survive stop and start.
 */
final class OpenSearchServer extends ChildJvmServer {

    private static final Pattern SERVING = Pattern.compile("\"status\"\\s*:\\s*\"(green|yellow)\"");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();

    private final int transportPort;

    /** @param classpath OpenSearch's jars with the node's main class first */
    OpenSearchServer(
            String name,
            String dataCenter,
            String role,
            int httpPort,
            int transportPort,
            Path dir,
            ChildClasspath classpath) {
        super(name, StoreKind.SEARCH, dataCenter, role, httpPort, dir, classpath);
        this.transportPort = transportPort;
    }

    /** {@code http://127.0.0.1:PORT} */
    String url() {
        return "http://" + HOST + ":" + port();
    }

    /** The node creates its folders itself. */
    @Override
    boolean isDataInitialized() {
        return true;
    }

    @Override
    void initializeData() {}

    /** The cluster is named after the store, and so is its log; the node keeps everything under {@code node_1}. */
    @Override
    List<String> command() {
        return serverCommand(
                SMALL_JVM,
                OpenSearchNodeJar.MAIN_CLASS,
                List.of(name(), dir().toString(), Integer.toString(port()), Integer.toString(transportPort)));
    }

    /** Green, or yellow for indices whose replicas have no second node to go to: what one node can be. */
    @Override
    boolean acceptsConnections() {
        HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/_cluster/health"))
                .timeout(PROBE_TIMEOUT)
                .build();
        try {
            HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200
                    && SERVING.matcher(response.body()).find();
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    Path errorLog() {
        return dir().resolve("node_1").resolve("logs").resolve(name() + ".log");
    }
}
