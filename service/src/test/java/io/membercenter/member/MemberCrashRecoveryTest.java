package io.membercenter.member;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.MutableClock;
import io.membercenter.support.Problems;
import io.membercenter.support.RequestBody;
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
 * none of its clean-up. The service decides "stale" by its own clock: instead of waiting out the claim
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

    /** What waiting out the claim TTL did before: from now on, the crashed operation's claims and record are stale. */
    private void advancePastTheClaimTtl() {
        clock.advance(properties.claimTtl().plusMillis(1));
    }
}
