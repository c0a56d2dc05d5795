package io.membercenter.bench.population;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void aLineShowsTheShareDoneAsABarAndAPercentage() {
        ProgressBar bar = new ProgressBar("loading", 1_000, new PrintStream(new ByteArrayOutputStream()), false);

        String line = bar.line(250, System.nanoTime());

        assertThat(line)
                .contains("loading")
                .contains("[" + "#".repeat(7) + ".".repeat(23) + "]")
                .contains(" 25%")
                .contains("250/1,000");
    }

    @Test
    void withoutATerminalItPrintsOneLinePerTenthNotPerCall() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("loading", 1_000, new PrintStream(out, true, StandardCharsets.UTF_8), false);

        for (int done = 1; done <= 1_000; done++) bar.show(done);

        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .hasSize(11)
                .last()
                .asString()
                .contains("100%");
    }
}
