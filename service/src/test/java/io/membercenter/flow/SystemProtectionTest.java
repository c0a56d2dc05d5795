package io.membercenter.flow;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static io.membercenter.support.ApiClient.APP_KEY;
import static io.membercenter.support.ApiClient.MARKETING_KEY;
import static io.membercenter.support.ApiClient.ORDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.ServiceTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * System protection sheds MARKETING, then DEFAULT, before ORDER (issue 13). The overload is real and exact: ORDER
 * creates whose bodies the test holds back stay in flight (admitted by flow control, waiting for their body in
 * the route), while other threads send MARKETING, DEFAULT and ORDER reads at the same time. With
 * {@code maxConcurrent} 20, MARKETING is shed from 10 in flight, DEFAULT from 15, ORDER from 20.
 */
@ServiceTest
class SystemProtectionTest {

    private final ApiClient api;
    private JsonNode originalFlow;

    @Autowired
    private Environment environment;

    SystemProtectionTest(ApiClient api) {
        this.api = api;
    }

    @BeforeEach
    void rememberTheRules() {
        originalFlow = api.get("/admin/flow-rules", ADMIN_KEY).json().path("flow");
    }

    @AfterEach
    void restoreTheRules() {
        Response restored = putFlow(originalFlow);
        assertThat(restored.status()).as(restored.text()).isEqualTo(200);
    }

    @Test
    void underOverloadMarketingIsShedFirstThenDefaultAndOrderIsServed() throws Exception {
        ObjectNode flow = (ObjectNode) originalFlow.deepCopy();
        ((ObjectNode) flow.path("system"))
                .put("maxConcurrent", 20)
                .put("marketingShedAt", 0.5)
                .put("defaultShedAt", 0.75);
        Response put = putFlow(flow);
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        double blockedBefore =
                Flood.metric(api, "flow_blocked_total", "rule=\"system\"", "traffic_class=\"MARKETING\"");

        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Flood.pool();
        try {
            List<Future<Integer>> held = new ArrayList<>();
            for (int i = 0; i < 12; i++) held.add(pool.submit(() -> heldCreate(release)));
            awaitInFlight(12);

            // 12 in flight: MARKETING (from 10) is shed, ORDER (from 20) is served — four threads each, at once.
            Flood marketing = new Flood();
            Flood order = new Flood();
            long until = System.currentTimeMillis() + 600;
            List<Future<?>> runs = new ArrayList<>();
            runs.addAll(marketing.start(pool, api, MARKETING_KEY, 4, until));
            runs.addAll(order.start(pool, api, ORDER_KEY, 4, until));
            Flood.await(runs);
            assertThat(marketing.answers()).isNotEmpty().allMatch(x -> x.status() == 429 && "system".equals(x.rule()));
            assertThat(order.answers()).isNotEmpty().allMatch(x -> x.status() == Flood.ADMITTED);

            // Still 12: DEFAULT (from 15) is not shed yet.
            Flood dflt = new Flood();
            Flood.await(dflt.start(pool, api, APP_KEY, 1, System.currentTimeMillis() + 300));
            assertThat(dflt.answers()).isNotEmpty().allMatch(x -> x.status() == Flood.ADMITTED);

            // 16 in flight: DEFAULT is shed too; ORDER still served (16 + its 3 threads stay under 20).
            for (int i = 0; i < 4; i++) held.add(pool.submit(() -> heldCreate(release)));
            awaitInFlight(16);
            Flood dfltShed = new Flood();
            Flood orderServed = new Flood();
            until = System.currentTimeMillis() + 600;
            runs = new ArrayList<>();
            runs.addAll(dfltShed.start(pool, api, APP_KEY, 3, until));
            runs.addAll(orderServed.start(pool, api, ORDER_KEY, 3, until));
            Flood.await(runs);
            assertThat(dfltShed.answers()).isNotEmpty().allMatch(x -> x.status() == 429 && "system".equals(x.rule()));
            assertThat(orderServed.answers()).isNotEmpty().allMatch(x -> x.status() == Flood.ADMITTED);

            release.countDown();
            for (Future<Integer> h : held) {
                assertThat(h.get(10, TimeUnit.SECONDS))
                        .as("a held create, once its body came")
                        .isEqualTo(201);
            }
            awaitInFlight(0);
            assertThat(Flood.metric(api, "flow_blocked_total", "rule=\"system\"", "traffic_class=\"MARKETING\"")
                            - blockedBefore)
                    .as("every MARKETING 429 counted")
                    .isEqualTo(marketing.answers().size());
        } finally {
            release.countDown();
            pool.close();
        }
        // The overload is over: MARKETING is served again.
        assertThat(api.get("/v1/members/" + Long.MAX_VALUE / 3, MARKETING_KEY).status())
                .isEqualTo(404);
    }

    /**
     * An ORDER create over a socket of its own: the request line and headers (with the body's length) at once, the
     * body when {@code release} opens; answers the status. Flow control admits it on its headers, and the route
     * then waits for the body: a request in flight for as long as the test wants.
     */
    private int heldCreate(CountDownLatch release) throws Exception {
        byte[] body = ("{\"email\": \"held-" + UUID.randomUUID() + "@example.com\"}").getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/members HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ORDER_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            release.await();
            out.write(body);
            out.flush();
            String statusLine = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    private int port() {
        return Integer.parseInt(environment.getRequiredProperty("local.server.port"));
    }

    private void awaitInFlight(int n) {
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() ->
                        assertThat(Flood.metric(api, "flow_system_in_flight")).isEqualTo(n));
    }

    private Response putFlow(JsonNode flow) {
        return api.request("PUT", "/admin/flow-rules")
                .key(ADMIN_KEY)
                .json("{\"flow\":" + flow + "}")
                .send();
    }
}
