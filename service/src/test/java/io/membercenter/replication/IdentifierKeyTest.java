package io.membercenter.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The identifier's text forms, owned by IdentifierKey alone. */
class IdentifierKeyTest {

    static Stream<Arguments> awkwardIdentifiers() {
        return Stream.of(
                Arguments.of(IdentifierKey.mobile("+8613800138000"), "MOBILE:+8613800138000", "M:+8613800138000"),
                Arguments.of(
                        IdentifierKey.email("Li.Lei@Example.com"), "EMAIL:li.lei@example.com", "E:li.lei@example.com"),
                Arguments.of(IdentifierKey.email("用户@例子.中国"), "EMAIL:用户@例子.中国", "E:用户@例子.中国"),
                Arguments.of(IdentifierKey.email("ÜBER.ß@b.de"), "EMAIL:über.ß@b.de", "E:über.ß@b.de"),
                Arguments.of(IdentifierKey.email("𝒳y@z.org"), "EMAIL:𝒳y@z.org", "E:𝒳y@z.org"),
                Arguments.of(IdentifierKey.identity("wechat", "o:a:b"), "IDENTITY:wechat:o:a:b", "I:wechat:o:a:b"),
                Arguments.of(IdentifierKey.identity("wechat", ":"), "IDENTITY:wechat::", "I:wechat::"),
                Arguments.of(IdentifierKey.identity("qq", "a/b/../c"), "IDENTITY:qq:a/b/../c", "I:qq:a/b/../c"),
                Arguments.of(IdentifierKey.identity("qq", "100%"), "IDENTITY:qq:100%", "I:qq:100%"),
                Arguments.of(IdentifierKey.identity("qq", "%2F%3A"), "IDENTITY:qq:%2F%3A", "I:qq:%2F%3A"),
                Arguments.of(IdentifierKey.identity("line", "ü 𝒳"), "IDENTITY:line:ü 𝒳", "I:line:ü 𝒳"));
    }

    @ParameterizedTest
    @MethodSource("awkwardIdentifiers")
    void searchKeyAndHashKeyAreKindThenColonThenTheNormalizedValue(IdentifierKey key, String search, String hash) {
        assertThat(key.searchKey()).isEqualTo(search);
        assertThat(key.hashKey()).isEqualTo(hash);
        assertThat(key.searchKey()).startsWith(key.kind().searchKeyPrefix());
    }

    @ParameterizedTest
    @MethodSource("awkwardIdentifiers")
    void parsingASearchKeyGivesBackTheIdentifier(IdentifierKey key, String search, String hash) {
        assertThat(IdentifierKey.parse(search)).isEqualTo(key);
        assertThat(new IdentifierKey(IdentifierKey.Kind.ofCode(key.code()), key.value()))
                .isEqualTo(key);
    }

    @Test
    void anIdentityKeepsEveryColonOfItsExternalIdAndThePlatformEndsAtTheFirst() {
        IdentifierKey key = IdentifierKey.parse("IDENTITY:wechat:a:b");

        assertThat(key).isEqualTo(IdentifierKey.identity("wechat", "a:b"));
        assertThat(key.value()).isEqualTo("wechat:a:b");
    }

    @Test
    void aNonIdentifierIsRefused() {
        assertThatThrownBy(() -> IdentifierKey.parse("no-colon")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdentifierKey.parse("PHONE:+86")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdentifierKey.Kind.ofCode("X")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdentifierKey.Kind.ofCode("ME")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdentifierKey(IdentifierKey.Kind.MOBILE, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmailsFirstCharacterIsMaskedWholeEvenOutsideTheBasicPlane() {
        assertThat(IdentifierKey.email("𝒳y@z.org").masked()).isEqualTo("𝒳***@z.org");
        assertThat(IdentifierKey.email("用户@例子.中国").masked()).isEqualTo("用***@例子.中国");
        assertThat(IdentifierKey.email("li.lei@example.com").masked()).isEqualTo("l***@example.com");
    }

    @Test
    void theLogFormNeverShowsAMobileAnEmailOrAnExternalId() {
        assertThat(IdentifierKey.mobile("+8613800138000").toString()).isEqualTo("MOBILE:+86138****8000");
        assertThat(IdentifierKey.email("li.lei@example.com").toString()).isEqualTo("EMAIL:l***@example.com");
        assertThat(IdentifierKey.identity("qq", "a:b").toString()).isEqualTo("IDENTITY:qq:****");
        assertThat(IdentifierKey.identity("wechat", "oXa1b29k").toString()).isEqualTo("IDENTITY:wechat:oX****9k");
    }
}
