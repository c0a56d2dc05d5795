package io.membercenter.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every benchmark command shares for where its results go: {@code --report FILE} (BENCHMARKS.md by
 * default) and {@code --no-report}. A picocli mixin, so that every command (suite, outage, failover, flood, flow) spells, default
 * and document them alike.
 */
public final class ReportOptions {

    @Option(
            names = "--report",
            defaultValue = "BENCHMARKS.md",
            description = "The file whose ${COMMAND-NAME} section is rewritten (default: ${DEFAULT-VALUE}).")
    private Path report;

    @Option(names = "--no-report", description = "Print the results only.")
    private boolean noReport;

    /** Whether the run writes its section (no {@code --no-report}). */
    public boolean wanted() {
        return !noReport;
    }

    /** The folder the report is in: charts are written next to it. */
    public Path folder() {
        return report.toAbsolutePath().getParent();
    }

    /** Rewrites the section {@code name} of the report with {@code body}; returns the report's path, for the log. */
    public Path writeSection(String name, String body) throws IOException {
        return writeSection(name, name, body);
    }

    /** As {@link #writeSection(String, String)}, for a section that {@code ./mc bench command ...} writes. */
    public Path writeSection(String name, String command, String body) throws IOException {
        BenchmarksFile.writeSection(report, name, command, body);
        return report.toAbsolutePath().normalize();
    }
}
