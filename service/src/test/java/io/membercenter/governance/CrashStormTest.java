package io.membercenter.governance;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.MutableClock;
import io.membercenter.support.ServiceProcess;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Sql;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A crash storm: the service, a process of its own ({@link ServiceProcess}), is killed with SIGKILL in the middle
 * of 16 threads' creates, binds, unbinds, mobile changes and e-mail changes (some racing for the same mobiles and
 * identities), restarted, and killed again, round after round. Then the claim sweepers settle what the crashes
 * left; every write the storm got a 2xx for is on the master, and the relationship audit finds no anomaly at all in
 * any member the storm's process wrote — the removals a crash cut off between their commit and their release
 * included: a change reclaims the entries it removes before it commits, so what such a crash leaves is a claim the
 * sweeper settles by the member row ({@code io.membercenter.member.IdentifierClaims#reclaim}).
 */
@ServiceTest
class CrashStormTest {

    /** The storm's process; its member ids carry it, so what it wrote is told apart from every other test's. */
    private static final int NODE_ID = 42;

    private static final int THREADS = 16;
    private static final int CRASHES = 5;
    /** Acknowledged writes between two crashes: one or two seconds of the storm on two cores. */
    private static final int ACKNOWLEDGED_PER_ROUND = 150;

    private static final Duration ROUND = Duration.ofSeconds(60);
    /** Claim TTL (3 s in tests) plus a sweep, with room for the restarted process's first sweep. */
    private static final Duration SETTLED = Duration.ofSeconds(60);

    private static final long ID_EPOCH_MILLIS =
            Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @Autowired
    MutableClock clock;

    @Test
    void killingTheServiceMidWriteAgainAndAgainLosesNoAcknowledgedWriteAndLeavesNoAnomaly() {
        // The storm's member ids: this node's, minted from now on (by the process's clock, which is this one's).
        long firstId = (clock.millis() - 1_000 - ID_EPOCH_MILLIS) << 22;
        long began = System.nanoTime();
        CrashStormLoad.Totals totals;
        int crashes = 0;
        try (ServiceProcess service = ServiceProcess.start(NODE_ID);
                CrashStormLoad load = CrashStormLoad.start(service.api(), THREADS)) {
            for (; crashes < CRASHES; crashes++) {
                awaitAcknowledged(load, ACKNOWLEDGED_PER_ROUND);
                load.pause();
                service.kill();
                service.start();
                load.resume();
            }
            // And writes on the restarted process, racing the sweepers for what the last crash left.
            awaitAcknowledged(load, ACKNOWLEDGED_PER_ROUND);
            totals = load.stop();

            awaitEverythingSettled(firstId);
            auditToCompletion(service.api());
            auditToCompletion(service.api()); // the first may have continued a run begun before the storm

            Map<Long, Map<String, Object>> members = membersWrittenBy(firstId);
            Map<String, Map<String, Object>> owners = ownerEntriesOf(firstId);
            List<JsonNode> anomalies = anomaliesOf(service.api(), firstId);
            System.out.printf(
                    "crash storm: %d requests, %d acknowledged (%d creates, %d binds, %d unbinds, %d mobile changes, %d"
                            + " e-mail changes), %d refused (4xx), %d failed (5xx), %d lost to a crash, %d crashes"
                            + " (SIGKILL), %d removals cut off, %d member rows written, %d anomalies, %d s%n",
                    totals.requests(),
                    totals.acknowledged(),
                    totals.creates().size(),
                    totals.boundPairs(),
                    totals.unboundPairs(),
                    totals.mobileChanges(),
                    totals.emailChanges(),
                    totals.refused(),
                    totals.failed(),
                    totals.lost(),
                    crashes,
                    totals.cutOffRemovals(),
                    members.size(),
                    anomalies.size(),
                    Duration.ofNanos(System.nanoTime() - began).toSeconds());
            assertThat(crashes).isEqualTo(CRASHES);
            assertThat(totals.lost()).as("requests the kills cut off").isPositive();
            assertThat(totals.mobileChanges()).as("acknowledged mobile changes").isPositive();
            assertThat(totals.emailChanges()).as("acknowledged e-mail changes").isPositive();
            assertAcknowledgedCreatesExist(totals, members, owners);
            assertAcknowledgedContactsHold(totals, members, owners);
            assertAcknowledgedBindsHold(totals, members, owners);
            assertThat(anomalies).as("anomalies of the storm's members").isEmpty();
        }
    }

    private static void awaitAcknowledged(CrashStormLoad load, int more) {
        long target = load.acknowledged() + more;
        await("the storm has " + more + " more acknowledged writes")
                .atMost(ROUND)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> load.acknowledged() >= target);
    }

    /** No claim of the storm's members is open and no create of theirs is PENDING: the sweepers settled all. */
    private static void awaitEverythingSettled(long firstId) {
        await("the sweepers settle every claim and pending create the crashes left")
                .atMost(SETTLED)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Sql.everywhere(
                                        "mysql-a",
                                        "SELECT member_id FROM identifier_owner WHERE state = 'CLAIMED'"
                                                + " AND member_id >= ? AND ((member_id >> 12) & 1023) = ?",
                                        firstId,
                                        NODE_ID)
                                .isEmpty()
                        && Sql.everywhere(
                                        "mysql-a",
                                        "SELECT member_id FROM member WHERE lifecycle = 'PENDING'"
                                                + " AND member_id >= ? AND ((member_id >> 12) & 1023) = ?",
                                        firstId,
                                        NODE_ID)
                                .isEmpty());
    }

    private static void assertAcknowledgedCreatesExist(
            CrashStormLoad.Totals totals,
            Map<Long, Map<String, Object>> members,
            Map<String, Map<String, Object>> owners) {
        for (CrashStormLoad.Created created : totals.creates()) {
            Map<String, Object> row = members.get(created.memberId());
            assertThat(row)
                    .as("the row of acknowledged member %d", created.memberId())
                    .isNotNull();
            assertThat(row.get("lifecycle")).isEqualTo("LIVE");
        }
    }

    /**
     * A member's mobile and e-mail are what its last acknowledged change (or its create) left, unless a later change
     * got no answer; and a mobile or e-mail a member surely gave up is not owned by it.
     */
    private static void assertAcknowledgedContactsHold(
            CrashStormLoad.Totals totals,
            Map<Long, Map<String, Object>> members,
            Map<String, Map<String, Object>> owners) {
        for (CrashStormLoad.Contact contact : totals.contacts().values()) {
            Map<String, Object> row = members.get(contact.memberId());
            if (contact.mobileKnown()) {
                assertThat(row.get("mobile"))
                        .as("the mobile of member %d", contact.memberId())
                        .isEqualTo(contact.mobile());
                if (contact.mobile() != null) assertOwns(owners, "M:" + contact.mobile(), contact.memberId());
            }
            if (contact.emailKnown()) {
                assertThat(row.get("email"))
                        .as("the e-mail of member %d", contact.memberId())
                        .isEqualTo(contact.email());
                if (contact.email() != null) assertOwns(owners, "E:" + contact.email(), contact.memberId());
            }
        }
        totals.givenUp().forEach((key, memberId) -> {
            Map<String, Object> entry = owners.get(key);
            assertThat(entry == null ? null : entry.get("member_id"))
                    .as("the owner of an identifier member %d gave up", memberId)
                    .isNotEqualTo(memberId);
        });
    }

    /** A pair whose last request was an acknowledged bind holds; one whose last was an acknowledged unbind does not. */
    private static void assertAcknowledgedBindsHold(
            CrashStormLoad.Totals totals,
            Map<Long, Map<String, Object>> members,
            Map<String, Map<String, Object>> owners) {
        totals.pairs().forEach((pair, outcome) -> {
            Map<String, Object> row = members.get(pair.memberId());
            String identities = row == null ? "" : String.valueOf(row.get("identities"));
            String key = "I:" + pair.platform() + ":" + pair.externalId();
            switch (outcome) {
                case BOUND -> {
                    assertThat(row).as("the row of member %d", pair.memberId()).isNotNull();
                    assertThat(identities).contains(pair.externalId());
                    assertOwns(owners, key, pair.memberId());
                }
                case UNBOUND -> {
                    assertThat(identities).doesNotContain(pair.externalId());
                    Map<String, Object> entry = owners.get(key);
                    assertThat(entry == null ? null : entry.get("member_id")).isNotEqualTo(pair.memberId());
                }
                case UNKNOWN -> {} // its last request got no answer: either outcome is right
            }
        });
    }

    private static void assertOwns(Map<String, Map<String, Object>> owners, String key, long memberId) {
        Map<String, Object> entry = owners.get(key);
        assertThat(entry)
                .as("the owner entry of an acknowledged write of member %d", memberId)
                .isNotNull();
        assertThat(entry.get("member_id")).isEqualTo(memberId);
        assertThat(entry.get("state")).isEqualTo("CONFIRMED");
    }

    private static Map<Long, Map<String, Object>> membersWrittenBy(long firstId) {
        Map<Long, Map<String, Object>> rows = new HashMap<>();
        for (Map<String, Object> row : Sql.everywhere(
                "mysql-a",
                "SELECT member_id, lifecycle, mobile, email, identities FROM member"
                        + " WHERE member_id >= ? AND ((member_id >> 12) & 1023) = ?",
                firstId,
                NODE_ID)) {
            rows.put(((Number) row.get("member_id")).longValue(), row);
        }
        return rows;
    }

    /** The owner entries naming the storm's members, by {@code kind:value}. */
    private static Map<String, Map<String, Object>> ownerEntriesOf(long firstId) {
        Map<String, Map<String, Object>> entries = new HashMap<>();
        for (Map<String, Object> row : Sql.everywhere(
                "mysql-a",
                "SELECT kind, value, member_id, state FROM identifier_owner"
                        + " WHERE member_id >= ? AND ((member_id >> 12) & 1023) = ?",
                firstId,
                NODE_ID)) {
            row.put("member_id", ((Number) row.get("member_id")).longValue());
            entries.put(row.get("kind") + ":" + row.get("value"), row);
        }
        return entries;
    }

    /** Steps the audit until its run is done; a 409 is another instance's step, waited out. */
    private static void auditToCompletion(ApiClient api) {
        await("the relationship audit finishes a run")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    Response answer = api.request("POST", "/admin/governance/audit")
                            .key(ADMIN_KEY)
                            .send();
                    assertThat(answer.status()).as(answer.text()).isIn(200, 202, 409);
                    return answer.status() == 200;
                });
    }

    /** Every anomaly, of any status, naming one of the storm's members. */
    private static List<JsonNode> anomaliesOf(ApiClient api, long firstId) {
        Response answer = api.get("/admin/governance/anomalies?limit=1000", ADMIN_KEY);
        assertThat(answer.status()).isEqualTo(200);
        return StreamSupport.stream(answer.json().path("items").spliterator(), false)
                .filter(anomaly -> StreamSupport.stream(
                                anomaly.path("memberIds").spliterator(), false)
                        .map(id -> Long.parseLong(id.asString()))
                        .anyMatch(id -> id >= firstId && ((id >> 12) & 1023) == NODE_ID))
                .toList();
    }
}
