package io.membercenter.bench.report;

import io.membercenter.bench.load.LoadResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Results as a Markdown table and as an aligned console table: the same cells, two layouts. */
public final class ResultTable {

    private static final List<String> HEADER = List.of(
            "scenario",
            "mode",
            "concurrency",
            "ops/s",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "p99.9 ms",
            "max ms",
            "errors",
            "ratio to baseline",
            "CPU cores: JVM + servers + other",
            "I/O stall");
    /** Columns holding numbers are right-aligned. */
    private static final boolean[] NUMERIC = {
        false, false, false, true, true, true, true, true, true, true, false, false, true
    };

    private ResultTable() {}

    public static String markdown(List<ResultRow> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", HEADER)).append(" |\n|");
        for (boolean numeric : NUMERIC) {
            out.append(numeric ? "---:|" : "---|");
        }
        out.append('\n');
        for (ResultRow row : rows) {
            out.append("| ").append(String.join(" | ", cells(row))).append(" |\n");
        }
        return out.toString();
    }

    public static String console(List<ResultRow> rows) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(HEADER);
        rows.forEach(row -> lines.add(cells(row)));
        int[] widths = new int[HEADER.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i);
                String padding = " ".repeat(widths[i] - cell.length());
                out.append(NUMERIC[i] ? padding + cell : cell + padding).append(i + 1 < line.size() ? "  " : "\n");
            }
        }
        return out.toString();
    }

    static List<String> cells(ResultRow row) {
        LoadResult r = row.result();
        return List.of(
                row.scenario(),
                mode(r),
                concurrency(r),
                String.format(Locale.ROOT, "%,.0f", r.throughputPerSecond()),
                millis(r.latency().p50()),
                millis(r.latency().p90()),
                millis(r.latency().p99()),
                millis(r.latency().p999()),
                millis(r.latency().max()),
                errors(r),
                ratio(row),
                row.machine().map(MachineLoad::describeCpu).orElse("–"),
                row.machine().map(MachineLoad::describeIoStall).orElse("–"));
    }

    static String millis(Duration latency) {
        double ms = latency.toNanos() / 1e6;
        String pattern = ms < 10 ? "%.2f" : ms < 100 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, pattern, ms);
    }

    private static String mode(LoadResult r) {
        return r.isOpenLoop() ? String.format(Locale.ROOT, "open @ %,.0f/s", r.askedRate()) : "closed";
    }

    private static String concurrency(LoadResult r) {
        return r.isOpenLoop()
                ? "≤ " + r.concurrency() + " in flight"
                : r.concurrency() + (r.concurrency() == 1 ? " worker" : " workers");
    }

    private static String errors(LoadResult r) {
        return r.dropped() == 0 ? Long.toString(r.errors()) : r.errors() + " + " + r.dropped() + " dropped";
    }

    /** Throughput and latency of the service as multiples of its baseline's (× 0.25 ops/s: a quarter as many). */
    private static String ratio(ResultRow row) {
        return row.baseline()
                .map(base -> String.format(
                        Locale.ROOT,
                        "ops/s ×%s, p50 ×%s, p99 ×%s",
                        factor(row.result().throughputPerSecond(), base.throughputPerSecond()),
                        factor(row.result().latency().p50Nanos(), base.latency().p50Nanos()),
                        factor(row.result().latency().p99Nanos(), base.latency().p99Nanos())))
                .orElse("baseline");
    }

    private static String factor(double service, double baseline) {
        if (baseline <= 0) {
            return "–";
        }
        double factor = service / baseline;
        return String.format(Locale.ROOT, factor < 10 ? "%.2f" : "%.0f", factor);
    }
}
