package io.membercenter.member;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.replication.IdentifierKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaskingTest {

    @ParameterizedTest
    @CsvSource({
        "+8613800138000, +86138****8000",
        "+12025550123,   +120****0123",
        "+49301234567,   +493****4567",
        "+12345678,      +****5678",
        "+123456789,     +1****6789",
        "+123456789012345, +12345******2345",
    })
    void mobileKeepsAtMostFiveLeadingAndFourTrailingDigitsAndHidesAtLeastFour(String mobile, String masked) {
        assertThat(Masking.mobile(mobile)).isEqualTo(masked);
        String digits = masked.replaceAll("[^0-9]", "");
        assertThat(mobile.length() - 1 - digits.length()).isGreaterThanOrEqualTo(4);
    }

    @ParameterizedTest
    @CsvSource({"li.lei@example.com, l***@example.com", "a@b.example.org, a***@b.example.org"})
    void emailKeepsTheFirstCharacterAndTheDomain(String email, String masked) {
        assertThat(Masking.email(email)).isEqualTo(masked);
    }

    @ParameterizedTest
    @CsvSource({
        "wechat, oXa1b29k,      wechat:oX****9k",
        "wechat, oXa1b2c3d49k,  wechat:oX********9k",
        "qq,     123456,        qq:1****6",
        "qq,     12345,         qq:****5",
        "qq,     1234,          qq:****",
        "qq,     a,             qq:****",
        "apple,  a:b/c%d;e:f,   apple:a:*******:f",
    })
    void identityKeepsThePlatformAtMostTwoLeadingAndTwoTrailingCharactersAndHidesAtLeastFour(
            String platform, String externalId, String masked) {
        String shown = Masking.identity(platform, externalId);

        assertThat(shown).isEqualTo(masked);
        assertThat(shown).startsWith(platform + ":");
        String kept = shown.substring(platform.length() + 1).replace("*", "");
        assertThat(kept.length()).isLessThanOrEqualTo(4);
        assertThat(externalId.length() - kept.length()).isGreaterThanOrEqualTo(Math.min(4, externalId.length()));
    }

    @org.junit.jupiter.api.Test
    void anIdentityKeyIsMaskedInConflictsAndLogs() {
        IdentifierKey key = IdentifierKey.identity("wechat", "oXa1b29k");

        assertThat(key.masked()).isEqualTo("wechat:oX****9k");
        assertThat(key.toString()).doesNotContain("oXa1b29k");
    }
}
