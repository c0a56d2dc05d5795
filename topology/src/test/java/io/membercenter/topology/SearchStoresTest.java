package io.membercenter.topology;

import static io.membercenter.topology.LocalTopology.SEARCH_BACKUP;
import static io.membercenter.topology.LocalTopology.SEARCH_MARKETING;
import static io.membercenter.topology.LocalTopology.SEARCH_PRIMARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The three OpenSearch clusters, alone in a topology of their own, over their HTTP API. */
class SearchStoresTest {

    private static final List<String> CLUSTERS = List.of(SEARCH_PRIMARY, SEARCH_BACKUP, SEARCH_MARKETING);
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @RegisterExtension
    static final TopologyExtension clusters =
            TopologyExtension.ofKinds(Path.of("target", "test-search"), StoreKind.SEARCH);

    private final LocalTopology topology = clusters.topology();

    @Test
    void storesDescribeThePrimaryBackupAndMarketingClusters() {
        assertThat(topology.stores())
                .extracting(StoreInfo::name, StoreInfo::kind, StoreInfo::dataCenter, StoreInfo::role, StoreInfo::up)
                .containsExactly(
                        tuple(SEARCH_PRIMARY, StoreKind.SEARCH, "A", "primary", true),
                        tuple(SEARCH_BACKUP, StoreKind.SEARCH, "B", "backup", true),
                        tuple(SEARCH_MARKETING, StoreKind.SEARCH, "A", "marketing", true));
        assertThat(topology.stores()).extracting(StoreInfo::port).doesNotHaveDuplicates();
        assertThat(topology.searchUrl(SEARCH_BACKUP))
                .isEqualTo("http://127.0.0.1:" + topology.store(SEARCH_BACKUP).port());
    }

    @Test
    void eachClusterIsHealthyUnderItsOwnNameWithTheReferenceSearchPool() throws Exception {
        int searchThreads = Runtime.getRuntime().availableProcessors() * 3 / 2 + 1;
        for (String cluster : CLUSTERS) {
            HttpResponse<String> health = get(cluster, "/_cluster/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body())
                    .containsPattern("\"status\":\"(green|yellow)\"")
                    .contains("\"cluster_name\":\"" + cluster + "\"")
                    .contains("\"number_of_nodes\":1");
            assertThat(get(cluster, "/_cat/thread_pool/search?h=size").body().strip())
                    .isEqualTo(Integer.toString(searchThreads));
        }
    }

    @Test
    void aDocumentIndexedInOneClusterIsInNoOther() throws Exception {
        String index = "members-" + UUID.randomUUID();
        createIndex(SEARCH_MARKETING, index);
        assertThat(put(SEARCH_MARKETING, "/" + index + "/_doc/42", "{\"nickname\":\"Li Lei\"}")
                        .statusCode())
                .isEqualTo(201);

        assertThat(get(SEARCH_MARKETING, "/" + index + "/_doc/42").body()).contains("\"found\":true", "Li Lei");
        assertThat(get(SEARCH_PRIMARY, "/" + index + "/_doc/42").statusCode()).isEqualTo(404);
        assertThat(get(SEARCH_BACKUP, "/" + index + "/_doc/42").statusCode()).isEqualTo(404);
    }

    /** All three at once, as a data-center outage would take them; each comes back with its own documents. */
    @Test
    void documentsSurviveStopAndStartOnTheSamePorts() throws Exception {
        String index = "survivors-" + UUID.randomUUID();
        for (String cluster : CLUSTERS) {
            createIndex(cluster, index);
            put(cluster, "/" + index + "/_doc/1", "{\"cluster\":\"" + cluster + "\"}");
        }
        List<Integer> ports =
                CLUSTERS.stream().map(cluster -> topology.store(cluster).port()).toList();

        onEachCluster(topology::stop);
        for (String cluster : CLUSTERS) {
            assertThat(topology.isUp(cluster)).isFalse();
            assertThatThrownBy(() -> get(cluster, "/_cluster/health")).isInstanceOf(IOException.class);
        }
        onEachCluster(topology::start);

        assertThat(CLUSTERS.stream()
                        .map(cluster -> topology.store(cluster).port())
                        .toList())
                .isEqualTo(ports);
        for (String cluster : CLUSTERS) {
            assertThat(get(cluster, "/" + index + "/_doc/1").body())
                    .contains("\"found\":true", "\"cluster\":\"" + cluster + "\"");
        }
    }

    private void onEachCluster(Consumer<String> action) throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (String cluster : CLUSTERS) {
                done.add(executor.submit(() -> action.accept(cluster)));
            }
            for (Future<?> each : done) {
                each.get();
            }
        }
    }

    /** No replicas: a single node could never place them, and the cluster would stay yellow. */
    private void createIndex(String cluster, String index) throws Exception {
        HttpResponse<String> created =
                put(cluster, "/" + index, "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    }

    private HttpResponse<String> get(String cluster, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(topology.searchUrl(cluster) + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String cluster, String path, String json)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(topology.searchUrl(cluster) + path))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
