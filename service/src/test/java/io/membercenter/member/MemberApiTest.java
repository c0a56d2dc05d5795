package io.membercenter.member;

import static io.membercenter.support.ApiClient.APP_KEY;
import static io.membercenter.support.ApiClient.MARKETING_KEY;
import static io.membercenter.support.ApiClient.ORDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.TestData;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The success path of every /v1 endpoint, through HTTP, against the real sharded store. */
@ServiceTest
class MemberApiTest {

    private final ApiClient api;

    MemberApiTest(ApiClient api) {
        this.api = api;
    }

    @Test
    void createAnswers201WithLocationEtagSourceAndTheWholeMember() {
        String mobile = TestData.mobile();
        String email = TestData.email().toUpperCase();
        String externalId = TestData.externalId();
        Response created = api.create(RequestBody.object()
                .with("mobile", mobile)
                .with("email", email)
                .with("nickname", "Li Lei")
                .with("level", "GOLD")
                .withIdentity("wechat", externalId));

        assertThat(created.status()).isEqualTo(201);
        JsonNode member = created.json();
        assertThat(member.path("memberId").asString()).matches("[0-9]+");
        assertThat(created.header("Location")).contains("/v1/members/" + created.memberId());
        assertThat(created.header("ETag")).contains("\"1\"");
        assertThat(created.header("X-Member-Source")).contains("db@A");
        assertThat(member.path("mobile").asString()).isEqualTo(mobile);
        assertThat(member.path("email").asString()).isEqualTo(email.toLowerCase());
        assertThat(member.path("nickname").asString()).isEqualTo("Li Lei");
        assertThat(member.path("level").asString()).isEqualTo("GOLD");
        assertThat(member.path("status").asString()).isEqualTo("ACTIVE");
        assertThat(member.path("identities").get(0).path("externalId").asString())
                .isEqualTo(externalId);
        assertThat(member.path("version").asLong()).isEqualTo(1);
        assertThat(member.path("createdAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void getByIdReturnsTheMemberFromTheLocalDatabase() {
        Response created = api.newMember();
        Response read = api.get("/v1/members/" + created.memberId(), ORDER_KEY);

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(created.json());
        assertThat(read.header("ETag")).contains("\"1\"");
        assertThat(read.header("X-Member-Source")).contains("db@A");
    }

    @Test
    void lookupsByMobileEmailAndIdentityFindTheOwner() {
        String mobile = TestData.mobile();
        String email = TestData.email();
        String externalId = "o6_b/mj?rP#Tl%m6;" + TestData.externalId();
        Response created = api.create(RequestBody.create(mobile, email).withIdentity("wechat", externalId));
        assertThat(created.status()).isEqualTo(201);

        assertThat(api.get("/v1/members/by-mobile/" + mobile.replace("+", "%2B"), APP_KEY)
                        .memberId())
                .isEqualTo(created.memberId());
        assertThat(api.get("/v1/members/by-mobile/" + mobile, APP_KEY).memberId())
                .isEqualTo(created.memberId());
        assertThat(api.get("/v1/members/by-email/" + email.toUpperCase(), APP_KEY)
                        .memberId())
                .isEqualTo(created.memberId());
        Response byIdentity = api.get("/v1/members/by-identity/wechat/" + encodeSegment(externalId), MARKETING_KEY);
        assertThat(byIdentity.status()).isEqualTo(200);
        assertThat(byIdentity.memberId()).isEqualTo(created.memberId());
    }

    @Test
    void patchChangesFieldsBumpsTheVersionByOneAndMovesTheMobile() {
        Response created = api.newMember();
        String id = created.memberId();
        String newMobile = TestData.mobile();

        Response patched = api.request("PATCH", "/v1/members/" + id)
                .key(APP_KEY)
                .header("If-Match", "\"1\"")
                .body(
                        "application/merge-patch+json",
                        RequestBody.object()
                                .with("nickname", "Han Meimei")
                                .with("level", "PLATINUM")
                                .with("mobile", newMobile)
                                .with("email", null)
                                .json())
                .send();

        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.version()).isEqualTo(2);
        assertThat(patched.header("ETag")).contains("\"2\"");
        assertThat(patched.json().path("nickname").asString()).isEqualTo("Han Meimei");
        assertThat(patched.json().path("level").asString()).isEqualTo("PLATINUM");
        assertThat(patched.json().has("email")).isFalse();
        assertThat(api.get("/v1/members/by-mobile/" + newMobile, APP_KEY).memberId())
                .isEqualTo(id);
        assertThat(api.get(
                                "/v1/members/by-mobile/"
                                        + created.json().path("mobile").asString(),
                                APP_KEY)
                        .status())
                .isEqualTo(404);
        assertThat(api.get(
                                "/v1/members/by-email/"
                                        + created.json().path("email").asString(),
                                APP_KEY)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void patchAcceptsPlainJsonAndAnEmptyPatchKeepsTheVersion() {
        String id = api.newMember().memberId();
        Response unchanged = api.request("PATCH", "/v1/members/" + id)
                .key(APP_KEY)
                .json("{}")
                .send();
        Response sameValue = api.request("PATCH", "/v1/members/" + id)
                .key(APP_KEY)
                .json(RequestBody.object().with("nickname", "Test"))
                .send();

        assertThat(unchanged.status()).isEqualTo(200);
        assertThat(unchanged.version()).isEqualTo(1);
        assertThat(sameValue.version()).isEqualTo(1);
    }

    @Test
    void bindAnswers201ThenRebindingAnswers200WithoutAVersionBump() {
        String id = api.newMember().memberId();
        RequestBody body = RequestBody.bind("alipay", TestData.externalId());

        Response bound = api.post("/v1/members/" + id + "/identities", APP_KEY, body);
        Response again = api.post("/v1/members/" + id + "/identities", APP_KEY, body);

        assertThat(bound.status()).isEqualTo(201);
        assertThat(bound.version()).isEqualTo(2);
        assertThat(bound.json().path("identities")).hasSize(1);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.version()).isEqualTo(2);
    }

    @Test
    void unbindAnswers204AndTheIdentityNoLongerFindsTheMember() {
        String id = api.newMember().memberId();
        String externalId = TestData.externalId();
        api.post("/v1/members/" + id + "/identities", APP_KEY, RequestBody.bind("qq", externalId));

        Response unbound = api.delete("/v1/members/" + id + "/identities/qq/" + externalId, APP_KEY);

        assertThat(unbound.status()).isEqualTo(204);
        assertThat(api.get("/v1/members/by-identity/qq/" + externalId, APP_KEY).status())
                .isEqualTo(404);
        Response member = api.get("/v1/members/" + id, APP_KEY);
        assertThat(member.version()).isEqualTo(3);
        assertThat(member.json().path("identities")).isEmpty();
    }

    @Test
    void anUnboundIdentityCanBeBoundByAnotherMember() {
        String first = api.newMember().memberId();
        String second = api.newMember().memberId();
        String externalId = "moving-" + TestData.externalId();
        RequestBody body = RequestBody.bind("weibo", externalId);
        api.post("/v1/members/" + first + "/identities", APP_KEY, body);
        api.delete("/v1/members/" + first + "/identities/weibo/" + externalId, APP_KEY);

        Response rebound = api.post("/v1/members/" + second + "/identities", APP_KEY, body);

        assertThat(rebound.status()).isEqualTo(201);
        assertThat(api.get("/v1/members/by-identity/weibo/" + externalId, APP_KEY)
                        .memberId())
                .isEqualTo(second);
    }

    @Test
    void batchGetReturnsFoundItemsInRequestOrderAndListsTheMissing() {
        String a = api.newMember().memberId();
        String b = api.newMember().memberId();
        Response batch = api.post(
                "/v1/members/batch-get",
                ORDER_KEY,
                RequestBody.batchGet(b, a, "1").withNumberIn("memberIds", Long.parseLong(a)));

        assertThat(batch.status()).isEqualTo(200);
        assertThat(batch.json().path("items")).hasSize(2);
        assertThat(batch.json().path("items").get(0).path("memberId").asString())
                .isEqualTo(b);
        assertThat(batch.json().path("items").get(1).path("memberId").asString())
                .isEqualTo(a);
        assertThat(batch.json().path("missing").get(0).asString()).isEqualTo("1");
        assertThat(batch.header("X-Member-Source")).isPresent();
    }

    @Test
    void aRepeatedBatchGetIsAnsweredByTheCacheAndStillSeesEveryAcknowledgedWrite() {
        String a = api.newMember().memberId();
        String b = api.newMember().memberId();
        RequestBody body = RequestBody.batchGet(a, b);

        // The first reads MySQL and writes both back (once the creates' pending markers have expired).
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.post("/v1/members/batch-get", ORDER_KEY, body)
                        .header("X-Member-Source")
                        .orElse("")
                        .equals("cache@A"));
        Response patched =
                api.patch("/v1/members/" + a, APP_KEY, RequestBody.object().with("level", "GOLD"));
        Response afterWrite = api.post("/v1/members/batch-get", ORDER_KEY, body);

        assertThat(patched.status()).isEqualTo(200);
        assertThat(afterWrite.json().path("items").get(0).path("version").asLong())
                .isEqualTo(2);
        assertThat(afterWrite.json().path("items").get(0).path("level").asString())
                .isEqualTo("GOLD");
        assertThat(afterWrite.json().path("items").get(1).path("memberId").asString())
                .isEqualTo(b);
        assertThat(afterWrite.header("X-Member-Source")).contains("db@A");
    }

    @Test
    void idempotentRetryReturnsTheSameMemberAndNeverASecondOne() {
        String key = "order-" + TestData.externalId();
        RequestBody body = RequestBody.create(TestData.mobile(), null);

        Response first = api.request("POST", "/v1/members")
                .key(APP_KEY)
                .header("Idempotency-Key", key)
                .json(body)
                .send();
        Response retry = api.request("POST", "/v1/members")
                .key(APP_KEY)
                .header("Idempotency-Key", key)
                .json(body)
                .send();

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.memberId()).isEqualTo(first.memberId());
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
    }

    @Test
    void marketingCallerSeesMobileAndEmailMasked() {
        Response created = api.create(RequestBody.object()
                .with("mobile", "+8613812348000")
                .with("email", "li.lei." + TestData.externalId() + "@example.com"));
        if (created.status() == 409) {
            created = api.create(RequestBody.create(TestData.mobile(), TestData.email()));
        }
        Response masked = api.get("/v1/members/" + created.memberId(), MARKETING_KEY);

        assertThat(masked.status()).isEqualTo(200);
        String mobile = created.json().path("mobile").asString();
        assertThat(masked.json().path("mobile").asString())
                .isEqualTo("+" + mobile.substring(1, 6) + "****" + mobile.substring(mobile.length() - 4));
        assertThat(masked.json().path("email").asString()).matches("l\\*\\*\\*@example\\.com|u\\*\\*\\*@example\\.com");
        assertThat(masked.text())
                .doesNotContain(mobile)
                .doesNotContain(created.json().path("email").asString());
    }

    static String encodeSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
