package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.bench.report.RunEnvironment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdleCommandTest {

    @Test
    void eachProcessGetsTheTicksItUsedOverTheWindowAndTheVerdictIsOnTheirSum() {
        Map<String, Long> before = new LinkedHashMap<>(Map.of("service JVM", 1_000L, "kafka", 500L));
        Map<String, Long> after = new LinkedHashMap<>(Map.of("service JVM", 1_300L, "kafka", 560L, "mysql-a", 30L));

        Map<String, Double> cores = IdleCommand.cores(before, after, 60);

        assertThat(cores).containsEntry("service JVM", 0.05).containsEntry("kafka", 0.01);
        assertThat(cores.get("mysql-a")).as("a process started in the window").isEqualTo(0.005);
        String markdown = IdleCommand.markdown(cores, Optional.empty(), RunEnvironment.capture(List.of("idle")));
        assertThat(markdown).contains("**0.065 cores**").contains("— met.").contains("| kafka | 0.010 |");
        assertThat(markdown.indexOf("service JVM")).isLessThan(markdown.indexOf("| kafka"));
    }

    @Test
    void aTotalAtTheGoalOrAboveIsNotMet() {
        String markdown = IdleCommand.markdown(
                Map.of("service JVM", 0.1), Optional.empty(), RunEnvironment.capture(List.of("idle")));
        assertThat(markdown).contains("— not met.");
    }
}
