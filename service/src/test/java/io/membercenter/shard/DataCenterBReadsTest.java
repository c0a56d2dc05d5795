package io.membercenter.shard;

import static io.membercenter.support.ApiClient.ORDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.SecondInstance;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A service instance in data center B reads the replica in B, and still never answers an older
 * version than one it acknowledged: a write waits for the local replica before it is answered.
 */
@ServiceTest
@TestPropertySource(properties = {"member-center.shard.data-center=B", "member-center.member.node-id=1"})
class DataCenterBReadsTest {

    private final ApiClient api;
    private final Stores stores;

    DataCenterBReadsTest(ApiClient api, Stores stores) {
        this.api = api;
        this.stores = stores;
    }

    /**
     * As order-service (ORDER: no hot-key limit): 100 rounds of one member's PATCH and two reads are a hot key, and
     * as app-backend (DEFAULT, 50 requests/s per key) a fast machine's rounds were refused with 429 (CI, stop 22).
     */
    @Test
    void readsInBComeFromTheReplicaAndSeeEveryAcknowledgedWrite() {
        Response created = api.newMember();
        String id = created.memberId();
        // A test before may have restarted B's replica: its pool's old connections fail once each and its breaker
        // opens on them, so reads go to the master until it is closed again. From then on, every read is B's.
        await("reads in B come from B's replica again")
                .atMost(Duration.ofSeconds(30))
                .until(() -> {
                    // Each read after a PATCH, as below: the PATCH empties the cache, so the read is a database's.
                    api.patch(
                            "/v1/members/" + id, ORDER_KEY, RequestBody.object().with("nickname", "settling"));
                    return api.get("/v1/members/" + id, ORDER_KEY)
                            .header("X-Member-Source")
                            .equals(Optional.of("db@B"));
                });

        for (int i = 1; i <= 100; i++) {
            Response patched = api.patch(
                    "/v1/members/" + id, ORDER_KEY, RequestBody.object().with("nickname", "n" + i));
            Response read = api.get("/v1/members/" + id, ORDER_KEY);
            Response byMobile = api.get(
                    "/v1/members/by-mobile/" + created.json().path("mobile").asString(), ORDER_KEY);

            assertThat(read.status()).as("read %d: %s", i, read.text()).isEqualTo(200);
            assertThat(read.header("X-Member-Source")).as("read %d", i).contains("db@B");
            assertThat(read.version()).isGreaterThanOrEqualTo(patched.version());
            assertThat(byMobile.version()).isGreaterThanOrEqualTo(patched.version());
        }
    }

    /**
     * Read-your-writes across instances: what one instance in B acknowledged, a second instance in B (its own
     * pools and caches' connections, node id 2) never answers older, by id or by mobile, while writers and readers
     * race on several members at once.
     */
    @Test
    void aSecondInstanceInBNeverAnswersOlderThanAWriteTheFirstAcknowledged() throws Exception {
        List<Response> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) members.add(api.newMember());
        ConcurrentLinkedQueue<String> older = new ConcurrentLinkedQueue<>();
        AtomicInteger rounds = new AtomicInteger();
        try (SecondInstance second = SecondInstance.startIn("B", 2)) {
            List<Thread> threads = new ArrayList<>();
            for (Response member : members) {
                threads.add(Thread.ofVirtual().start(() -> {
                    String id = member.memberId();
                    String mobile = member.json().path("mobile").asString();
                    for (int i = 1; i <= 40; i++) {
                        Response patched = api.patch(
                                "/v1/members/" + id,
                                ORDER_KEY,
                                RequestBody.object().with("nickname", "r" + i));
                        if (patched.status() != 200) {
                            older.add("PATCH " + patched.status() + " " + patched.text());
                            continue;
                        }
                        for (Response read : List.of(
                                second.api().get("/v1/members/" + id, ORDER_KEY),
                                second.api().get("/v1/members/by-mobile/" + mobile, ORDER_KEY))) {
                            if (read.status() != 200 || read.version() < patched.version()) {
                                older.add(read.status() + " version " + (read.status() == 200 ? read.version() : -1)
                                        + " after " + patched.version() + " was acknowledged");
                            }
                        }
                        rounds.incrementAndGet();
                    }
                }));
            }
            for (Thread thread : threads) thread.join();
        }

        assertThat(older)
                .as("answers of the second instance older than an acknowledged write")
                .isEmpty();
        assertThat(rounds.get()).isEqualTo(160);
    }

    @Test
    void readsInBFallBackToTheMasterWhileTheReplicaIsDown() {
        String id = api.newMember().memberId();
        Response read;
        try (Stores.StoppedStore replica = stores.stop("mysql-b")) {
            read = api.get("/v1/members/" + id, ORDER_KEY);
        }

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("X-Member-Source")).contains("db@A");
    }

    @Test
    void idsMadeInBNeverCollideWithIdsMadeInA() {
        long id = Long.parseLong(api.newMember().memberId());
        assertThat((id >>> 21) & 1).as("data-center bit").isEqualTo(1);
    }
}
