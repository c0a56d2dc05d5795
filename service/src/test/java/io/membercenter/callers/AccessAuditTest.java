package io.membercenter.callers;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.ServiceTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The access audit counts a known sequence of requests exactly — reads and writes by endpoint, answers with raw
 * personal data, 404s, 429s — in {@code /admin/callers/{name}/usage} and the metrics, and flags a caller that
 * enumerates (many distinct members a minute, mostly 404s) but not one that reads one member often. The test
 * profile lowers the thresholds (50 distinct a minute; a 404 share over 0.5 of at least 20 requests).
 */
@ServiceTest
class AccessAuditTest {

    private final ApiClient api;

    AccessAuditTest(ApiClient api) {
        this.api = api;
    }

    @Test
    void aKnownSequenceOfRequestsIsCountedExactly() {
        String name = CallerRegistryTest.uniqueName();
        String key = create(name, "[\"member:read\", \"pii:read\"]");
        Response member = api.newMember();
        String id = member.memberId();

        for (int i = 0; i < 3; i++)
            assertThat(api.get("/v1/members/" + id, key).status()).isEqualTo(200);
        for (int i = 0; i < 2; i++)
            assertThat(api.get("/v1/members/" + missingId(), key).status()).isEqualTo(404);
        assertThat(api.get(
                                "/v1/members/by-mobile/"
                                        + member.json().path("mobile").asString(),
                                key)
                        .status())
                .isEqualTo(200);
        assertThat(api.post("/v1/members/batch-get", key, "{\"memberIds\": [\"" + id + "\"]}")
                        .status())
                .isEqualTo(200);
        assertThat(api.patch("/v1/members/" + id, key, "{\"nickname\": \"x\"}").status())
                .isEqualTo(403);
        assertThat(api.request("PATCH", "/admin/callers/" + name)
                        .key(ADMIN_KEY)
                        .json("{\"limits\": " + CallerRegistryTest.quota(1) + "}")
                        .send()
                        .status())
                .isEqualTo(200);
        int blocked = 0;
        for (int i = 0; i < 4; i++) if (api.get("/v1/members/" + id, key).status() == 429) blocked++;
        assertThat(blocked).isPositive();

        JsonNode usage = api.get("/admin/callers/" + name + "/usage", ADMIN_KEY).json();

        assertThat(usage.path("caller").asString()).isEqualTo(name);
        assertThat(usage.path("requests").asLong()).isEqualTo(12);
        assertThat(usage.path("reads").asLong()).isEqualTo(11);
        assertThat(usage.path("writes").asLong()).isEqualTo(1);
        assertThat(usage.path("notFound").asLong()).isEqualTo(2);
        assertThat(usage.path("tooManyRequests").asLong()).isEqualTo(blocked);
        // 3 + (4 - blocked) by id, 1 by mobile, 1 batch: every 2xx member answer to a caller with pii:read.
        assertThat(usage.path("piiReturned").asLong()).isEqualTo(3 + (4 - blocked) + 2);
        JsonNode endpoints = usage.path("endpoints");
        assertThat(endpoints.path("GET /v1/members/{memberId}").asLong()).isEqualTo(5 + 4 - blocked);
        assertThat(endpoints.path("GET (not routed)").asLong()).isEqualTo(blocked);
        assertThat(endpoints.path("GET /v1/members/by-mobile/{mobile}").asLong())
                .isEqualTo(1);
        assertThat(endpoints.path("POST /v1/members/batch-get").asLong()).isEqualTo(1);
        assertThat(endpoints.path("PATCH /v1/members/{memberId}").asLong()).isEqualTo(1);
        assertThat(usage.path("flags")).isEmpty();

        String metrics = api.get("/actuator/prometheus", null).text();
        assertThat(metrics)
                .contains("caller_pii_returned_total{caller=\"" + name + "\"} " + (9 - blocked) + ".0")
                .contains("caller_requests_total{caller=\"" + name
                        + "\",endpoint=\"GET /v1/members/{memberId}\",kind=\"read\",outcome=\"not_found\"} 2.0");
        assertThat(api.get("/admin/callers/no-such-caller/usage", ADMIN_KEY).status())
                .isEqualTo(404);
    }

    @Test
    void aCallerThatEnumeratesIsFlaggedAndOneThatReadsOneMemberIsNot() {
        String enumerator = CallerRegistryTest.uniqueName();
        String enumeratorKey = create(enumerator, "[\"member:read\"]");
        String steady = CallerRegistryTest.uniqueName();
        String steadyKey = create(steady, "[\"member:read\"]");
        String id = api.newMember().memberId();

        for (int i = 0; i < 80; i++) api.get("/v1/members/" + missingId(), enumeratorKey);
        for (int i = 0; i < 40; i++) api.get("/v1/members/" + id, steadyKey);

        JsonNode flagged =
                api.get("/admin/callers/" + enumerator + "/usage", ADMIN_KEY).json();
        JsonNode calm =
                api.get("/admin/callers/" + steady + "/usage", ADMIN_KEY).json();
        // The requests may straddle a minute's end: the flags look at both minutes, so does this.
        assertThat(Math.max(
                        flagged.path("thisMinute").path("distinctMembers").asLong(),
                        flagged.path("lastMinute").path("distinctMembers").asLong()))
                .isBetween(40L, 90L);
        assertThat(strings(flagged.path("flags")))
                .containsExactlyInAnyOrder(AccessAudit.MANY_DISTINCT_MEMBERS, AccessAudit.HIGH_NOT_FOUND_SHARE);
        assertThat(calm.path("thisMinute").path("distinctMembers").asLong()).isLessThanOrEqualTo(1);
        assertThat(calm.path("flags")).isEmpty();
        assertThat(api.get("/actuator/prometheus", null).text())
                .contains("caller_flagged{caller=\"" + enumerator + "\",reason=\"high-not-found-share\"} 1.0")
                .contains("caller_flagged{caller=\"" + steady + "\",reason=\"many-distinct-members\"} 0.0");
    }

    private String create(String name, String scopes) {
        Response created = api.post(
                "/admin/callers",
                ADMIN_KEY,
                "{\"name\": \"" + name + "\", \"trafficClass\": \"DEFAULT\", \"scopes\": " + scopes + "}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().path("key").asString();
    }

    /** An id no member has: real ids carry their creation time in the bits above these. */
    private static String missingId() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1, 1L << 40));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }
}
