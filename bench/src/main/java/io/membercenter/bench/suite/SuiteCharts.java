package io.membercenter.bench.suite;

import io.membercenter.bench.report.LatencyChart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One latency-against-throughput chart per swept scenario, every contender a series, written next to the report. */
final class SuiteCharts {

    private SuiteCharts() {}

    /** Returns scenario name → the chart's path relative to {@code reportDir}, for the report to link. */
    static Map<String, String> write(
            List<ScenarioResult> results, SuiteSettings settings, Path reportDir, Path chartsDir) throws IOException {
        Path folder = reportDir.resolve(chartsDir);
        Files.createDirectories(folder);
        Map<String, String> written = new LinkedHashMap<>();
        for (ScenarioResult result : results) {
            if (result.sweeps().isEmpty()) continue;
            List<LatencyChart.Series> series = new ArrayList<>();
            for (ScenarioResult.ContenderSweep sweep : result.sweeps()) {
                series.add(LatencyChart.Series.of(sweep.contender(), sweep.result()));
            }
            Path file = folder.resolve(result.name() + ".svg");
            new LatencyChart(result.name() + ": " + result.title(), settings.p99Bound(), series).write(file);
            written.put(result.name(), reportDir.relativize(file).toString().replace('\\', '/'));
        }
        return written;
    }
}
