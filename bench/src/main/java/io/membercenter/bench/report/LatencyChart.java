package io.membercenter.bench.report;

import io.membercenter.bench.load.LoadResult;
import io.membercenter.bench.load.SweepResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;

/**
 * A latency-vs-throughput chart as SVG: for each system, p50 and p99 at each throughput it achieved, with the
 * p99 bound across, so the rate where a curve crosses the bound can be read off and compared between systems.
 *
 * <p>Written here, not drawn by a charting library: JFreeChart or XChart would add a dependency and render
 * through AWT, which needs fonts and a headless toolkit on a build machine that has neither; SVG is text,
 * which GitHub shows inline in BENCHMARKS.md and which diffs between runs; and a line chart is a page of code.
 *
 * <p>Latency is on a log scale: a sweep goes from a fraction of a millisecond at light load to seconds past
 * the limit, and on a linear scale every point under the bound would lie flat on the axis. Throughput is
 * linear from 0. Each series' points are joined in the order given (a sweep's: by asked rate), so a system
 * whose throughput falls when overloaded is drawn bending back. Latencies of 0 (nothing measured) are drawn on
 * the bottom edge.
 *
 * @param title    above the chart
 * @param p99Bound drawn as a dashed horizontal line
 * @param series   one colour each, in legend order
 */
public record LatencyChart(String title, Duration p99Bound, List<Series> series) {

    private static final int HEIGHT = 480;
    /** The plot area, in SVG pixels; the legend goes to its right, as wide as its longest name. */
    private static final int LEFT = 70, TOP = 50, RIGHT = 600, BOTTOM = HEIGHT - 60;
    /** A generous average width of a 12 px sans-serif character: no font metrics without AWT. */
    private static final double CHARACTER_WIDTH = 7.5;

    private static final List<String> COLOURS =
            List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf");

    public LatencyChart {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(p99Bound, "p99Bound");
        if (p99Bound.isNegative() || p99Bound.isZero()) {
            throw new IllegalArgumentException("p99Bound must be positive, was " + p99Bound);
        }
        series = List.copyOf(series);
    }

    /** A self-contained SVG document. */
    public String svg() {
        XAxis x = XAxis.fitting(
                points().mapToDouble(Point::throughputPerSecond).max().orElse(0));
        // Half and twice the bound: the bound line never lies on an edge of the plot, even without data.
        YAxis y = YAxis.fitting(Stream.concat(
                        points().flatMap(p -> Stream.of(p.p50Millis(), p.p99Millis())),
                        Stream.of(boundMillis() / 2, boundMillis() * 2))
                .filter(ms -> ms > 0)
                .toList());
        int width = width();
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
                width,
                HEIGHT,
                width,
                HEIGHT));
        svg.append("<title>").append(xml(title)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, width / 2.0, 28, "middle", "font-size=\"16\" font-weight=\"bold\"", title);
        axes(svg, x, y);
        double boundY = y.position(boundMillis());
        svg.append(String.format(
                Locale.ROOT,
                "<line class=\"p99-bound\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                        + "stroke=\"#444\" stroke-width=\"1.5\" stroke-dasharray=\"8 4\"/>\n",
                LEFT,
                boundY,
                RIGHT,
                boundY));
        text(svg, RIGHT - 4, boundY - 5, "end", "fill=\"#444\"", "p99 bound " + number(boundMillis()) + " ms");
        for (int i = 0; i < series.size(); i++) {
            plot(svg, series.get(i), colour(i), x, y);
        }
        if (points().findAny().isEmpty()) {
            // A third of the way down: the bound, with nothing else to fit, lies in the middle.
            text(svg, (LEFT + RIGHT) / 2.0, TOP + (BOTTOM - TOP) / 3.0, "middle", "fill=\"#888\"", "no data");
        }
        legend(svg);
        return svg.append("</svg>\n").toString();
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, svg(), StandardCharsets.UTF_8);
    }

    private void axes(StringBuilder svg, XAxis x, YAxis y) {
        for (double value : x.ticks()) {
            double at = x.position(value);
            svg.append(line(at, TOP, at, BOTTOM, "#eee"));
            text(svg, at, BOTTOM + 16, "middle", "", number(value));
        }
        for (YAxis.Tick tick : y.ticks()) {
            double at = y.position(tick.millis());
            svg.append(line(LEFT, at, RIGHT, at, tick.labelled() ? "#ddd" : "#f2f2f2"));
            if (tick.labelled()) {
                text(svg, LEFT - 6, at + 4, "end", "", number(tick.millis()));
            }
        }
        svg.append(String.format(
                Locale.ROOT,
                "<rect class=\"plot-area\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                        + "fill=\"none\" stroke=\"#888\"/>\n",
                LEFT,
                TOP,
                RIGHT - LEFT,
                BOTTOM - TOP));
        text(svg, (LEFT + RIGHT) / 2.0, HEIGHT - 20, "middle", "", "throughput achieved (ops/s)");
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"20\" y=\"%.1f\" text-anchor=\"middle\" "
                        + "transform=\"rotate(-90 20 %.1f)\">latency (ms, log scale)</text>\n",
                (TOP + BOTTOM) / 2.0,
                (TOP + BOTTOM) / 2.0));
    }

    /** p99 solid with round markers, p50 dotted with square ones: one colour per series, two lines each. */
    private static void plot(StringBuilder svg, Series series, String colour, XAxis x, YAxis y) {
        if (series.points().isEmpty()) {
            return;
        }
        svg.append("<g class=\"series\">\n");
        StringBuilder p99 = new StringBuilder(), p50 = new StringBuilder();
        for (Point point : series.points()) {
            p99.append(coordinates(x.position(point.throughputPerSecond()), y.position(point.p99Millis())))
                    .append(' ');
            p50.append(coordinates(x.position(point.throughputPerSecond()), y.position(point.p50Millis())))
                    .append(' ');
        }
        svg.append(polyline("p99", p99.toString().strip(), colour, "2", ""));
        svg.append(polyline("p50", p50.toString().strip(), colour, "1.5", " stroke-dasharray=\"2 3\""));
        for (Point point : series.points()) {
            double at = x.position(point.throughputPerSecond());
            svg.append(marker("p99", at, y.position(point.p99Millis()), colour));
            svg.append(marker("p50", at, y.position(point.p50Millis()), colour));
        }
        svg.append("</g>\n");
    }

    private void legend(StringBuilder svg) {
        svg.append("<g class=\"legend\">\n");
        double at = TOP + 10;
        for (int i = 0; i < series.size(); i++, at += 20) {
            svg.append(line(RIGHT + 20, at, RIGHT + 44, at, colour(i), "2"));
            svg.append(marker("p99", RIGHT + 32, at, colour(i)));
            text(svg, RIGHT + 52, at + 4, "start", "", legendLabel(series.get(i)));
        }
        at += 10;
        svg.append(line(RIGHT + 20, at, RIGHT + 44, at, "#666", "2")).append(marker("p99", RIGHT + 32, at, "#666"));
        text(svg, RIGHT + 52, at + 4, "start", "fill=\"#666\"", "p99");
        at += 20;
        svg.append(polyline(
                        "",
                        coordinates(RIGHT + 20, at) + " " + coordinates(RIGHT + 44, at),
                        "#666",
                        "1.5",
                        " stroke-dasharray=\"2 3\""))
                .append(marker("p50", RIGHT + 32, at, "#666"));
        text(svg, RIGHT + 52, at + 4, "start", "fill=\"#666\"", "p50");
        svg.append("</g>\n");
    }

    private static String legendLabel(Series series) {
        return series.name() + (series.points().isEmpty() ? " (no data)" : "");
    }

    /** Room for the plot, the legend's longest label and the title. */
    private int width() {
        int longest =
                series.stream().mapToInt(one -> legendLabel(one).length()).max().orElse(0);
        double legend = RIGHT + 52 + longest * CHARACTER_WIDTH + 20;
        double heading = title.length() * CHARACTER_WIDTH * 16 / 12 + 40;
        return (int) Math.ceil(Math.max(Math.max(legend, heading), RIGHT + 120));
    }

    private Stream<Point> points() {
        return series.stream().flatMap(one -> one.points().stream());
    }

    private double boundMillis() {
        return p99Bound.toNanos() / 1e6;
    }

    private static String colour(int index) {
        return COLOURS.get(index % COLOURS.size());
    }

    private static String polyline(String percentile, String points, String colour, String width, String extra) {
        String kind = percentile.isEmpty() ? "" : " class=\"" + percentile + "\"";
        return String.format(
                Locale.ROOT,
                "<polyline%s points=\"%s\" fill=\"none\" stroke=\"%s\" " + "stroke-width=\"%s\"%s/>\n",
                kind,
                points,
                colour,
                width,
                extra);
    }

    private static String marker(String percentile, double x, double y, String colour) {
        return percentile.equals("p99")
                ? String.format(
                        Locale.ROOT,
                        "<circle class=\"p99\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n",
                        x,
                        y,
                        colour)
                : String.format(
                        Locale.ROOT,
                        "<rect class=\"p50\" x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"6\" " + "fill=\"%s\"/>\n",
                        x - 3,
                        y - 3,
                        colour);
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return line(x1, y1, x2, y2, colour, "1");
    }

    private static String line(double x1, double y1, double x2, double y2, String colour, String width) {
        return String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" " + "stroke-width=\"%s\"/>\n",
                x1,
                y1,
                x2,
                y2,
                colour,
                width);
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, String style, String content) {
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>\n",
                x,
                y,
                anchor,
                style.isEmpty() ? "" : " " + style,
                xml(content)));
    }

    private static String coordinates(double x, double y) {
        return String.format(Locale.ROOT, "%.1f,%.1f", x, y);
    }

    /** e.g. 1,000 or 0.05: grouped thousands, no trailing zeros. */
    static String number(double value) {
        return new DecimalFormat("#,##0.######", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(value);
    }

    static String xml(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    /** Linear from 0 to a round number a little above the highest throughput. */
    private record XAxis(double max, double step) {

        static XAxis fitting(double highest) {
            double top = Math.max(highest * 1.05, 10);
            double step = roundStep(top / 5);
            return new XAxis(Math.ceil(top / step) * step, step);
        }

        /** 1, 2 or 5 times a power of ten: ticks a reader can add up. */
        private static double roundStep(double raw) {
            double power = Math.pow(10, Math.floor(Math.log10(raw)));
            double factor = raw / power;
            return (factor <= 1 ? 1 : factor <= 2 ? 2 : factor <= 5 ? 5 : 10) * power;
        }

        List<Double> ticks() {
            return Stream.iterate(0.0, value -> value <= max + step / 1e6, value -> value + step)
                    .toList();
        }

        double position(double throughput) {
            return LEFT + throughput / max * (RIGHT - LEFT);
        }
    }

    /** Logarithmic over whole decades, from the one below the lowest latency to the one above the highest. */
    private record YAxis(int lowestDecade, int highestDecade) {

        static YAxis fitting(List<Double> latencies) {
            int lowest = (int) Math.floor(
                    Math.log10(latencies.stream().min(Double::compare).orElseThrow()));
            int highest = (int)
                    Math.ceil(Math.log10(latencies.stream().max(Double::compare).orElseThrow()));
            return new YAxis(lowest, Math.max(highest, lowest + 1));
        }

        /** 1, 2 and 5 of every decade; 2 and 5 only as faint lines when more than three decades crowd the axis. */
        List<Tick> ticks() {
            boolean fewDecades = highestDecade - lowestDecade <= 3;
            return Stream.iterate(lowestDecade, decade -> decade <= highestDecade, decade -> decade + 1)
                    .flatMap(decade -> Stream.of(1, 2, 5)
                            .filter(factor -> decade < highestDecade || factor == 1)
                            .map(factor -> new Tick(
                                    BigDecimal.valueOf(factor)
                                            .scaleByPowerOfTen(decade)
                                            .doubleValue(),
                                    factor == 1 || fewDecades)))
                    .toList();
        }

        double position(double millis) {
            double decades = Math.log10(Math.max(millis, Math.pow(10, lowestDecade))) - lowestDecade;
            return BOTTOM - decades / (highestDecade - lowestDecade) * (BOTTOM - TOP);
        }

        record Tick(double millis, boolean labelled) {}
    }

    /** One measured load: what a system achieved and the latency it took. */
    public record Point(double throughputPerSecond, double p50Millis, double p99Millis) {

        public Point {
            if (!DoubleStream.of(throughputPerSecond, p50Millis, p99Millis)
                    .allMatch(value -> value >= 0 && Double.isFinite(value))) {
                throw new IllegalArgumentException("a point needs finite, non-negative numbers, was "
                        + throughputPerSecond + " ops/s, p50 " + p50Millis + " ms, p99 " + p99Millis + " ms");
            }
        }

        static Point of(LoadResult result) {
            return new Point(
                    result.throughputPerSecond(),
                    result.latency().p50Nanos() / 1e6,
                    result.latency().p99Nanos() / 1e6);
        }
    }

    /** One system's curve, e.g. {@code service} or {@code jdbc baseline}. */
    public record Series(String name, List<Point> points) {

        public Series {
            Objects.requireNonNull(name, "name");
            points = List.copyOf(points);
        }

        /** Every step of a sweep, held or not (the curve past the bound is the point), that measured something. */
        public static Series of(String name, SweepResult sweep) {
            return new Series(
                    name,
                    sweep.steps().stream()
                            .filter(step -> step.result().succeeded() > 0)
                            .map(step -> Point.of(step.result()))
                            .toList());
        }
    }
}
