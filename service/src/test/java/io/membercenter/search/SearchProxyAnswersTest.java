package io.membercenter.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.membercenter.degradation.StandaloneBreakers;
import io.membercenter.replication.IdentifierKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * A proxy in front of a cluster (a load balancer, an ingress) answers with its own HTML error page or an
 * empty body when the cluster behind it is gone, often with status 200 or 502. Such an answer is an
 * unreachable cluster — the reads fall back to the next cluster, then MySQL — never a 500 and never an
 * empty result. The proxy here is a real HTTP server of the test's own on a free port.
 */
class SearchProxyAnswersTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private Duration holdEachRequestFor = Duration.ZERO;
    private HttpServer proxy;
    private SearchCluster cluster;

    @AfterEach
    void stopProxy() throws Exception {
        if (cluster != null) cluster.close();
        if (proxy != null) proxy.stop(0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "200|text/html|<html><body><h1>Welcome to nginx!</h1></body></html>",
                "502|text/html|<html><head><title>502 Bad Gateway</title></head><body>bad gateway</body></html>",
                "200|application/json|''",
                "200|text/plain|''",
                "503|text/plain|''",
                "200|application/json|null",
                "200|application/json|[1,2]",
            })
    void aProxysHtmlOrEmptyAnswerIsAnUnreachableCluster(int status, String contentType, String body) throws Exception {
        startProxy(status, contentType, body);
        MemberSearch search = new MemberSearch(null, null, null, null, JSON);

        assertThatThrownBy(() ->
                        search.search(cluster, new SearchFilter(List.of(), List.of(), null, null, null, 10, null)))
                .isInstanceOf(SearchUnavailableException.class);
        assertThatThrownBy(() -> search.lookup(cluster, IdentifierKey.mobile("+8613800138000")))
                .isInstanceOf(SearchUnavailableException.class);
        assertThatThrownBy(() -> search.getMembers(cluster, List.of("1")))
                .isInstanceOf(SearchUnavailableException.class);
    }

    /**
     * More reads at once than the client pools connections to one cluster, against a proxy that holds each request:
     * the reads beyond the pool wait for a connection until their deadline, which the client reports as a bare
     * RuntimeException (a DeadlineTimeoutException inside). Every read must still end as an unreachable cluster —
     * the caller's cue to fall back — never as the 500 the overloaded failover runs answered (stop 24).
     */
    @Test
    void readsThatRunOutOfPooledConnectionsAreAnUnreachableCluster() throws Exception {
        holdEachRequestFor = Duration.ofSeconds(2);
        startProxy(200, "application/json", "{}");
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            readers.add(Thread.ofVirtual().start(() -> {
                try {
                    cluster.read("GET", "/member_identifiers/_doc/1", null);
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread reader : readers) reader.join();

        assertThat(failures)
                .hasSize(40)
                .allSatisfy(failure -> assertThat(failure).isInstanceOf(SearchUnavailableException.class));
    }

    private void startProxy(int status, String contentType, String body) throws Exception {
        proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        proxy.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            sleep(holdEachRequestFor);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        proxy.start();
        cluster = new SearchCluster(
                new SearchProperties.Cluster(
                        "search-proxied",
                        "A",
                        SearchProperties.Role.PRIMARY,
                        "http://127.0.0.1:" + proxy.getAddress().getPort()),
                new SearchProperties(
                        List.of(),
                        Map.of(),
                        1,
                        1,
                        0,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(10),
                        Duration.ofMillis(500),
                        Duration.ofMillis(500)),
                JSON,
                StandaloneBreakers.withDefaults());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
