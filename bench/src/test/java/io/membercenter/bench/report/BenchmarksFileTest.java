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
}
