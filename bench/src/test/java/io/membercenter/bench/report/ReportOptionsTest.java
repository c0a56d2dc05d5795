package io.membercenter.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ReportOptionsTest {

    @TempDir
    Path folder;

    @Command(name = "outage")
    static final class SomeBench implements Callable<Integer> {
        @Mixin
        ReportOptions report;

        @Override
        public Integer call() throws IOException {
            if (report.wanted()) report.writeSection("outage", "## outage\n\nmeasured\n");
            return 0;
        }
    }

    @Test
    void withoutOptionsTheReportIsBenchmarksMdAndIsWritten() {
        SomeBench bench = new SomeBench();
        new CommandLine(bench).parseArgs();

        assertThat(bench.report.wanted()).isTrue();
        assertThat(bench.report.folder())
                .isEqualTo(Path.of("BENCHMARKS.md").toAbsolutePath().getParent());
    }

    @Test
    void reportNamesTheFileWhoseSectionIsRewrittenAndItsFolderHoldsTheCharts() throws IOException {
        Path file = folder.resolve("elsewhere.md");

        int exit = new CommandLine(new SomeBench()).execute("--report", file.toString());

        assertThat(exit).isZero();
        assertThat(Files.readString(file)).contains("## outage").contains("measured");
        SomeBench bench = new SomeBench();
        new CommandLine(bench).parseArgs("--report", file.toString());
        assertThat(bench.report.folder()).isEqualTo(folder.toAbsolutePath());
    }

    @Test
    void noReportWritesNothing() {
        Path file = folder.resolve("untouched.md");

        int exit = new CommandLine(new SomeBench()).execute("--no-report", "--report", file.toString());

        assertThat(exit).isZero();
        assertThat(file).doesNotExist();
    }

    @Test
    void theHelpNamesTheCommandsOwnSection() {
        String usage = new CommandLine(new SomeBench()).getUsageMessage();

        assertThat(usage.replaceAll("\\s+", " "))
                .contains("The file whose outage section is rewritten (default: BENCHMARKS.md)");
    }

    @Test
    void theRunBlockOfEveryReportSaysWhereWhenAndFromWhatItCame() {
        RunEnvironment environment = new RunEnvironment(
                "2",
                "23.5 GiB",
                "Some CPU",
                "Eclipse Adoptium 25+36",
                "-Xmx1g",
                "abc1234",
                "0.50 0.40 0.30",
                Instant.parse("2026-12-01T17:00:00Z"),
                "./mc bench outage --seconds 160");

        assertThat(environment.markdown()).isEqualTo("""
                        Run:
                        - started 2026-12-01T17:00:00Z, commit `abc1234`
                        - command: `./mc bench outage --seconds 160`
                        - machine: 2 cores (nproc), 23.5 GiB, Some CPU; load average 0.50 0.40 0.30 when the run began
                        - JDK: Eclipse Adoptium 25+36, flags `-Xmx1g`
                        """);
    }
}
