package io.membercenter.shard;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Sql;
import io.membercenter.support.Stores;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Writes through the API reach the replica in data center B by real binlog replication. */
@ServiceTest
class ReplicationTest {

    private final ApiClient api;
    private final Stores stores;

    ReplicationTest(ApiClient api, Stores stores) {
        this.api = api;
        this.stores = stores;
    }

    @Test
    void aWriteOnTheMasterReachesTheReplicaWithTheSameVersion() {
        Response created = api.newMember();
        long memberId = Long.parseLong(created.memberId());
        api.patch("/v1/members/" + memberId, APP_KEY, RequestBody.object().with("level", "DIAMOND"));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> replicaRow(memberId)
                        .filter(row -> ((Number) row.get("version")).longValue() == 2)
                        .isPresent());

        assertThat(replicaRow(memberId).orElseThrow())
                .containsEntry("level", "DIAMOND")
                .containsEntry("lifecycle", "LIVE");
    }

    @Test
    void writesMadeWhileTheReplicaIsDownArriveWhenItReturns() {
        Response created;
        try (Stores.StoppedStore replica = stores.stop("mysql-b")) {
            created = api.newMember();
        }
        long memberId = Long.parseLong(created.memberId());

        await().atMost(Duration.ofSeconds(20)).until(() -> replicaRow(memberId).isPresent());

        assertThat(replicaRow(memberId).orElseThrow().get("mobile"))
                .isEqualTo(created.json().path("mobile").asString());
    }

    private static java.util.Optional<Map<String, Object>> replicaRow(long memberId) {
        List<Map<String, Object>> rows = Sql.everywhere(
                "mysql-b",
                "SELECT member_id, mobile, level, lifecycle, version FROM member WHERE member_id = ?",
                memberId);
        return rows.stream().findFirst();
    }
}
