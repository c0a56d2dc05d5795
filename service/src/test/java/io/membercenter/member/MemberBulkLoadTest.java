package io.membercenter.member;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.SearchDocs;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.TestData;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Members loaded in bulk are whole members: readable by id and by every identifier right after the load,
 * their identifiers owned, and replicated to every search cluster like any change.
 */
@ServiceTest
class MemberBulkLoadTest {

    private final ApiClient api;

    MemberBulkLoadTest(ApiClient api) {
        this.api = api;
    }

    /** Ids of node 510 in 2026's first hours, a random millisecond per run: no service instance issues them. */
    private static final AtomicLong NEXT_ID =
            new AtomicLong((ThreadLocalRandom.current().nextLong(1, 10_000_000) << 22) | 510L << 12);

    @Autowired
    private MemberBulkLoad bulkLoad;

    @Test
    void loadedMembersAreReadableByIdAndByEveryIdentifier() {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            members.add(member(TestData.mobile(), TestData.email(), i % 2 == 0 ? TestData.externalId() : null));
        }

        int owners = bulkLoad.load(members);

        assertThat(owners).isEqualTo(500 + 500 + 250);
        for (Member m : members.subList(0, 50)) {
            Response byId = api.get("/v1/members/" + m.memberId(), APP_KEY);
            assertThat(byId.status()).isEqualTo(200);
            assertThat(byId.json().path("mobile").asString()).isEqualTo(m.mobile());
            assertThat(byId.version()).isEqualTo(1);
            assertThat(api.get("/v1/members/by-mobile/" + encode(m.mobile()), APP_KEY)
                            .memberId())
                    .isEqualTo(Long.toString(m.memberId()));
            assertThat(api.get("/v1/members/by-email/" + encode(m.email()), APP_KEY)
                            .memberId())
                    .isEqualTo(Long.toString(m.memberId()));
            for (Member.Identity identity : m.identities()) {
                assertThat(api.get("/v1/members/by-identity/wechat/" + encode(identity.externalId()), APP_KEY)
                                .memberId())
                        .isEqualTo(Long.toString(m.memberId()));
            }
        }
    }

    @Test
    void membersDatedAYearBackAreFoundRightAfterTheLoadAndStillReachEverySearchCluster() {
        // Dated a year back, as migrated members are: their changes must still be replicated, not expired.
        Instant aYearAgo = Instant.now().minus(Duration.ofDays(365));
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Member fresh = member(TestData.mobile(), TestData.email(), TestData.externalId());
            members.add(new Member(
                    fresh.memberId(),
                    fresh.mobile(),
                    fresh.email(),
                    fresh.nickname(),
                    fresh.level(),
                    fresh.status(),
                    fresh.identities(),
                    1,
                    aYearAgo,
                    aYearAgo));
        }

        bulkLoad.load(members);

        for (Member m : members.subList(0, 40)) {
            Response byMobile = api.get("/v1/members/by-mobile/" + encode(m.mobile()), APP_KEY);
            assertThat(byMobile.status()).isEqualTo(200);
            assertThat(byMobile.memberId()).isEqualTo(Long.toString(m.memberId()));
        }
        List<String> ids =
                members.stream().map(m -> Long.toString(m.memberId())).toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> SearchDocs.allClustersMatchMysql(ids));
    }

    @Test
    void aLoadedMobileCannotBeTakenByACreate() {
        Member loaded = member(TestData.mobile(), TestData.email(), null);
        bulkLoad.load(List.of(loaded));

        Response create = api.create(RequestBody.create(loaded.mobile(), TestData.email()));

        assertThat(create.status()).isEqualTo(409);
        assertThat(api.get("/v1/members/by-mobile/" + encode(loaded.mobile()), APP_KEY)
                        .memberId())
                .isEqualTo(Long.toString(loaded.memberId()));
    }

    @Test
    void loadingAnExistingMemberAgainFailsAndLeavesItAsItWas() {
        Member loaded = member(TestData.mobile(), TestData.email(), null);
        bulkLoad.load(List.of(loaded));
        Member sameIdOtherMobile = new Member(
                loaded.memberId(),
                TestData.mobile(),
                null,
                "other",
                Member.Level.GOLD,
                Member.Status.ACTIVE,
                List.of(),
                1,
                loaded.createdAt(),
                loaded.updatedAt());

        assertThatThrownBy(() -> bulkLoad.load(List.of(sameIdOtherMobile))).isInstanceOf(RuntimeException.class);

        Response byId = api.get("/v1/members/" + loaded.memberId(), APP_KEY);
        assertThat(byId.json().path("mobile").asString()).isEqualTo(loaded.mobile());
        assertThat(byId.json().path("level").asString()).isEqualTo("NORMAL");
        assertThat(api.get("/v1/members/by-mobile/" + encode(sameIdOtherMobile.mobile()), APP_KEY)
                        .status())
                .isEqualTo(404);
    }

    private static Member member(String mobile, String email, String externalId) {
        Instant now = Instant.now();
        List<Member.Identity> identities =
                externalId == null ? List.of() : List.of(new Member.Identity("wechat", externalId));
        return new Member(
                NEXT_ID.incrementAndGet(),
                mobile,
                email,
                "bulk",
                Member.Level.NORMAL,
                Member.Status.ACTIVE,
                identities,
                1,
                now,
                now);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
