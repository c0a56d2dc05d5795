package io.membercenter.shard;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Stores;
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

    @Test
    void readsInBComeFromTheReplicaAndSeeEveryAcknowledgedWrite() {
        Response created = api.newMember();
        String id = created.memberId();

        for (int i = 1; i <= 100; i++) {
            Response patched =
                    api.patch("/v1/members/" + id, APP_KEY, RequestBody.object().with("nickname", "n" + i));
            Response read = api.get("/v1/members/" + id, APP_KEY);
            Response byMobile = api.get(
                    "/v1/members/by-mobile/" + created.json().path("mobile").asString(), APP_KEY);

            assertThat(read.header("X-Member-Source")).contains("db@B");
            assertThat(read.version()).isGreaterThanOrEqualTo(patched.version());
            assertThat(byMobile.version()).isGreaterThanOrEqualTo(patched.version());
        }
    }

    @Test
    void readsInBFallBackToTheMasterWhileTheReplicaIsDown() {
        String id = api.newMember().memberId();
        Response read;
        try (Stores.StoppedStore replica = stores.stop("mysql-b")) {
            read = api.get("/v1/members/" + id, APP_KEY);
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
