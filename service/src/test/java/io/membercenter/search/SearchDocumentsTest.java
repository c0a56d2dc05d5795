package io.membercenter.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.MemberChange;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two search documents are built from a {@link MemberChange} and read back into one, and fit their
 * index mappings (both {@code dynamic: strict}: a field the mapping lacks would fail every bulk item).
 */
class SearchDocumentsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final MemberChange CHANGE = MemberChange.of(
            9_007_199_254_740_993L,
            4,
            "+8613800138000",
            "用户@例子.中国",
            "Li Lei",
            "GOLD",
            "ACTIVE",
            List.of(new MemberChange.Identity("wechat", "o:a/b%c"), new MemberChange.Identity("qq", "1")),
            List.of(IdentifierKey.email("old@example.com")),
            1_764_547_200_000L,
            1_764_550_800_123L);

    @Test
    void aMemberDocumentHasOnlyFieldsOfTheMembersMapping() throws Exception {
        JsonNode document = JSON.readTree(JSON.writeValueAsString(MemberDocument.of(CHANGE)));

        assertThat(fields(document)).isSubsetOf(mappedFields("search/members-index.json"));
        assertThat(document.path("memberId").isIntegralNumber()).isTrue();
        assertThat(document.path("platforms")).extracting(JsonNode::asString).containsExactly("wechat", "qq");
        assertThat(document.path("createdAt").asLong()).isEqualTo(1_764_547_200_000L);
    }

    @Test
    void aMemberWithoutEmailHasNoEmailFieldInItsDocument() {
        MemberChange noEmail =
                MemberChange.of(1, 1, "+8613800138000", null, null, "NORMAL", "ACTIVE", List.of(), List.of(), 1, 1);

        JsonNode document = JSON.readTree(JSON.writeValueAsString(MemberDocument.of(noEmail)));

        assertThat(document.has("email")).isFalse();
        assertThat(document.has("nickname")).isFalse();
    }

    @Test
    void aDocumentReadBackIsTheChangeLessWhatItRemoved() {
        MemberDocument read = JSON.readValue(JSON.writeValueAsString(MemberDocument.of(CHANGE)), MemberDocument.class);

        MemberChange asChange = read.asChange();

        assertThat(asChange.removedIdentifiers()).isEmpty();
        assertThat(asChange)
                .usingRecursiveComparison()
                .ignoringFields("removedIdentifiers")
                .isEqualTo(CHANGE);
        assertThat(asChange.holds(IdentifierKey.identity("wechat", "o:a/b%c"))).isTrue();
        assertThat(asChange.holds(IdentifierKey.email("用户@例子.中国"))).isTrue();
    }

    @Test
    void anIdentifierDocumentFitsItsMappingAndIsNamedByIdentifierAndMember() throws Exception {
        IdentifierKey identity = IdentifierKey.identity("wechat", "o:a/b%c");

        JsonNode document = JSON.readTree(JSON.writeValueAsString(IdentifierDocument.of(identity, 42, 4)));

        assertThat(fields(document)).isEqualTo(mappedFields("search/member-identifiers-index.json"));
        assertThat(document.path("key").asString()).isEqualTo("IDENTITY:wechat:o:a/b%c");
        assertThat(IdentifierDocument.id(identity, 42)).isEqualTo("IDENTITY:wechat:o:a/b%c:42");
    }

    private static Set<String> fields(JsonNode document) {
        return new TreeSet<>(document.propertyNames());
    }

    /** The mapping file has placeholders in its settings only; its mappings are plain JSON. */
    private static Set<String> mappedFields(String resource) throws Exception {
        try (InputStream in = SearchDocumentsTest.class.getClassLoader().getResourceAsStream(resource)) {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String mappings = text.substring(text.indexOf("\"mappings\""));
            JsonNode properties = JSON.readTree("{" + mappings).path("mappings").path("properties");
            return fields(properties);
        }
    }
}
