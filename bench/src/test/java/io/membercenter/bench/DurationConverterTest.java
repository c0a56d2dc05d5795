package io.membercenter.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "10s, PT10S", "2m, PT2M", "1h, PT1H", "PT3S, PT3S"})
    void readsDurationsAsPeopleTypeThem(String typed, String expected) {
        assertThat(converter.convert(typed)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({"ten seconds", "10", "-5s"})
    void refusesWhatIsNotADuration(String typed) {
        assertThatThrownBy(() -> converter.convert(typed))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("not a duration");
    }
}
