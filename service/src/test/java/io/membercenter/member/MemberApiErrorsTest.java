package io.membercenter.member;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static io.membercenter.support.ApiClient.APP_KEY;
import static io.membercenter.support.ApiClient.MARKETING_KEY;
import static io.membercenter.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.TestData;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every error status of the contract, each with proof that nothing changed. */
@ServiceTest
class MemberApiErrorsTest {

    private final ApiClient api;

    MemberApiErrorsTest(ApiClient api) {
        this.api = api;
    }

    // ------------------------------------------------------------ 400

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"mobile\":\"13800138000\"}",
                "{\"mobile\":\"+86 138 0013\"}",
                "{\"mobile\":\"+1234567\"}",
                "{\"mobile\":\"+1234567890123456\"}",
                "{\"mobile\":12345678}",
                "{\"email\":\"not-an-email\"}",
                "{\"email\":\"a@b\"}",
                "{\"mobile\":\"%s\",\"nickname\":\"%s\"}",
                "{\"mobile\":\"%s\",\"nickname\":\"\"}",
                "{\"mobile\":\"%s\",\"level\":\"BRONZE\"}",
                "{\"mobile\":\"%s\",\"status\":\"active\"}",
                "{\"mobile\":\"%s\",\"age\":3}",
                "{\"mobile\":\"%s\",\"memberId\":\"1\"}",
                "{\"mobile\":\"%s\",\"identities\":[{\"platform\":\"WeChat\",\"externalId\":\"x\"}]}",
                "{\"mobile\":\"%s\",\"identities\":[{\"platform\":\"wechat\",\"externalId\":\"has space\"}]}",
                "{\"mobile\":\"%s\",\"identities\":[{\"platform\":\"wechat\"}]}",
                "{\"nickname\":\"nobody\"}",
                "{}",
                "[]",
                "{\"mobile\":\"%s\"",
                "{\"mobile\":\"%s\"} {}",
            })
    void invalidCreateAnswers400WithFieldErrorsAndCreatesNothing(String template) {
        String mobile = TestData.mobile();
        String body = template.replaceFirst("%s", mobile).replace("%s", "x".repeat(65));

        Response answer = api.create(body);

        assertProblem(answer, 400);
        assertThat(api.get("/v1/members/by-mobile/" + mobile, APP_KEY).status()).isEqualTo(404);
    }

    @Test
    void fieldErrorsNameEveryBadField() {
        Response answer = api.create("{\"mobile\":\"123\",\"email\":\"nope\",\"level\":\"X\",\"color\":\"red\"}");

        assertProblem(answer, 400);
        assertThat(answer.json()
                        .path("errors")
                        .valueStream()
                        .map(e -> e.path("field").asString())
                        .toList())
                .contains("mobile", "email", "level", "color");
    }

    @Test
    void nicknameCountsCodePointsNotUtf16Units() {
        String sixtyFourEmoji = "\uD83D\uDE00".repeat(64);
        Response ok = api.create(RequestBody.create(TestData.mobile(), null).with("nickname", sixtyFourEmoji));
        Response tooLong =
                api.create(RequestBody.create(TestData.mobile(), null).with("nickname", sixtyFourEmoji + "a"));

        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.json().path("nickname").asString()).isEqualTo(sixtyFourEmoji);
        assertProblem(tooLong, 400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"level\":\"BRONZE\"}",
                "{\"mobile\":\"12\"}",
                "{\"version\":9}",
                "{\"identities\":[]}",
                "{\"status\":null}",
                "{\"nickname\":7}",
                "not json"
            })
    void invalidPatchAnswers400AndLeavesTheMemberAsItWas(String patch) {
        Response created = api.newMember();

        Response answer = api.patch("/v1/members/" + created.memberId(), APP_KEY, patch);

        assertProblem(answer, 400);
        assertUnchanged(created);
    }

    @Test
    void batchOfMoreThan100IdsOrNoneAnswers400() {
        String[] ids = IntStream.rangeClosed(1, 101).mapToObj(Integer::toString).toArray(String[]::new);

        assertProblem(api.post("/v1/members/batch-get", APP_KEY, RequestBody.batchGet(ids)), 400);
        assertProblem(api.post("/v1/members/batch-get", APP_KEY, "{\"memberIds\":[]}"), 400);
        assertProblem(api.post("/v1/members/batch-get", APP_KEY, "{\"memberIds\":[\"abc\"]}"), 400);
        assertProblem(api.post("/v1/members/batch-get", APP_KEY, "{\"ids\":[\"1\"]}"), 400);
    }

    @Test
    void malformedPathValuesAnswer400() {
        assertProblem(api.get("/v1/members/abc", APP_KEY), 400);
        assertProblem(api.get("/v1/members/-5", APP_KEY), 400);
        assertProblem(api.get("/v1/members/by-mobile/12345", APP_KEY), 400);
        assertProblem(api.get("/v1/members/by-email/nope", APP_KEY), 400);
        assertProblem(api.get("/v1/members/by-identity/BAD/x", APP_KEY), 400);
    }

    @Test
    void malformedIfMatchAndIdempotencyKeyAnswer400() {
        Response created = api.newMember();
        Response badIfMatch = api.request("PATCH", "/v1/members/" + created.memberId())
                .key(APP_KEY)
                .header("If-Match", "version-one")
                .json("{\"nickname\":\"x\"}")
                .send();
        String mobile = TestData.mobile();
        Response badKey = api.request("POST", "/v1/members")
                .key(APP_KEY)
                .header("Idempotency-Key", "has space")
                .json(RequestBody.create(mobile, null))
                .send();

        assertProblem(badIfMatch, 400);
        assertUnchanged(created);
        assertProblem(badKey, 400);
        assertThat(api.get("/v1/members/by-mobile/" + mobile, APP_KEY).status()).isEqualTo(404);
    }

    @Test
    void numbersTooLargeForTheirFieldAnswer400NamingTheField() {
        Response hugeLimit = api.post("/v1/members/search", APP_KEY, "{\"limit\":100000000000000000000000}");
        Response floatLimit = api.post("/v1/members/search", APP_KEY, "{\"limit\":1e23}");
        Response hugeId = api.post("/v1/members/batch-get", APP_KEY, "{\"memberIds\":[100000000000000000000000]}");

        assertProblem(hugeLimit, 400);
        assertThat(fields(hugeLimit)).containsExactly("limit");
        assertProblem(floatLimit, 400);
        assertThat(fields(floatLimit)).containsExactly("limit");
        assertProblem(hugeId, 400);
        assertThat(fields(hugeId)).containsExactly("memberIds[0]");
    }

    @Test
    void aBodyWithADuplicatedKeyAnswers400AndChangesNothing() {
        String first = TestData.mobile();
        String second = TestData.mobile();
        Response create = api.create("{\"mobile\":\"" + first + "\",\"mobile\":\"" + second + "\"}");
        Response created = api.newMember();
        Response patch =
                api.patch("/v1/members/" + created.memberId(), APP_KEY, "{\"nickname\":\"one\",\"nickname\":\"two\"}");
        String externalId = TestData.externalId();
        Response bind = api.post(
                "/v1/members/" + created.memberId() + "/identities",
                APP_KEY,
                "{\"platform\":\"qq\",\"externalId\":\"x\",\"externalId\":\"" + externalId + "\"}");

        assertProblem(create, 400);
        assertThat(fields(create)).containsExactly("mobile");
        assertThat(api.get("/v1/members/by-mobile/" + first, APP_KEY).status()).isEqualTo(404);
        assertThat(api.get("/v1/members/by-mobile/" + second, APP_KEY).status()).isEqualTo(404);
        assertProblem(patch, 400);
        assertThat(fields(patch)).containsExactly("nickname");
        assertProblem(bind, 400);
        assertThat(fields(bind)).containsExactly("externalId");
        assertUnchanged(created);
        assertThat(api.get("/v1/members/by-identity/qq/" + externalId, APP_KEY).status())
                .isEqualTo(404);
    }

    @Test
    void aRawSemicolonInAPathIdentityAnswers400AndIsNeverCut() {
        Response owner = api.newMember();
        String externalId = TestData.externalId();
        api.post(
                "/v1/members/" + owner.memberId() + "/identities",
                APP_KEY,
                "{\"platform\":\"wechat\",\"externalId\":\"" + externalId + "\"}");
        Response withSemicolon = api.post(
                "/v1/members/" + owner.memberId() + "/identities",
                APP_KEY,
                "{\"platform\":\"wechat\",\"externalId\":\"" + externalId + ";b\"}");
        Response afterBind = api.get("/v1/members/" + owner.memberId(), APP_KEY);

        Response lookup = api.get("/v1/members/by-identity/wechat/" + externalId + ";tail", APP_KEY);
        Response platform = api.get("/v1/members/by-identity/wechat;x/" + externalId, APP_KEY);
        Response unbind =
                api.delete("/v1/members/" + owner.memberId() + "/identities/wechat/" + externalId + ";tail", APP_KEY);
        Response encoded = api.get("/v1/members/by-identity/wechat/" + externalId + "%3Bb", APP_KEY);

        assertThat(withSemicolon.status()).isEqualTo(201);
        assertProblem(lookup, 400);
        assertThat(fields(lookup)).containsExactly("externalId");
        assertProblem(platform, 400);
        assertThat(fields(platform)).containsExactly("platform");
        assertProblem(unbind, 400);
        assertThat(fields(unbind)).containsExactly("externalId");
        assertUnchanged(afterBind);
        assertThat(encoded.status()).isEqualTo(200);
        assertThat(encoded.memberId()).isEqualTo(owner.memberId());
    }

    // ------------------------------------------------------------ 401 / 403

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/v1;x/members/1",
                "/%761/members/1",
                "/v1/members;x/1",
                "/v%31/members/by-identity/qq/x",
                "//v1/members/1",
                "/admin;x/topology",
                "/%61dmin/topology",
                "/x/../v1/members/1",
            })
    void pathsThatDecodeOrNormaliseToTheApiNeedAKey(String path) {
        Response created = api.newMember();
        Response get = api.get(path, null);
        Response patch = api.patch(
                path.replace("/members/1", "/members/" + created.memberId()), null, "{\"nickname\":\"hijacked\"}");

        assertProblem(get, 401);
        assertProblem(patch, 401);
        assertUnchanged(created);
    }

    @Test
    void missingOrUnknownKeyAnswers401() {
        String mobile = TestData.mobile();
        assertProblem(
                api.request("POST", "/v1/members")
                        .json(RequestBody.create(mobile, null))
                        .send(),
                401);
        assertProblem(api.post("/v1/members", "no-such-key", RequestBody.create(mobile, null)), 401);
        assertProblem(api.get("/admin/topology", null), 401);
        assertThat(api.get("/v1/members/by-mobile/" + mobile, APP_KEY).status()).isEqualTo(404);
    }

    @Test
    void keyWithoutTheScopeAnswers403AndChangesNothing() {
        Response created = api.newMember();
        String id = created.memberId();
        String mobile = TestData.mobile();

        assertProblem(api.post("/v1/members", MARKETING_KEY, RequestBody.create(mobile, null)), 403);
        assertProblem(api.patch("/v1/members/" + id, MARKETING_KEY, "{\"nickname\":\"x\"}"), 403);
        assertProblem(
                api.post(
                        "/v1/members/" + id + "/identities",
                        MARKETING_KEY,
                        "{\"platform\":\"qq\",\"externalId\":\"x\"}"),
                403);
        assertProblem(
                api.get("/v1/members/by-mobile/" + created.json().path("mobile").asString(), MARKETING_KEY), 403);
        assertProblem(
                api.get("/v1/members/by-email/" + created.json().path("email").asString(), MARKETING_KEY), 403);
        assertProblem(api.get("/v1/members/" + id, ADMIN_KEY), 403);
        assertProblem(api.get("/admin/topology", APP_KEY), 403);

        assertUnchanged(created);
        assertThat(api.get("/v1/members/by-mobile/" + mobile, APP_KEY).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------ 404

    @Test
    void unknownMembersAndUnboundIdentifiersAnswer404() {
        Response created = api.newMember();
        assertProblem(api.get("/v1/members/999999999", APP_KEY), 404);
        assertProblem(api.patch("/v1/members/999999999", APP_KEY, "{\"nickname\":\"x\"}"), 404);
        assertProblem(
                api.post("/v1/members/999999999/identities", APP_KEY, "{\"platform\":\"qq\",\"externalId\":\"x\"}"),
                404);
        assertProblem(api.get("/v1/members/by-mobile/" + TestData.mobile(), APP_KEY), 404);
        assertProblem(api.get("/v1/members/by-email/" + TestData.email(), APP_KEY), 404);
        assertProblem(api.get("/v1/members/by-identity/qq/" + TestData.externalId(), APP_KEY), 404);
        assertProblem(api.delete("/v1/members/" + created.memberId() + "/identities/qq/never-bound", APP_KEY), 404);
        assertProblem(api.get("/v1/no-such-endpoint", APP_KEY), 404);
        assertUnchanged(created);
    }

    // ------------------------------------------------------------ 409

    @Test
    void createWithAnotherMembersMobileAnswers409MaskedAndCreatesNothing() {
        Response owner = api.newMember();
        String mobile = owner.json().path("mobile").asString();
        String otherEmail = TestData.email();

        Response conflict = api.create(RequestBody.create(mobile, otherEmail));

        assertProblem(conflict, 409);
        assertThat(conflict.json().path("identifier").path("type").asString()).isEqualTo("MOBILE");
        assertThat(conflict.json().path("identifier").path("value").asString())
                .isEqualTo("+" + mobile.substring(1, 6) + "****" + mobile.substring(mobile.length() - 4));
        assertThat(conflict.text()).doesNotContain(mobile);
        assertThat(api.get("/v1/members/by-email/" + otherEmail, APP_KEY).status())
                .isEqualTo(404);
        assertUnchanged(owner);
    }

    @Test
    void patchToAnotherMembersEmailAnswers409AndChangesNeither() {
        Response owner = api.newMember();
        Response other = api.newMember();

        Response conflict = api.patch(
                "/v1/members/" + other.memberId(),
                APP_KEY,
                RequestBody.object()
                        .with("email", owner.json().path("email").asString().toUpperCase())
                        .with("nickname", "changed"));

        assertProblem(conflict, 409);
        assertThat(conflict.json().path("identifier").path("type").asString()).isEqualTo("EMAIL");
        assertThat(conflict.json().path("identifier").path("value").asString()).matches("u\\*\\*\\*@example\\.com");
        assertUnchanged(owner);
        assertUnchanged(other);
    }

    @Test
    void bindingAnIdentityOfAnotherMemberAnswers409AndNeverRebinds() {
        Response owner = api.newMember();
        Response other = api.newMember();
        String externalId = TestData.externalId();
        RequestBody body = RequestBody.bind("wechat", externalId);
        Response first = api.post("/v1/members/" + owner.memberId() + "/identities", APP_KEY, body);

        Response conflict = api.post("/v1/members/" + other.memberId() + "/identities", APP_KEY, body);

        assertProblem(conflict, 409);
        assertThat(conflict.json().path("identifier").path("type").asString()).isEqualTo("IDENTITY");
        assertThat(conflict.json().path("identifier").path("value").asString())
                .isEqualTo("wechat:" + externalId.substring(0, 2) + "*".repeat(externalId.length() - 4)
                        + externalId.substring(externalId.length() - 2));
        assertThat(conflict.text()).doesNotContain(externalId);
        assertUnchanged(other);
        assertThat(api.get("/v1/members/" + owner.memberId(), APP_KEY).json()).isEqualTo(first.json());
    }

    // ------------------------------------------------------------ 412 / 422 / 413 / 415

    @Test
    void staleIfMatchAnswers412AndChangesNothing() {
        Response created = api.newMember();
        Response answer = api.request("PATCH", "/v1/members/" + created.memberId())
                .key(APP_KEY)
                .header("If-Match", "\"7\"")
                .json("{\"nickname\":\"late\"}")
                .send();

        assertProblem(answer, 412);
        assertUnchanged(created);
    }

    @Test
    void idempotencyKeyReusedWithAnotherBodyAnswers422AndCreatesNothingMore() {
        String key = "k-" + TestData.externalId();
        String secondMobile = TestData.mobile();
        Response first = api.request("POST", "/v1/members")
                .key(APP_KEY)
                .header("Idempotency-Key", key)
                .json(RequestBody.create(TestData.mobile(), null))
                .send();

        Response reused = api.request("POST", "/v1/members")
                .key(APP_KEY)
                .header("Idempotency-Key", key)
                .json(RequestBody.create(secondMobile, null))
                .send();

        assertThat(first.status()).isEqualTo(201);
        assertProblem(reused, 422);
        assertThat(api.get("/v1/members/by-mobile/" + secondMobile, APP_KEY).status())
                .isEqualTo(404);
    }

    @Test
    void bodyOver64KibAnswers413WithOrWithoutContentLength() {
        String mobile = TestData.mobile();
        String big = RequestBody.create(mobile, null)
                .with("nickname", "x".repeat(70_000))
                .json();

        Response withLength = api.create(big);
        Response chunked = api.request("POST", "/v1/members")
                .key(APP_KEY)
                .header("Content-Type", "application/json")
                .send(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())));

        assertProblem(withLength, 413);
        assertProblem(chunked, 413);
        assertThat(api.get("/v1/members/by-mobile/" + mobile, APP_KEY).status()).isEqualTo(404);
    }

    @Test
    void unsupportedContentTypeAnswers415() {
        String mobile = TestData.mobile();
        Response answer = api.request("POST", "/v1/members")
                .key(APP_KEY)
                .body("text/plain", RequestBody.create(mobile, null).json())
                .send();

        assertProblem(answer, 415);
        assertThat(api.get("/v1/members/by-mobile/" + mobile, APP_KEY).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------ helpers

    private static java.util.List<String> fields(Response problem) {
        return problem.json()
                .path("errors")
                .valueStream()
                .map(e -> e.path("field").asString())
                .distinct()
                .toList();
    }

    private void assertUnchanged(Response before) {
        Response now = api.get("/v1/members/" + before.memberId(), APP_KEY);
        assertThat(now.status()).isEqualTo(200);
        assertThat(now.json()).isEqualTo(before.json());
    }
}
