package io.membercenter.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarksFileTest {

    @TempDir
    Path folder;

    @Test
    void aNewFileStartsWithTheIntroductionAndHoldsTheSection() throws IOException {
        Path file = folder.resolve("BENCHMARKS.md");

        BenchmarksFile.writeSection(file, "skeleton", "## skeleton\n\nfirst run\n");

        String text = Files.readString(file);
        assertThat(text)
                .startsWith("# Benchmarks")
                .contains("share the machine's cores")
                .contains("first run");
    }

    @Test
    void aRunReplacesItsOwnSectionAndKeepsEverythingElse() {
        String document = BenchmarksFile.withSection("# Benchmarks\n\nnotes by hand\n", "skeleton", "first run");
        document = BenchmarksFile.withSection(document, "reads", "other scenario");
        document = document + "\nmore notes\n";

        String updated = BenchmarksFile.withSection(document, "skeleton", "second run");

        assertThat(updated)
                .contains("notes by hand", "other scenario", "more notes", "second run")
                .doesNotContain("first run");
        assertThat(updated.indexOf("second run")).isLessThan(updated.indexOf("other scenario"));
        assertThat(BenchmarksFile.withSection(updated, "skeleton", "second run"))
                .isEqualTo(updated);
    }

    @Test
    void aSectionWrittenUnderAnotherCommandSaysThatCommandAndKeepsItsPlace() {
        String document = BenchmarksFile.withSection("# Benchmarks\n", "failover", "master run");
        document = BenchmarksFile.withSection(document, "failover-redis-a", "failover --scenario redis-a", "redis run");
        document = BenchmarksFile.withSection(document, "flood", "flood run");

        String updated =
                BenchmarksFile.withSection(document, "failover-redis-a", "failover --scenario redis-a", "redis again");
        updated = BenchmarksFile.withSection(updated, "failover", "master again");

        assertThat(updated)
                .contains("<!-- BEGIN bench failover-redis-a: written by ./mc bench failover --scenario redis-a; "
                        + "edits inside are replaced at its next run -->\nredis again\n"
                        + "<!-- END bench failover-redis-a -->")
                .contains("<!-- BEGIN bench failover: written by ./mc bench failover; edits inside are replaced at "
                        + "its next run -->\nmaster again\n<!-- END bench failover -->")
                .doesNotContain("redis run", "master run");
        assertThat(updated.indexOf("master again")).isLessThan(updated.indexOf("redis again"));
        assertThat(updated.indexOf("redis again")).isLessThan(updated.indexOf("flood run"));
    }
}
