package io.membercenter.member;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.governance.MemberAudit;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.MutableClock;
import io.membercenter.support.Problems;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Sql;
import io.membercenter.support.TestData;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * A crash between the writes of a create or of a change, simulated by a crash point that stops the operation
 * with none of its clean-up. The service decides "stale" by its own clock: instead of waiting out the claim
 * TTL, a test advances the service's {@link MutableClock} past it, and the sweeper (every second in
 * tests) or the next request that needs the identifier settles what the crash left.
 */
@ServiceTest
class MemberCrashRecoveryTest {

    /** Time for the sweeper's next round once a claim is stale: it runs every second in tests. */
    private static final Duration RECOVERY = Duration.ofSeconds(15);

    private final ApiClient api;

    @Autowired
    CrashPoints crashPoints;

    @Autowired
    ClaimSweeper sweeper;

    @Autowired
    MutableClock clock;

    @Autowired
    MemberProperties properties;

    @Autowired
    ApplicationContext context;

    @AfterEach
    void disarm() {
        crashPoints.disarmAll();
    }

    MemberCrashRecoveryTest(ApiClient api) {
        this.api = api;
    }

    @Test
    void crashAfterClaimsShowsNoHalfMemberAndTheSweeperFreesTheMobile() {
        String mobile = TestData.mobile();
        String email = TestData.email();
        crashPoints.arm(CrashPoints.CREATE_AFTER_CLAIMS);

        Response crashed = api.create(RequestBody.create(mobile, email));

        assertThat(crashed.status()).isEqualTo(500);
        assertThat(Sql.memberRowsWithMobile(mobile))
                .singleElement()
                .satisfies(row -> assertThat(row.get("lifecycle")).isEqualTo("PENDING"));
        assertThat(Sql.ownersOfMobile(mobile))
                .singleElement()
                .satisfies(owner -> assertThat(owner.get("state")).isEqualTo("CLAIMED"));
        assertThat(api.get("/v1/members/by-mobile/" + mobile, APP_KEY).status()).isEqualTo(404);
        assertThat(api.get("/v1/members/by-email/" + email, APP_KEY).status()).isEqualTo(404);
        String halfMember =
                Sql.memberRowsWithMobile(mobile).getFirst().get("member_id").toString();
        assertThat(api.get("/v1/members/" + halfMember, APP_KEY).status()).isEqualTo(404);

        advancePastTheClaimTtl();

        await().atMost(RECOVERY).until(() -> Sql.ownersOfMobile(mobile).isEmpty());

        assertThat(Sql.memberRowsWithMobile(mobile))
                .singleElement()
                .satisfies(row -> assertThat(row.get("lifecycle")).isEqualTo("ABORTED"));
        Response retry = api.create(RequestBody.create(mobile, email));
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.memberId()).isNotEqualTo(halfMember);
        assertThat(api.get("/v1/members/by-email/" + email, APP_KEY).memberId()).isEqualTo(retry.memberId());
    }

    @Test
    void crashAfterCommitIsRolledForwardAndTheMobileStaysWithTheMember() {
        String mobile = TestData.mobile();
        crashPoints.arm(CrashPoints.CREATE_AFTER_COMMIT);

        Response crashed = api.create(RequestBody.create(mobile, null));

        assertThat(crashed.status()).isEqualTo(500);
        String memberId =
                Sql.memberRowsWithMobile(mobile).getFirst().get("member_id").toString();
        assertThat(api.get("/v1/members/" + memberId, APP_KEY).status()).isEqualTo(200);

        advancePastTheClaimTtl();

        await().atMost(RECOVERY)
                .until(() ->
                        Sql.ownersOfMobile(mobile).stream().anyMatch(owner -> "CONFIRMED".equals(owner.get("state"))));

        assertThat(Sql.ownersOfMobile(mobile))
                .singleElement()
                .satisfies(
                        owner -> assertThat(owner.get("member_id").toString()).isEqualTo(memberId));
        assertThat(api.get("/v1/members/by-mobile/" + mobile, APP_KEY).memberId())
                .isEqualTo(memberId);
        assertThat(api.create(RequestBody.create(mobile, null)).status()).isEqualTo(409);
    }

    @Test
    void aRequestThatNeedsAStaleClaimSettlesItWithoutWaitingForTheSweeper() {
        String mobile = TestData.mobile();
        crashPoints.arm(CrashPoints.CREATE_AFTER_CLAIMS);
        api.create(RequestBody.create(mobile, null));

        Response whileFresh = api.create(RequestBody.create(mobile, null));
        advancePastTheClaimTtl();
        Response afterTtl = api.create(RequestBody.create(mobile, null));

        assertThat(whileFresh.status()).isEqualTo(409);
        assertThat(afterTtl.status()).isIn(201);
        List<Map<String, Object>> live = Sql.memberRowsWithMobile(mobile).stream()
                .filter(r -> "LIVE".equals(r.get("lifecycle")))
                .toList();
        assertThat(live)
                .singleElement()
                .satisfies(r -> assertThat(r.get("member_id").toString()).isEqualTo(afterTtl.memberId()));
    }

    @Test
    void idempotentRetryDuringACrashedRequestAnswers409ThenTheRetryCompletesIt() {
        String key = "crash-" + TestData.externalId();
        String mobile = TestData.mobile();
        crashPoints.arm(CrashPoints.CREATE_AFTER_CLAIMS);
        Response crashed = api.request("POST", "/v1/members")
                .key(APP_KEY)
                .header("Idempotency-Key", key)
                .json(RequestBody.create(mobile, null))
                .send();

        Response inProgress = api.request("POST", "/v1/members")
                .key(APP_KEY)
                .header("Idempotency-Key", key)
                .json(RequestBody.create(mobile, null))
                .send();

        assertThat(crashed.status()).isEqualTo(500);
        Problems.assertProblem(inProgress, 409);
        assertThat(inProgress.header("Retry-After")).contains("1");

        advancePastTheClaimTtl();
        Response completed = await().atMost(RECOVERY)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> api.request("POST", "/v1/members")
                                .key(APP_KEY)
                                .header("Idempotency-Key", key)
                                .json(RequestBody.create(mobile, null))
                                .send(),
                        r -> r.status() == 201);
        Response replay = api.request("POST", "/v1/members")
                .key(APP_KEY)
                .header("Idempotency-Key", key)
                .json(RequestBody.create(mobile, null))
                .send();

        assertThat(replay.memberId()).isEqualTo(completed.memberId());
        assertThat(Sql.memberRowsWithMobile(mobile).stream().filter(r -> "LIVE".equals(r.get("lifecycle"))))
                .hasSize(1);
    }

    @Test
    void theSweeperCountsTheClaimsItSettledInAMetric() {
        String mobile = TestData.mobile();
        long before = sweeper.claimsSwept();
        crashPoints.arm(CrashPoints.CREATE_AFTER_CLAIMS);
        api.create(RequestBody.create(mobile, null));
        advancePastTheClaimTtl();

        await().atMost(RECOVERY).until(() -> Sql.ownersOfMobile(mobile).isEmpty());

        // The sweep counts what it settled when its round ends, a moment after the claim is gone.
        await().atMost(RECOVERY)
                .untilAsserted(() -> assertThat(sweeper.claimsSwept()).isGreaterThan(before));
        assertThat(api.get("/actuator/prometheus", null).text()).contains("member_claims_swept_total");
    }

    @ParameterizedTest
    @ValueSource(strings = {CrashPoints.CHANGE_AFTER_COMMIT, CrashPoints.RELEASE_AFTER_COMMIT})
    void crashBetweenAnUnbindsCommitAndItsReleaseFreesTheIdentityAfterTheSweepWithNoAnomaly(String point) {
        String id = api.newMember().memberId();
        String externalId = TestData.externalId();
        IdentifierKey identity = IdentifierKey.identity("wechat", externalId);
        assertThat(bind(id, externalId).status()).isEqualTo(201);
        crashPoints.arm(point);

        Response crashed = api.delete("/v1/members/" + id + "/identities/wechat/" + externalId, APP_KEY);

        assertThat(crashed.status()).isEqualTo(500);
        assertThat(row(id))
                .as("the unbind committed")
                .satisfies(r -> assertThat(r.get("version")).isEqualTo(3L))
                .satisfies(r -> assertThat(String.valueOf(r.get("identities"))).doesNotContain(externalId));
        assertThat(owners(identity))
                .as("the removed entry is a claim of the member's change, not a settled entry")
                .singleElement()
                .satisfies(o -> assertThat(o.get("state")).isEqualTo("CLAIMED"))
                .satisfies(o -> assertThat(o.get("member_id").toString()).isEqualTo(id));

        advancePastTheClaimTtl();
        await().atMost(RECOVERY).until(() -> owners(identity).isEmpty());

        String other = api.newMember().memberId();
        assertThat(bind(other, externalId).status()).as("the identity is free").isEqualTo(201);
        assertThat(api.get("/v1/members/by-identity/wechat/" + externalId, APP_KEY)
                        .memberId())
                .isEqualTo(other);
        Response member = api.get("/v1/members/" + id, APP_KEY);
        assertThat(member.version()).isEqualTo(3);
        assertThat(member.json().path("identities")).isEmpty();
        assertThat(MemberAudit.anomaliesOf(context, api, ids(id, other), List.of(identity)))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {CrashPoints.CHANGE_AFTER_COMMIT, CrashPoints.RELEASE_AFTER_COMMIT})
    void crashBetweenAMobileChangesCommitAndItsReleaseFreesTheOldMobileAfterTheSweepWithNoAnomaly(String point) {
        String oldMobile = TestData.mobile();
        String newMobile = TestData.mobile();
        String id = api.create(RequestBody.create(oldMobile, null)).memberId();
        crashPoints.arm(point);

        Response crashed =
                api.patch("/v1/members/" + id, APP_KEY, RequestBody.object().with("mobile", newMobile));

        assertThat(crashed.status()).isEqualTo(500);
        assertThat(row(id))
                .as("the change committed")
                .satisfies(r -> assertThat(r.get("version")).isEqualTo(2L))
                .satisfies(r -> assertThat(r.get("mobile")).isEqualTo(newMobile));
        assertThat(Sql.ownersOfMobile(oldMobile))
                .singleElement()
                .satisfies(o -> assertThat(o.get("state")).isEqualTo("CLAIMED"));

        advancePastTheClaimTtl();
        await().atMost(RECOVERY)
                .until(() -> Sql.ownersOfMobile(oldMobile).isEmpty()
                        && Sql.ownersOfMobile(newMobile).stream()
                                .anyMatch(o -> "CONFIRMED".equals(o.get("state"))
                                        && id.equals(o.get("member_id").toString())));

        Response other = api.create(RequestBody.create(oldMobile, null));
        assertThat(other.status()).as("the old mobile is free").isEqualTo(201);
        assertThat(api.get("/v1/members/by-mobile/" + oldMobile, APP_KEY).memberId())
                .isEqualTo(other.memberId());
        assertThat(api.get("/v1/members/by-mobile/" + newMobile, APP_KEY).memberId())
                .isEqualTo(id);
        assertThat(api.create(RequestBody.create(newMobile, null)).status()).isEqualTo(409);
        assertThat(MemberAudit.anomaliesOf(
                        context,
                        api,
                        ids(id, other.memberId()),
                        List.of(IdentifierKey.mobile(oldMobile), IdentifierKey.mobile(newMobile))))
                .isEmpty();
    }

    @Test
    void crashBeforeAnUnbindsCommitLeavesTheIdentityWithTheMemberAndTheSweeperConfirmsItBack() {
        String id = api.newMember().memberId();
        String externalId = TestData.externalId();
        IdentifierKey identity = IdentifierKey.identity("wechat", externalId);
        assertThat(bind(id, externalId).status()).isEqualTo(201);
        crashPoints.arm(CrashPoints.CHANGE_AFTER_CLAIMS);

        Response crashed = api.delete("/v1/members/" + id + "/identities/wechat/" + externalId, APP_KEY);
        String other = api.newMember().memberId();
        Response whileClaimed = bind(other, externalId);

        assertThat(crashed.status()).isEqualTo(500);
        assertThat(row(id)).satisfies(r -> assertThat(r.get("version")).isEqualTo(2L));
        assertThat(whileClaimed.status())
                .as("another member waits for the claim, then loses")
                .isEqualTo(409);

        advancePastTheClaimTtl();
        await().atMost(RECOVERY)
                .until(() -> owners(identity).stream()
                        .anyMatch(o -> "CONFIRMED".equals(o.get("state"))
                                && id.equals(o.get("member_id").toString())));

        assertThat(bind(other, externalId).status())
                .as("the member still holds it")
                .isEqualTo(409);
        assertThat(api.get("/v1/members/by-identity/wechat/" + externalId, APP_KEY)
                        .memberId())
                .isEqualTo(id);
        assertThat(MemberAudit.anomaliesOf(context, api, ids(id, other), List.of(identity)))
                .isEmpty();
        assertThat(api.delete("/v1/members/" + id + "/identities/wechat/" + externalId, APP_KEY)
                        .status())
                .isEqualTo(204);
        assertThat(bind(other, externalId).status())
                .as("unbound for real, it is free")
                .isEqualTo(201);
    }

    @Test
    void crashBeforeAMobileChangesCommitKeepsTheOldMobileAndFreesTheNewOne() {
        String oldMobile = TestData.mobile();
        String newMobile = TestData.mobile();
        String id = api.create(RequestBody.create(oldMobile, null)).memberId();
        crashPoints.arm(CrashPoints.CHANGE_AFTER_CLAIMS);

        Response crashed =
                api.patch("/v1/members/" + id, APP_KEY, RequestBody.object().with("mobile", newMobile));

        assertThat(crashed.status()).isEqualTo(500);
        assertThat(row(id)).satisfies(r -> assertThat(r.get("mobile")).isEqualTo(oldMobile));
        advancePastTheClaimTtl();
        await().atMost(RECOVERY)
                .until(() -> Sql.ownersOfMobile(newMobile).isEmpty()
                        && Sql.ownersOfMobile(oldMobile).stream()
                                .anyMatch(o -> "CONFIRMED".equals(o.get("state"))
                                        && id.equals(o.get("member_id").toString())));

        assertThat(api.create(RequestBody.create(oldMobile, null)).status()).isEqualTo(409);
        Response other = api.create(RequestBody.create(newMobile, null));
        assertThat(other.status()).isEqualTo(201);
        assertThat(api.get("/v1/members/" + id, APP_KEY).version()).isEqualTo(1);
        assertThat(MemberAudit.anomaliesOf(
                        context,
                        api,
                        ids(id, other.memberId()),
                        List.of(IdentifierKey.mobile(oldMobile), IdentifierKey.mobile(newMobile))))
                .isEmpty();
    }

    private Response bind(String memberId, String externalId) {
        return api.post(
                "/v1/members/" + memberId + "/identities",
                APP_KEY,
                "{\"platform\":\"wechat\",\"externalId\":\"" + externalId + "\"}");
    }

    private static Map<String, Object> row(String memberId) {
        return Sql.everywhere(
                        "mysql-a",
                        "SELECT mobile, identities, version, lifecycle FROM member WHERE member_id = ?",
                        Long.parseLong(memberId))
                .getFirst();
    }

    private static List<Map<String, Object>> owners(IdentifierKey key) {
        return Sql.everywhere(
                "mysql-a",
                "SELECT member_id, state FROM identifier_owner WHERE kind = ? AND value = ?",
                key.code(),
                key.value());
    }

    private static List<Long> ids(String... memberIds) {
        return Arrays.stream(memberIds).map(Long::parseLong).toList();
    }

    /** What waiting out the claim TTL did before: from now on, the crashed operation's claims and record are stale. */
    private void advancePastTheClaimTtl() {
        clock.advance(properties.claimTtl().plusMillis(1));
    }
}
