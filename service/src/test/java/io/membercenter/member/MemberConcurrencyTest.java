package io.membercenter.member;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Sql;
import io.membercenter.support.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real races through the API: 16 threads released by one barrier, 50 rounds, and after each round
 * the invariants checked in the database itself, not only in the answers.
 */
@ServiceTest
class MemberConcurrencyTest {

    private final ApiClient api;

    MemberConcurrencyTest(ApiClient api) {
        this.api = api;
    }

    private static final int ROUNDS = 50;
    private static final int THREADS = 16;

    private ExecutorService pool;

    @BeforeEach
    void startThreads() {
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
    }

    @Test
    void concurrentCreatesWithOneMobileHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String mobile = TestData.mobile();
            List<Response> answers = race(i -> api.create(RequestBody.create(mobile, TestData.email())));

            List<Response> winners =
                    answers.stream().filter(r -> r.status() == 201).toList();
            assertThat(winners).as("round %d: %s", round, statuses(answers)).hasSize(1);
            assertThat(answers).as("round %d", round).allMatch(r -> r.status() == 201 || r.status() == 409);
            String winner = winners.getFirst().memberId();
            assertThat(api.get("/v1/members/by-mobile/" + mobile, APP_KEY).memberId())
                    .isEqualTo(winner);
            assertThat(Sql.memberRowsWithMobile(mobile).stream().filter(r -> "LIVE".equals(r.get("lifecycle"))))
                    .as("live members holding the mobile")
                    .hasSize(1);
            assertThat(Sql.ownersOfMobile(mobile))
                    .singleElement()
                    .satisfies(owner ->
                            assertThat(owner.get("member_id").toString()).isEqualTo(winner));
        }
    }

    @Test
    void concurrentBindsOfOneIdentityToDifferentMembersHaveExactlyOneWinner() throws Exception {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) members.add(api.newMember().memberId());

        for (int round = 0; round < ROUNDS; round++) {
            String externalId = TestData.externalId();
            RequestBody body = RequestBody.bind("wechat", externalId);
            List<Response> answers =
                    race(i -> api.post("/v1/members/" + members.get(i) + "/identities", APP_KEY, body));

            List<Integer> winners = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) if (answers.get(i).status() == 201) winners.add(i);
            assertThat(winners).as("round %d: %s", round, statuses(answers)).hasSize(1);
            assertThat(answers).allMatch(r -> r.status() == 201 || r.status() == 409);
            String winner = members.get(winners.getFirst());
            assertThat(api.get("/v1/members/by-identity/wechat/" + externalId, APP_KEY)
                            .memberId())
                    .isEqualTo(winner);
            long holders = members.stream()
                    .filter(id -> api.get("/v1/members/" + id, APP_KEY).text().contains(externalId))
                    .count();
            assertThat(holders)
                    .as("members holding the identity after round %d", round)
                    .isEqualTo(1);
        }
    }

    @Test
    void concurrentPatchesOfOneMemberEachBumpTheVersionByExactlyOne() throws Exception {
        String id = api.newMember().memberId();

        List<Response> answers = race(i ->
                api.patch("/v1/members/" + id, APP_KEY, RequestBody.object().with("nickname", "writer-" + i)));

        assertThat(answers).allMatch(r -> r.status() == 200);
        List<Long> versions = answers.stream().map(Response::version).sorted().toList();
        assertThat(versions)
                .doesNotHaveDuplicates()
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(2, THREADS + 1)
                        .boxed()
                        .toList());
        assertThat(api.get("/v1/members/" + id, APP_KEY).version()).isEqualTo(THREADS + 1);
    }

    /**
     * Half the threads change one member's mobile (each to a fresh one), half create members with the mobile it
     * gives up. Each change reclaims the old mobile's entry before its commit, so a creator meets a claim and waits:
     * never two owners, never an entry left for a member that does not hold the mobile.
     */
    @Test
    void mobileChangesRacingCreatesOfTheGivenUpMobileLeaveOneOwnerAndNoLeftoverEntry() throws Exception {
        for (int round = 0; round < 10; round++) {
            String old = TestData.mobile();
            String id = api.create(RequestBody.create(old, null)).memberId();
            List<String> fresh = new ArrayList<>();
            for (int i = 0; i < THREADS / 2; i++) fresh.add(TestData.mobile());

            List<Response> answers = race(i -> i < THREADS / 2
                    ? api.patch(
                            "/v1/members/" + id, APP_KEY, RequestBody.object().with("mobile", fresh.get(i)))
                    : api.create(RequestBody.create(old, null)));

            List<Response> changes = answers.subList(0, THREADS / 2);
            List<Response> creates = answers.subList(THREADS / 2, THREADS);
            assertThat(statuses(changes)).as("round %d", round).allMatch(s -> s == 200 || s == 503);
            assertThat(statuses(creates)).as("round %d", round).allMatch(s -> s == 201 || s == 409);
            long changed = changes.stream().filter(r -> r.status() == 200).count();
            List<Response> won = creates.stream().filter(r -> r.status() == 201).toList();
            Response member = api.get("/v1/members/" + id, APP_KEY);
            String held = member.json().path("mobile").asString();
            assertThat(member.version())
                    .as("round %d: one version per change", round)
                    .isEqualTo(1 + changed);
            assertThat(won).as("round %d", round).hasSizeLessThanOrEqualTo(1);
            if (!won.isEmpty())
                assertThat(held)
                        .as("round %d: the creator won a mobile given up", round)
                        .isNotEqualTo(old);
            assertThat(Sql.memberRowsWithMobile(old).stream().filter(r -> "LIVE".equals(r.get("lifecycle"))))
                    .as("round %d: live members holding the old mobile", round)
                    .hasSizeLessThanOrEqualTo(1);
            String oldOwner = won.isEmpty()
                    ? (held.equals(old) ? id : null)
                    : won.getFirst().memberId();
            if (oldOwner == null) {
                assertThat(Sql.ownersOfMobile(old))
                        .as("round %d: the old mobile is free", round)
                        .isEmpty();
            } else {
                assertConfirmedOwner(old, oldOwner, round);
            }
            for (String mobile : fresh) {
                if (mobile.equals(held)) {
                    assertConfirmedOwner(mobile, id, round);
                } else {
                    assertThat(Sql.ownersOfMobile(mobile))
                            .as("round %d: a losing change's claim", round)
                            .isEmpty();
                }
            }
        }
    }

    private static void assertConfirmedOwner(String mobile, String memberId, int round) {
        assertThat(Sql.ownersOfMobile(mobile))
                .as("round %d: the entry of a held mobile", round)
                .singleElement()
                .satisfies(o -> assertThat(o.get("state")).isEqualTo("CONFIRMED"))
                .satisfies(o -> assertThat(o.get("member_id").toString()).isEqualTo(memberId));
    }

    private List<Response> race(IntFunction<Response> request) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<Response>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int thread = i;
            futures.add(pool.submit(() -> {
                start.await();
                return request.apply(thread);
            }));
        }
        List<Response> answers = new ArrayList<>();
        for (Future<Response> future : futures) answers.add(future.get());
        return answers;
    }

    private static List<Integer> statuses(List<Response> answers) {
        return answers.stream().map(Response::status).toList();
    }
}
