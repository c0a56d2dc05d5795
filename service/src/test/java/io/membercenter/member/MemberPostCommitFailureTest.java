package io.membercenter.member;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Sql;
import io.membercenter.support.TestData;
import io.membercenter.topology.LocalTopology;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A create, PATCH, bind or unbind whose commit succeeded and one of whose later steps failed (the
 * confirm of its claims, the release of a removed identifier, the cache invalidation, the local
 * replica wait — each made to fail once by a crash point) is still acknowledged: the change is
 * durable, so it answers 2xx, an Idempotency-Key retry replays the same member, every later read in
 * either data center sees the new version, and what the failed step left is finished by the sweeper
 * (an unconfirmed claim, and the entry of a removed identifier, which the change reclaimed before its commit).
 * The claim TTL is 3 s in tests and the sweeper runs every second.
 */
@ServiceTest
class MemberPostCommitFailureTest {

    private final ApiClient api;

    MemberPostCommitFailureTest(ApiClient api) {
        this.api = api;
    }

    private static final Duration RECOVERY = Duration.ofSeconds(15);
    private static final List<String> REDIS = List.of("redis-a", "redis-b");

    @Autowired
    CrashPoints crashPoints;

    @AfterEach
    void disarm() {
        crashPoints.disarmAll();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                CrashPoints.CONFIRM_AFTER_COMMIT,
                CrashPoints.INVALIDATE_AFTER_COMMIT,
                CrashPoints.REPLICA_WAIT_AFTER_COMMIT
            })
    void aCreateWhoseLaterStepFailsAnswers201AndItsRetryReplaysTheSameMember(String step) {
        String key = "post-commit-" + TestData.externalId();
        String mobile = TestData.mobile();
        String body = RequestBody.create(mobile, null).json();
        crashPoints.armFailure(step, 1);

        Response first = createWithKey(key, body);
        List<Map<String, Object>> ownersRightAfter = Sql.ownersOfMobile(mobile);
        Response retry = createWithKey(key, body);

        assertThat(first.status()).as(first.text()).isEqualTo(201);
        assertThat(retry.status()).as(retry.text()).isEqualTo(201);
        assertThat(retry.memberId()).isEqualTo(first.memberId());
        assertThat(Sql.memberRowsWithMobile(mobile))
                .singleElement()
                .satisfies(row -> assertThat(row.get("lifecycle")).isEqualTo("LIVE"));
        Response byMobile = api.get("/v1/members/by-mobile/" + mobile, APP_KEY);
        assertThat(byMobile.memberId()).isEqualTo(first.memberId());
        assertThat(api.get("/v1/members/" + first.memberId(), APP_KEY).version())
                .isEqualTo(1);
        if (step.equals(CrashPoints.CONFIRM_AFTER_COMMIT)) {
            assertThat(ownersRightAfter)
                    .as("the failed confirm is left to the sweeper")
                    .singleElement()
                    .satisfies(owner -> assertThat(owner.get("state")).isEqualTo("CLAIMED"));
        }
        awaitConfirmedOwner(mobile, first.memberId());
        assertThat(api.create(RequestBody.create(mobile, null)).status()).isEqualTo(409);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                CrashPoints.CONFIRM_AFTER_COMMIT,
                CrashPoints.RELEASE_AFTER_COMMIT,
                CrashPoints.INVALIDATE_AFTER_COMMIT,
                CrashPoints.REPLICA_WAIT_AFTER_COMMIT
            })
    void aMobileChangeWhoseLaterStepFailsAnswers200AndNoDataCenterServesTheOldVersion(String step) {
        String oldMobile = TestData.mobile();
        String id = api.create(RequestBody.create(oldMobile, null)).memberId();
        warmBothCaches(id, IdentifierKey.mobile(oldMobile).searchKey(), "/v1/members/by-mobile/" + oldMobile);
        String newMobile = TestData.mobile();
        crashPoints.armFailure(step, 1);

        Response patched = api.patch("/v1/members/" + id, APP_KEY, "{\"mobile\":\"" + newMobile + "\"}");

        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.version()).isEqualTo(2);
        awaitNoDataCenterCachesAnOlderVersion(id, 2);
        Response read = api.get("/v1/members/" + id, APP_KEY);
        assertThat(read.version()).isEqualTo(2);
        assertThat(read.json().path("mobile").asString()).isEqualTo(newMobile);
        assertThat(api.get("/v1/members/by-mobile/" + newMobile, APP_KEY).memberId())
                .isEqualTo(id);
        assertThat(api.get("/v1/members/by-mobile/" + oldMobile, APP_KEY).status())
                .isEqualTo(404);
        awaitConfirmedOwner(newMobile, id);
        // A failed release leaves the old mobile's entry a claim of this change, which the sweeper deletes once stale
        // (the member row no longer holds it); every other step's failure leaves it released already.
        await().atMost(RECOVERY).until(() -> Sql.ownersOfMobile(oldMobile).isEmpty());
        Response other = api.create(RequestBody.create(oldMobile, null));
        assertThat(other.status()).as("the removed mobile is free again").isEqualTo(201);
        assertThat(api.get("/v1/members/by-mobile/" + oldMobile, APP_KEY).memberId())
                .isEqualTo(other.memberId());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                CrashPoints.CONFIRM_AFTER_COMMIT,
                CrashPoints.INVALIDATE_AFTER_COMMIT,
                CrashPoints.REPLICA_WAIT_AFTER_COMMIT
            })
    void aBindWhoseLaterStepFailsAnswers201AndTheIdentityIsFoundEverywhere(String step) {
        String id = api.newMember().memberId();
        String externalId = TestData.externalId();
        warmBothCaches(id, null, null);
        crashPoints.armFailure(step, 1);

        Response bound = api.post("/v1/members/" + id + "/identities", APP_KEY, identity(externalId));

        assertThat(bound.status()).as(bound.text()).isEqualTo(201);
        assertThat(bound.version()).isEqualTo(2);
        awaitNoDataCenterCachesAnOlderVersion(id, 2);
        Response read = api.get("/v1/members/" + id, APP_KEY);
        assertThat(read.version()).isEqualTo(2);
        assertThat(read.json().path("identities")).hasSize(1);
        assertThat(api.get("/v1/members/by-identity/wechat/" + externalId, APP_KEY)
                        .memberId())
                .isEqualTo(id);
        await().atMost(RECOVERY)
                .until(() -> identityOwners(externalId).stream()
                        .anyMatch(o -> "CONFIRMED".equals(o.get("state"))
                                && id.equals(o.get("member_id").toString())));
        assertThat(api.post("/v1/members/" + api.newMember().memberId() + "/identities", APP_KEY, identity(externalId))
                        .status())
                .isEqualTo(409);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                CrashPoints.RELEASE_AFTER_COMMIT,
                CrashPoints.INVALIDATE_AFTER_COMMIT,
                CrashPoints.REPLICA_WAIT_AFTER_COMMIT
            })
    void anUnbindWhoseLaterStepFailsAnswers204AndTheIdentityIsGoneEverywhere(String step) {
        String id = api.newMember().memberId();
        String externalId = TestData.externalId();
        assertThat(api.post("/v1/members/" + id + "/identities", APP_KEY, identity(externalId))
                        .status())
                .isEqualTo(201);
        warmBothCaches(id, "IDENTITY:wechat:" + externalId, "/v1/members/by-identity/wechat/" + externalId);
        crashPoints.armFailure(step, 1);

        Response unbound = api.delete("/v1/members/" + id + "/identities/wechat/" + externalId, APP_KEY);

        assertThat(unbound.status()).as(unbound.text()).isEqualTo(204);
        awaitNoDataCenterCachesAnOlderVersion(id, 3);
        Response read = api.get("/v1/members/" + id, APP_KEY);
        assertThat(read.version()).isEqualTo(3);
        assertThat(read.json().path("identities")).isEmpty();
        assertThat(api.get("/v1/members/by-identity/wechat/" + externalId, APP_KEY)
                        .status())
                .isEqualTo(404);
        await().atMost(RECOVERY).until(() -> identityOwners(externalId).isEmpty()); // as for the mobile above
        String other = api.newMember().memberId();
        assertThat(api.post("/v1/members/" + other + "/identities", APP_KEY, identity(externalId))
                        .status())
                .as("the removed identity is free again")
                .isEqualTo(201);
    }

    private Response createWithKey(String key, String body) {
        return api.request("POST", "/v1/members")
                .key(APP_KEY)
                .header("Idempotency-Key", key)
                .json(body)
                .send();
    }

    private static String identity(String externalId) {
        return "{\"platform\":\"wechat\",\"externalId\":\"" + externalId + "\"}";
    }

    /**
     * The member is read until a cache answers it, then the cached entries (the member and, when
     * given, one identifier) are put into both data centers' Redis, as if readers in both had cached
     * the same version.
     */
    private void warmBothCaches(String id, String identifierKey, String identifierPath) {
        await().atMost(RECOVERY)
                .until(() -> api.get("/v1/members/" + id, APP_KEY)
                        .header("X-Member-Source")
                        .orElse("")
                        .startsWith("cache@"));
        if (identifierPath != null) api.get(identifierPath, APP_KEY);
        List<String> keys =
                identifierKey == null ? List.of("mc:m:" + id) : List.of("mc:m:" + id, "mc:i:" + identifierKey);
        Map<String, String> entries = new LinkedHashMap<>();
        for (String redis : REDIS) {
            onRedis(redis, commands -> {
                for (String key : keys) {
                    String value = commands.get(key);
                    if (value != null) entries.putIfAbsent(key, value);
                }
                return null;
            });
        }
        assertThat(entries).as("a cache holds the member").containsKey("mc:m:" + id);
        for (String redis : REDIS) {
            onRedis(redis, commands -> {
                entries.forEach((key, value) -> commands.setex(key, 300, value));
                return null;
            });
        }
    }

    /**
     * Each Redis holds the member at the given version or not at all, and a floor that refuses anything
     * older. Awaited, not asserted at once, only because a Redis that another test restarted is sent
     * its queued invalidations when it answers again.
     */
    private static void awaitNoDataCenterCachesAnOlderVersion(String id, long version) {
        await().atMost(RECOVERY).untilAsserted(() -> assertNoDataCenterCachesAnOlderVersion(id, version));
    }

    private static void assertNoDataCenterCachesAnOlderVersion(String id, long version) {
        for (String name : REDIS) {
            onRedis(name, redis -> {
                String entry = redis.get("mc:m:" + id);
                if (entry != null) {
                    assertThat(Long.parseLong(entry.substring(0, entry.indexOf('|'))))
                            .as(name + " entry")
                            .isGreaterThanOrEqualTo(version);
                }
                String floor = redis.get("mc:floor:" + id);
                assertThat(floor).as(name + " floor").isNotNull();
                assertThat(Long.parseLong(floor)).as(name + " floor").isGreaterThanOrEqualTo(version);
                return null;
            });
        }
    }

    private static void awaitConfirmedOwner(String mobile, String memberId) {
        await().atMost(RECOVERY)
                .until(() -> Sql.ownersOfMobile(mobile).stream()
                        .anyMatch(o -> "CONFIRMED".equals(o.get("state"))
                                && memberId.equals(o.get("member_id").toString())));
    }

    private static List<Map<String, Object>> identityOwners(String externalId) {
        return Sql.everywhere(
                "mysql-a",
                "SELECT member_id, state FROM identifier_owner WHERE kind = 'I' AND value = ?",
                "wechat:" + externalId);
    }

    private static <T> T onRedis(String name, Function<RedisCommands<String, String>, T> work) {
        RedisClient client = RedisClient.create(LocalTopology.shared().redisUri(name));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return work.apply(connection.sync());
        } finally {
            client.shutdown();
        }
    }
}
