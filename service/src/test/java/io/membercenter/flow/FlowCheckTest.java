package io.membercenter.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.membercenter.topology.LocalTopology;
import io.membercenter.traffic.TrafficClass;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The bench's door ({@code ./mc bench flow}): its checks are the gate's, admitted on the paths the benchmark times,
 * and with a token store its global cap really leases from it. The store is Redis B of the local topology, which no
 * service instance uses as its token store (the local profile's is Redis A): this test's leases, of a cap of a
 * billion, must not use up the caps of the instances of other tests.
 */
class FlowCheckTest {

    private static final FlowCheck.Request SEARCH =
            FlowCheck.request("bench-door-test", TrafficClass.MARKETING, "search", List.of());

    @Test
    void everyShapeOfRequestIsAdmittedFromSeveralThreadsAtOnceOnTheLocalShare() throws Exception {
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) batch.add("member:" + (900_000 + i));
        List<FlowCheck.Request> requests = List.of(
                SEARCH,
                FlowCheck.request("bench-door-test", TrafficClass.MARKETING, "reads", List.of("member:900000")),
                FlowCheck.request("bench-door-test", TrafficClass.MARKETING, "batch", batch),
                FlowCheck.request("bench-door-order", TrafficClass.ORDER, "writes", List.of("member:900000")));
        try (FlowCheck check = FlowCheck.withLimitsOutOfReach("");
                ExecutorService threads = Executors.newFixedThreadPool(4)) {
            assertThat(check.tokenStoreReachable()).isFalse();
            List<Callable<List<String>>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                work.add(() -> {
                    List<String> refused = new ArrayList<>();
                    for (int i = 0; i < 2_000; i++) {
                        String rule = check.pass(requests.get(i % requests.size()));
                        if (rule != null) refused.add(rule);
                    }
                    return refused;
                });
            }
            for (Future<List<String>> done : threads.invokeAll(work)) {
                assertThat(done.get()).as("rules that refused a check").isEmpty();
            }
        }
    }

    @Test
    void withATokenStoreThatAnswersTheGlobalCapLeasesFromIt() {
        String url = LocalTopology.shared().redisUri("redis-b");
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> redis = client.connect();
                FlowCheck check = FlowCheck.withLimitsOutOfReach(url)) {
            assertThat(check.tokenStoreReachable()).isTrue();
            long before = System.currentTimeMillis() / 1000;
            assertThat(check.pass(SEARCH)).isNull();
            long after = System.currentTimeMillis() / 1000;

            // One lease of a chunk (1/50 of the cap) in the second of the check, counted in the store.
            long leased = 0;
            for (long second = before; second <= after; second++) {
                String used = redis.sync().get("mc:flow:global:MARKETING:" + second);
                if (used != null) leased += Long.parseLong(used);
            }
            assertThat(leased).isGreaterThanOrEqualTo(FlowCheck.LIMIT / 50);
            assertThat(check.tokenStoreReachable()).isTrue();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void anUnknownEndpointGroupIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> FlowCheck.request("bench-door-test", TrafficClass.DEFAULT, "everything", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'everything'")
                .hasMessageContaining("[reads, writes, search, batch]");
    }
}
