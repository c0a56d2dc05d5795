package io.membercenter.member;

import static org.assertj.core.api.Assertions.assertThat;

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
}
