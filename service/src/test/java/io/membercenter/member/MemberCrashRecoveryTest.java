package io.membercenter.member;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.ApiTestBase;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Sql;
import io.membercenter.support.TestData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A crash between the writes of a create, simulated by a crash point that stops the operation with
 * none of its clean-up. The claim TTL is 3 s in tests and the sweeper runs every second.
 */
@ServiceTest
class MemberCrashRecoveryTest extends ApiTestBase {

    private static final Duration RECOVERY = Duration.ofSeconds(15);

    @Autowired
    CrashPoints crashPoints;

    @Autowired
    ClaimSweeper sweeper;

    @Test
    void crashAfterClaimsShowsNoHalfMemberAndTheSweeperFreesTheMobile() {
        String mobile = TestData.mobile();
        String email = TestData.email();
        crashPoints.arm(CrashPoints.CREATE_AFTER_CLAIMS);

        Response crashed = api.create(createBody(mobile, email));

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

        await().atMost(RECOVERY).until(() -> Sql.ownersOfMobile(mobile).isEmpty());

        assertThat(Sql.memberRowsWithMobile(mobile))
                .singleElement()
                .satisfies(row -> assertThat(row.get("lifecycle")).isEqualTo("ABORTED"));
        Response retry = api.create(createBody(mobile, email));
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.memberId()).isNotEqualTo(halfMember);
        assertThat(api.get("/v1/members/by-email/" + email, APP_KEY).memberId()).isEqualTo(retry.memberId());
    }

    @Test
    void crashAfterCommitIsRolledForwardAndTheMobileStaysWithTheMember() {
        String mobile = TestData.mobile();
        crashPoints.arm(CrashPoints.CREATE_AFTER_COMMIT);

        Response crashed = api.create(createBody(mobile, null));

        assertThat(crashed.status()).isEqualTo(500);
        String memberId =
                Sql.memberRowsWithMobile(mobile).getFirst().get("member_id").toString();
        assertThat(api.get("/v1/members/" + memberId, APP_KEY).status()).isEqualTo(200);

        await().atMost(RECOVERY)
                .until(() ->
                        Sql.ownersOfMobile(mobile).stream().anyMatch(owner -> "CONFIRMED".equals(owner.get("state"))));

        assertThat(Sql.ownersOfMobile(mobile))
                .singleElement()
                .satisfies(
                        owner -> assertThat(owner.get("member_id").toString()).isEqualTo(memberId));
        assertThat(api.get("/v1/members/by-mobile/" + mobile, APP_KEY).memberId())
                .isEqualTo(memberId);
        assertThat(api.create(createBody(mobile, null)).status()).isEqualTo(409);
    }

    @Test
    void aRequestThatNeedsAStaleClaimSettlesItWithoutWaitingForTheSweeper() throws Exception {
        String mobile = TestData.mobile();
        crashPoints.arm(CrashPoints.CREATE_AFTER_CLAIMS);
        api.create(createBody(mobile, null));

        Response whileFresh = api.create(createBody(mobile, null));
        Thread.sleep(3_500);
        Response afterTtl = api.create(createBody(mobile, null));

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
                .json(createBody(mobile, null))
                .send();

        Response inProgress = api.request("POST", "/v1/members")
                .key(APP_KEY)
                .header("Idempotency-Key", key)
                .json(createBody(mobile, null))
                .send();

        assertThat(crashed.status()).isEqualTo(500);
        io.membercenter.support.Problems.assertProblem(inProgress, 409);
        assertThat(inProgress.header("Retry-After")).contains("1");

        Response completed = await().atMost(RECOVERY)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> api.request("POST", "/v1/members")
                                .key(APP_KEY)
                                .header("Idempotency-Key", key)
                                .json(createBody(mobile, null))
                                .send(),
                        r -> r.status() == 201);
        Response replay = api.request("POST", "/v1/members")
                .key(APP_KEY)
                .header("Idempotency-Key", key)
                .json(createBody(mobile, null))
                .send();

        assertThat(replay.memberId()).isEqualTo(completed.memberId());
        assertThat(Sql.memberRowsWithMobile(mobile).stream().filter(r -> "LIVE".equals(r.get("lifecycle"))))
                .hasSize(1);
    }

    @Test
    void sweeperReportsWhatItSettled() {
        String mobile = TestData.mobile();
        long before = sweeper.claimsSwept();
        crashPoints.arm(CrashPoints.CREATE_AFTER_CLAIMS);
        api.create(createBody(mobile, null));

        await().atMost(RECOVERY).until(() -> Sql.ownersOfMobile(mobile).isEmpty());

        // The sweep counts what it settled when its round ends, a moment after the claim is gone.
        await().atMost(RECOVERY)
                .untilAsserted(() -> assertThat(sweeper.claimsSwept()).isGreaterThan(before));
        assertThat(api.get("/actuator/prometheus", null).text()).contains("member_claims_swept_total");
    }
}
