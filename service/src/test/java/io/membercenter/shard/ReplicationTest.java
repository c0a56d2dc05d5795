package io.membercenter.shard;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.ApiTestBase;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Sql;
import io.membercenter.topology.LocalTopology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Writes through the API reach the replica in data center B by real binlog replication. */
@ServiceTest
class ReplicationTest extends ApiTestBase {

    @Test
    void aWriteOnTheMasterReachesTheReplicaWithTheSameVersion() {
        Response created = newMember();
        long memberId = Long.parseLong(created.memberId());
        api.patch("/v1/members/" + memberId, APP_KEY, "{\"level\":\"DIAMOND\"}");

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
        LocalTopology topology = LocalTopology.shared();
        topology.stop("mysql-b");
        Response created;
        try {
            created = newMember();
        } finally {
            topology.start("mysql-b");
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
