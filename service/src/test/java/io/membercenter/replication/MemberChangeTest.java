package io.membercenter.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The change contract's JSON: what the outbox stores, Kafka carries and the cache holds. */
class MemberChangeTest {

    /** Only to look at the JSON as a tree; the contract is written and read by MemberChange alone. */
    private static final JsonMapper TREE = JsonMapper.builder().build();

    /**
     * An outbox payload exactly as the service wrote it before the record existed (a Map assembled
     * field by field in {@code member/MemberChangeEvents}, identifier entries from {@code Map.of}, so
     * {@code kind} and {@code value} in either order, absent values as JSON null).
     */
    private static final String STORED_BEFORE_THE_RECORD = """
            {"memberId":"9007199254740993","version":3,"mobile":"+8613800138000","email":null,\
            "nickname":"李雷 / Li Lei","level":"GOLD","status":"ACTIVE",\
            "identities":[{"platform":"wechat","externalId":"o:a/b%20c"}],\
            "identifiers":[{"kind":"MOBILE","value":"+8613800138000"},{"value":"wechat:o:a/b%20c","kind":"IDENTITY"}],\
            "removedIdentifiers":[{"value":"li.lei@example.com","kind":"EMAIL"}],\
            "createdAt":1764547200000,"updatedAt":1764550800123}""";

    @Test
    void anEventStoredByTheServiceBeforeTheRecordIsReadFieldForField() {
        MemberChange change = MemberChange.fromJson(STORED_BEFORE_THE_RECORD);

        assertThat(change.memberId()).isEqualTo(9_007_199_254_740_993L);
        assertThat(change.version()).isEqualTo(3);
        assertThat(change.mobile()).isEqualTo("+8613800138000");
        assertThat(change.email()).isNull();
        assertThat(change.nickname()).isEqualTo("李雷 / Li Lei");
        assertThat(change.level()).isEqualTo("GOLD");
        assertThat(change.status()).isEqualTo("ACTIVE");
        assertThat(change.identities()).containsExactly(new MemberChange.Identity("wechat", "o:a/b%20c"));
        assertThat(change.identifiers())
                .containsExactly(IdentifierKey.mobile("+8613800138000"), IdentifierKey.identity("wechat", "o:a/b%20c"));
        assertThat(change.removedIdentifiers()).containsExactly(IdentifierKey.email("li.lei@example.com"));
        assertThat(change.createdAtMillis()).isEqualTo(1_764_547_200_000L);
        assertThat(change.updatedAtMillis()).isEqualTo(1_764_550_800_123L);
    }

    @Test
    void theRecordWritesTheSameJsonAsTheServiceBeforeIt() {
        MemberChange change = MemberChange.fromJson(STORED_BEFORE_THE_RECORD);

        assertThat(TREE.readTree(change.toJson())).isEqualTo(TREE.readTree(STORED_BEFORE_THE_RECORD));
    }

    @Test
    void theJsonHasExactlyTheFieldsTheSchemaDocuments() {
        JsonNode json =
                TREE.readTree(sample("+8613800138000", "li.lei@example.com").toJson());

        Set<String> fields = new TreeSet<>(json.propertyNames());
        assertThat(fields)
                .containsExactlyInAnyOrder(
                        "memberId",
                        "version",
                        "mobile",
                        "email",
                        "nickname",
                        "level",
                        "status",
                        "identities",
                        "identifiers",
                        "removedIdentifiers",
                        "createdAt",
                        "updatedAt");
        assertThat(json.path("memberId").isString()).isTrue();
        assertThat(json.path("createdAt").isIntegralNumber()).isTrue();
        assertThat(new TreeSet<>(json.path("identifiers").get(0).propertyNames()))
                .containsExactly("kind", "value");
        assertThat(new TreeSet<>(json.path("identities").get(0).propertyNames()))
                .containsExactly("externalId", "platform");
    }

    @Test
    void awkwardValuesSurviveTheRoundTripUnchanged() {
        MemberChange change = MemberChange.of(
                Long.MAX_VALUE,
                Long.MAX_VALUE - 1,
                "+8613800138000",
                "用户.名@例子.中国",
                "\"quoted\" \\ back\\slash \u0000 nul, 😀 emoji",
                "DIAMOND",
                "FROZEN",
                List.of(
                        new MemberChange.Identity("wechat", "a:b:c"),
                        new MemberChange.Identity("qq", "x/y/../z"),
                        new MemberChange.Identity("alipay", "100%25%"),
                        new MemberChange.Identity("line", "ü:𝒳/%")),
                List.of(IdentifierKey.email("ÄLTER@Example.COM"), IdentifierKey.identity("wechat", ":")),
                0,
                -1);

        MemberChange read = MemberChange.fromJson(change.toJson());

        assertThat(read).isEqualTo(change);
        assertThat(read.holds(IdentifierKey.identity("wechat", "a:b:c"))).isTrue();
        assertThat(read.holds(IdentifierKey.identity("wechat", "a"))).isFalse();
        assertThat(read.holds(IdentifierKey.email("用户.名@例子.中国"))).isTrue();
    }

    @Test
    void aMemberWithoutMobileOrEmailHoldsOnlyItsIdentities() {
        MemberChange change = MemberChange.of(
                1,
                1,
                null,
                null,
                null,
                "NORMAL",
                "ACTIVE",
                List.of(new MemberChange.Identity("qq", "1")),
                List.of(),
                1,
                1);

        MemberChange read = MemberChange.fromJson(change.toJson());

        assertThat(read.identifiers()).containsExactly(IdentifierKey.identity("qq", "1"));
        assertThat(read.mobile()).isNull();
        assertThat(read.email()).isNull();
        assertThat(read.nickname()).isNull();
        assertThat(TREE.readTree(change.toJson()).path("email").isNull()).isTrue();
    }

    @Test
    void identifiersAreDerivedNormalizedFromTheMember() {
        MemberChange change = sample("+8613800138000", "Li.Lei@Example.COM");

        assertThat(change.identifiers())
                .containsExactly(
                        IdentifierKey.mobile("+8613800138000"),
                        new IdentifierKey(IdentifierKey.Kind.EMAIL, "li.lei@example.com"),
                        IdentifierKey.identity("wechat", "o:1"));
        assertThat(change.removedIdentifiers()).isEmpty();
    }

    @Test
    void fieldsANewerWriterAddsAreIgnoredSoARollingDeployKeepsReading() {
        String newer = STORED_BEFORE_THE_RECORD.replace(
                "\"version\":3,", "\"version\":3,\"tenant\":\"t-1\",\"tags\":[\"a\"],\"origin\":{\"dc\":\"B\"},");

        assertThat(MemberChange.fromJson(newer)).isEqualTo(MemberChange.fromJson(STORED_BEFORE_THE_RECORD));
    }

    @Test
    void aCachedValueWithoutRemovedIdentifiersReadsAsNoneRemoved() {
        String cached = STORED_BEFORE_THE_RECORD.replaceAll(",\"removedIdentifiers\":\\[[^]]*]", "");

        assertThat(MemberChange.fromJson(cached).removedIdentifiers()).isEmpty();
    }

    private static MemberChange sample(String mobile, String email) {
        return MemberChange.of(
                42,
                7,
                mobile,
                email,
                "Li Lei",
                "SILVER",
                "ACTIVE",
                List.of(new MemberChange.Identity("wechat", "o:1")),
                List.of(),
                1_764_547_200_000L,
                1_764_547_200_001L);
    }
}
