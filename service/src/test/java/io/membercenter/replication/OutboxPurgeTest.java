package io.membercenter.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Sql;
import io.membercenter.topology.LocalTopology;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Sent outbox rows are purged once older than the retention; unsent rows and recent ones are kept. */
@ServiceTest
class OutboxPurgeTest {

    private final ApiClient api;

    OutboxPurgeTest(ApiClient api) {
        this.api = api;
    }

    @Autowired
    private OutboxRelay relay;

    @Autowired
    private ReplicationProperties properties;

    @Test
    void sentRowsOlderThanTheRetentionArePurgedAndUnsentOrRecentRowsAreKept() {
        String old = api.newMember().memberId();
        String recent = api.newMember().memberId();
        await().atMost(Duration.ofSeconds(30)).until(() -> sentAt(old) != null && sentAt(recent) != null);
        long beyondRetention = System.currentTimeMillis()
                - properties.outboxRetention().toMillis()
                - Duration.ofHours(1).toMillis();
        update(
                "UPDATE member_outbox SET sent_at = ?, created_at = ? WHERE member_id = ?",
                beyondRetention,
                beyondRetention,
                old);

        relay.stop();
        String unsent;
        long purged;
        try {
            unsent = api.newMember().memberId();
            update("UPDATE member_outbox SET created_at = ? WHERE member_id = ?", beyondRetention, unsent);
            purged = relay.purgeSent();
        } finally {
            relay.start();
        }

        assertThat(purged).isGreaterThanOrEqualTo(1);
        assertThat(rows(old)).isEmpty();
        assertThat(rows(recent)).hasSize(1);
        assertThat(rows(unsent)).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> sentAt(unsent) != null);
    }

    private static List<Map<String, Object>> rows(String memberId) {
        return Sql.everywhere("mysql-a", "SELECT id, sent_at FROM member_outbox WHERE member_id = ?", memberId);
    }

    private static Object sentAt(String memberId) {
        List<Map<String, Object>> rows = rows(memberId);
        return rows.isEmpty() ? null : rows.getFirst().get("sent_at");
    }

    private static void update(String sql, Object... parameters) {
        LocalTopology topology = LocalTopology.shared();
        for (String database : Sql.DATABASES) {
            try (Connection c = DriverManager.getConnection(
                            topology.jdbcUrl("mysql-a", database), topology.appUser(), topology.appPassword());
                    PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) ps.setObject(i + 1, parameters[i]);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
