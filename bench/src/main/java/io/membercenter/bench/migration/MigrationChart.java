package io.membercenter.bench.migration;

import java.util.List;
import java.util.Locale;

/**
 * The migration's progress over time, as SVG (text that GitHub shows inline and that diffs between runs, as the
 * other charts in benchmarks/; see {@code report.LatencyChart} for why no charting library): on the left the rows
 * done against seconds since each copy began, the full sync and the raw bulk copy of the same rows on one axis, so
 * the slopes compare; on the right the incremental sync's end-to-end lag of each marker against seconds since the
 * legacy writer started, with the 2 s goal dashed across. Both panels linear from 0.
 */
final class MigrationChart {

    /** A point of a curve: x in seconds, y in the panel's unit. */
    record Point(double seconds, double value) {}

    private static final int WIDTH = 980, HEIGHT = 420;
    private static final int TOP = 50, BOTTOM = HEIGHT - 55;
    private static final int LEFT_A = 80, RIGHT_A = 460, LEFT_B = 570, RIGHT_B = 950;

    private MigrationChart() {}

    static String svg(String title, List<Point> fullSync, List<Point> rawCopy, List<Point> lagMillis, long goalMillis) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT));
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        out.append(text(WIDTH / 2.0, 22, escape(title), "middle", 15));
        double xMaxA = niceMax(Math.max(maxX(fullSync), maxX(rawCopy)));
        double yMaxA = niceMax(Math.max(maxY(fullSync), maxY(rawCopy)));
        panel(out, LEFT_A, RIGHT_A, xMaxA, yMaxA, "seconds since the copy began", "rows done");
        polyline(out, LEFT_A, RIGHT_A, xMaxA, yMaxA, rawCopy, "#ff7f0e");
        polyline(out, LEFT_A, RIGHT_A, xMaxA, yMaxA, fullSync, "#1f77b4");
        legend(out, LEFT_A + 10, TOP + 14, "#1f77b4", "full sync (claims + outbox)");
        legend(out, LEFT_A + 10, TOP + 30, "#ff7f0e", "raw bulk copy (COPY -> INSERT)");
        double xMaxB = niceMax(maxX(lagMillis));
        double yMaxB = niceMax(Math.max(maxY(lagMillis), goalMillis * 1.25));
        panel(out, LEFT_B, RIGHT_B, xMaxB, yMaxB, "seconds since the legacy writer started", "lag (ms)");
        double goalY = y(goalMillis, yMaxB);
        out.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d62728\" stroke-dasharray=\"6,4\"/>%n",
                LEFT_B,
                goalY,
                RIGHT_B,
                goalY));
        out.append(text(RIGHT_B - 4, goalY - 5, "goal p99 " + goalMillis + " ms", "end", 11));
        for (Point p : lagMillis) {
            out.append(String.format(
                    Locale.ROOT,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"#2ca02c\"/>%n",
                    x(p.seconds(), LEFT_B, RIGHT_B, xMaxB),
                    y(p.value(), yMaxB)));
        }
        legend(out, LEFT_B + 10, TOP + 14, "#2ca02c", "legacy commit -> member-center's API shows it");
        out.append("</svg>\n");
        return out.toString();
    }

    private static void panel(
            StringBuilder out, int left, int right, double xMax, double yMax, String xLabel, String yLabel) {
        out.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
                left,
                TOP,
                right - left,
                BOTTOM - TOP));
        for (int i = 0; i <= 4; i++) {
            double xv = xMax * i / 4, yv = yMax * i / 4;
            double px = x(xv, left, right, xMax), py = y(yv, yMax);
            out.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    left,
                    py,
                    right,
                    py));
            out.append(text(px, BOTTOM + 16, number(xv), "middle", 11));
            out.append(text(left - 6, py + 4, number(yv), "end", 11));
        }
        out.append(text((left + right) / 2.0, BOTTOM + 36, xLabel, "middle", 12));
        out.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 %d %.1f)\">%s</text>%n",
                left - 58,
                (TOP + BOTTOM) / 2.0,
                left - 58,
                (TOP + BOTTOM) / 2.0,
                yLabel));
    }

    private static void polyline(
            StringBuilder out, int left, int right, double xMax, double yMax, List<Point> points, String colour) {
        if (points.isEmpty()) return;
        StringBuilder coordinates = new StringBuilder();
        for (Point p : points) {
            coordinates.append(
                    String.format(Locale.ROOT, "%.1f,%.1f ", x(p.seconds(), left, right, xMax), y(p.value(), yMax)));
        }
        out.append(String.format(
                Locale.ROOT,
                "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                coordinates.toString().strip(),
                colour));
    }

    private static void legend(StringBuilder out, int x, int y, String colour, String label) {
        out.append(String.format(
                Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>%n", x, y - 4, colour));
        out.append(text(x + 20, y, escape(label), "start", 11));
    }

    private static String text(double x, double y, String content, String anchor, int size) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x,
                y,
                anchor,
                size,
                content);
    }

    private static double x(double value, int left, int right, double max) {
        return left + (right - left) * Math.min(1, Math.max(0, value / max));
    }

    private static double y(double value, double max) {
        return BOTTOM - (BOTTOM - TOP) * Math.min(1, Math.max(0, value / max));
    }

    private static double maxX(List<Point> points) {
        return points.stream().mapToDouble(Point::seconds).max().orElse(0);
    }

    private static double maxY(List<Point> points) {
        return points.stream().mapToDouble(Point::value).max().orElse(0);
    }

    /** The axis end: 1, 2, 2.5 or 5 times a power of ten at or above the value (1 for nothing). */
    static double niceMax(double value) {
        if (value <= 0) return 1;
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * power >= value) return step * power;
        }
        return 10 * power;
    }

    private static String number(double value) {
        if (value >= 1_000_000)
            return String.format(Locale.ROOT, "%.2gM", value / 1e6).replace(".0M", "M");
        if (value >= 10_000) return String.format(Locale.ROOT, "%.0fk", value / 1e3);
        if (value == Math.rint(value)) return String.format(Locale.ROOT, "%.0f", value);
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
