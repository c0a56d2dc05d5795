package io.membercenter.governance;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.TestData;
import java.util.ArrayList;
import java.util.List;

/** What the audit tests build through the API, and how they run an audit to its end, as {@code ./mc audit} does. */
final class ApiPopulation {

    private ApiPopulation() {}

    /**
     * A member created through the API, with bindings, an unbinding and a mobile change by its number: every second
     * one with an identity, every fourth one more, every fifth a bind then an unbind, every seventh a new mobile.
     */
    static long memberWithHistory(ApiClient api, int n) {
        RequestBody body = RequestBody.create(TestData.mobile(), n % 3 == 0 ? null : TestData.email());
        if (n % 2 == 0) body = body.withIdentity("wechat", TestData.externalId());
        Response created = api.create(body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.memberId();
        if (n % 4 == 0) {
            assertThat(api.post(
                                    "/v1/members/" + id + "/identities",
                                    APP_KEY,
                                    RequestBody.bind("alipay", TestData.externalId()))
                            .status())
                    .isEqualTo(201);
        }
        if (n % 5 == 0) {
            String unbound = TestData.externalId();
            assertThat(api.post("/v1/members/" + id + "/identities", APP_KEY, RequestBody.bind("qq", unbound))
                            .status())
                    .isEqualTo(201);
            assertThat(api.delete("/v1/members/" + id + "/identities/qq/" + unbound, APP_KEY)
                            .status())
                    .isEqualTo(204);
        }
        if (n % 7 == 0) {
            assertThat(api.patch(
                                    "/v1/members/" + id,
                                    APP_KEY,
                                    RequestBody.object().with("mobile", TestData.mobile()))
                            .status())
                    .isEqualTo(200);
        }
        return Long.parseLong(id);
    }

    /** Steps the audit until its run is done; every answer before the last is a 202. */
    static List<Response> auditToCompletion(ApiClient api, long maxRows) {
        List<Response> answers = new ArrayList<>();
        String path = "/admin/governance/audit" + (maxRows == Long.MAX_VALUE ? "" : "?maxRows=" + maxRows);
        for (int step = 0; step < 10_000; step++) {
            Response answer = api.request("POST", path).key(ADMIN_KEY).send();
            assertThat(answer.status()).as(answer.text()).isIn(200, 202);
            answers.add(answer);
            if (answer.status() == 200) return answers;
        }
        throw new AssertionError("the audit did not finish");
    }
}
