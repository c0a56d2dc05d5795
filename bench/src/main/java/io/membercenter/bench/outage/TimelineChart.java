package io.membercenter.bench.outage;

import io.membercenter.bench.outage.Timeline.Bucket;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The run against time, as SVG (hand-written for the reasons of {@code report.LatencyChart}): three panels
 * on one time axis, each bucket a point, the outage shaded across all three.
 * <ol>
 *   <li>reads per second: answered 200 (fresh or stale), of those stale, and not answered 200;</li>
 *   <li>writes per second: acknowledged, refused with 503 + Retry-After, and everything else that was not
 *       acknowledged (another status, no answer, dropped);</li>
 *   <li>the p99 of the write answer times of each bucket, whatever the answer, on a log scale, with the
 *       goal across.</li>
 * </ol>
 * Reads and writes get a panel each because at 5 % writes they differ twentyfold, and on one linear
 * axis the writes would lie on the floor.
 */
record TimelineChart(
        String title,
        List<Bucket> buckets,
        OutageWindow outage,
        long warmupNanos,
        Duration writeGoal,
        String shadeBegins,
        String shadeEnds) {

    private static final int LEFT = 70, RIGHT = 760, TOP = 60, PANEL = 150, GAP = 55;
    private static final int HEIGHT = TOP + 3 * PANEL + 2 * GAP + 50;
    private static final int WIDTH = 980;
    private static final String GREEN = "#2ca02c", ORANGE = "#ff7f0e", RED = "#d62728", BLUE = "#1f77b4";

    /** The outage benchmark's chart: the shading is mysql-a's outage. */
    TimelineChart(String title, List<Bucket> buckets, OutageWindow outage, long warmupNanos, Duration writeGoal) {
        this(title, buckets, outage, warmupNanos, writeGoal, "mysql-a stopped", "back");
    }

    TimelineChart {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(shadeBegins, "shadeBegins");
        Objects.requireNonNull(shadeEnds, "shadeEnds");
        Objects.requireNonNull(outage, "outage");
        buckets = List.copyOf(buckets);
        if (buckets.isEmpty()) throw new IllegalArgumentException("a timeline needs at least one bucket");
    }

    void write(Path file) throws IOException {
        Files.writeString(file, svg(), StandardCharsets.UTF_8);
    }

    String svg() {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">\n",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT));
        svg.append("<title>").append(xml(title)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, WIDTH / 2.0, 26, "middle", "font-size=\"16\" font-weight=\"bold\"", title);
        double end = buckets.getLast().endNanos() / 1e9;
        TimeAxis time = new TimeAxis(end, roundStep(end / 10));
        int top = TOP;
        linearPanel(
                svg,
                time,
                top,
                "reads per second",
                List.of(
                        new Line(
                                "answered 200",
                                GREEN,
                                "",
                                b -> b.perSecond(b.reads().succeeded())),
                        new Line(
                                "of them X-Member-Stale",
                                BLUE,
                                " stroke-dasharray=\"5 3\"",
                                b -> b.perSecond(b.reads().stale())),
                        new Line(
                                "not answered 200",
                                RED,
                                "",
                                b -> b.perSecond(b.reads().errors() + b.reads().dropped()))));
        top += PANEL + GAP;
        linearPanel(
                svg,
                time,
                top,
                "writes per second",
                List.of(
                        new Line(
                                "acknowledged",
                                GREEN,
                                "",
                                b -> b.perSecond(b.writes().succeeded())),
                        new Line(
                                "503 + Retry-After",
                                ORANGE,
                                "",
                                b -> b.perSecond(b.writes().refused())),
                        new Line(
                                "other failure or drop",
                                RED,
                                "",
                                b -> b.perSecond(
                                        b.writes().failed() + b.writes().dropped()))));
        top += PANEL + GAP;
        latencyPanel(svg, time, top);
        text(svg, (LEFT + RIGHT) / 2.0, HEIGHT - 14, "middle", "", "seconds since the load began (250 ms buckets)");
        return svg.append("</svg>\n").toString();
    }

    /** One curve of a panel: a name for the legend and what it plots of each bucket. */
    private record Line(String name, String colour, String dash, ToDoubleFunction<Bucket> value) {}

    private void linearPanel(StringBuilder svg, TimeAxis time, int top, String label, List<Line> lines) {
        double highest = lines.stream()
                .flatMapToDouble(line -> buckets.stream().mapToDouble(line.value()))
                .max()
                .orElse(0);
        double step = roundStep(Math.max(highest * 1.1, 1) / 4);
        double max = Math.ceil(Math.max(highest * 1.1, 1) / step) * step;
        int bottom = top + PANEL;
        frame(svg, time, top, label);
        for (double value = 0; value <= max + step / 1e6; value += step) {
            double y = bottom - value / max * PANEL;
            svg.append(line(LEFT, y, RIGHT, y, "#e5e5e5", "1", ""));
            text(svg, LEFT - 6, y + 4, "end", "", number(value));
        }
        int legend = top + 10;
        for (Line line : lines) {
            StringBuilder points = new StringBuilder();
            for (Bucket bucket : buckets) {
                points.append(point(
                        time.position(middle(bucket)), bottom - line.value().applyAsDouble(bucket) / max * PANEL));
            }
            svg.append(polyline(line.name(), points.toString().strip(), line.colour(), line.dash()));
            legend(svg, legend, line.name(), line.colour(), line.dash());
            legend += 18;
        }
        border(svg, top);
    }

    private void latencyPanel(StringBuilder svg, TimeAxis time, int top) {
        double goal = writeGoal.toNanos() / 1e6;
        List<Double> values = new ArrayList<>(List.of(goal / 2, goal * 2));
        buckets.stream().filter(b -> b.writeP99Nanos() > 0).forEach(b -> values.add(b.writeP99Nanos() / 1e6));
        int lowest =
                (int) Math.floor(Math.log10(values.stream().min(Double::compare).orElseThrow()));
        int highest = Math.max(
                (int) Math.ceil(Math.log10(values.stream().max(Double::compare).orElseThrow())), lowest + 1);
        int bottom = top + PANEL;
        ToDoubleFunction<Double> y =
                ms -> bottom - (Math.log10(Math.max(ms, Math.pow(10, lowest))) - lowest) / (highest - lowest) * PANEL;
        frame(svg, time, top, "write answer time, p99 per bucket (ms, log)");
        for (int decade = lowest; decade <= highest; decade++) {
            double ms = BigDecimal.ONE.scaleByPowerOfTen(decade).doubleValue();
            svg.append(line(LEFT, y.applyAsDouble(ms), RIGHT, y.applyAsDouble(ms), "#e5e5e5", "1", ""));
            text(svg, LEFT - 6, y.applyAsDouble(ms) + 4, "end", "", number(ms));
        }
        double goalY = y.applyAsDouble(goal);
        svg.append(line(LEFT, goalY, RIGHT, goalY, "#444", "1.5", " class=\"goal\" stroke-dasharray=\"8 4\""));
        text(svg, RIGHT - 4, goalY - 5, "end", "fill=\"#444\"", "goal " + number(goal) + " ms");
        // A bucket without writes breaks the line rather than being drawn as 0 ms.
        List<StringBuilder> runs = new ArrayList<>();
        StringBuilder run = null;
        for (Bucket bucket : buckets) {
            if (bucket.writeP99Nanos() <= 0) {
                run = null;
                continue;
            }
            if (run == null) runs.add(run = new StringBuilder());
            run.append(point(time.position(middle(bucket)), y.applyAsDouble(bucket.writeP99Nanos() / 1e6)));
        }
        for (StringBuilder points : runs) {
            String line = points.toString().strip();
            if (line.contains(" ")) {
                svg.append(polyline("write p99", line, ORANGE, ""));
            } else {
                String[] xy = line.split(",");
                svg.append(String.format(
                        Locale.ROOT,
                        "<circle class=\"series\" data-series=\"write p99\" cx=\"%s\" cy=\"%s\" r=\"1.5\" fill=\"%s\"/>\n",
                        xy[0],
                        xy[1],
                        ORANGE));
            }
        }
        legend(svg, top + 10, "write p99 (any answer)", ORANGE, "");
        border(svg, top);
    }

    /** Shading of the warm-up and the outage, time grid and labels, under the curves. */
    private void frame(StringBuilder svg, TimeAxis time, int top, String label) {
        int bottom = top + PANEL;
        text(svg, LEFT, top - 8, "start", "font-weight=\"bold\"", label);
        double warmupEnd = time.position(warmupNanos / 1e9);
        if (warmupNanos > 0) {
            svg.append(rect("warm-up", LEFT, top, warmupEnd - LEFT, PANEL, "#f0f0f0"));
        }
        double down = time.position(outage.stopCalledNanos() / 1e9);
        double back = time.position(outage.readyNanos() / 1e9);
        svg.append(rect("outage", down, top, Math.max(back - down, 1), PANEL, "#fbe3e4"));
        double gone = time.position(outage.stoppedNanos() / 1e9);
        double starting = time.position(outage.startCalledNanos() / 1e9);
        svg.append(line(gone, top, gone, bottom, "#c9a0a3", "1", " stroke-dasharray=\"3 3\""));
        svg.append(line(starting, top, starting, bottom, "#c9a0a3", "1", " stroke-dasharray=\"3 3\""));
        if (top == TOP) {
            // At the top of the first panel, where the reads (near the asked rate) seldom are.
            text(svg, down + 3, top + 14, "start", "fill=\"#a33\"", shadeBegins);
            text(svg, back - 3, top + 14, "end", "fill=\"#a33\"", shadeEnds);
            if (warmupNanos > 0) text(svg, LEFT + 3, top + 14, "start", "fill=\"#888\"", "warm-up");
        }
        for (double seconds : time.ticks()) {
            double x = time.position(seconds);
            svg.append(line(x, top, x, bottom, "#eeeeee", "1", ""));
            text(svg, x, bottom + 15, "middle", "", number(seconds));
        }
    }

    private static void border(StringBuilder svg, int top) {
        svg.append(String.format(
                Locale.ROOT,
                "<rect class=\"plot-area\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>\n",
                LEFT,
                top,
                RIGHT - LEFT,
                PANEL));
    }

    private static void legend(StringBuilder svg, double y, String name, String colour, String dash) {
        svg.append(line(RIGHT + 15, y, RIGHT + 39, y, colour, "2", dash));
        text(svg, RIGHT + 45, y + 4, "start", "", name);
    }

    private static double middle(Bucket bucket) {
        return (bucket.startNanos() + bucket.endNanos()) / 2e9;
    }

    /** Linear from 0 to the end of the run, in seconds. */
    private record TimeAxis(double end, double step) {

        double position(double seconds) {
            return LEFT + Math.min(Math.max(seconds, 0), end) / end * (RIGHT - LEFT);
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            for (double seconds = 0; seconds <= end + step / 1e6; seconds += step) ticks.add(seconds);
            return ticks;
        }
    }

    /** 1, 2 or 5 times a power of ten. */
    static double roundStep(double raw) {
        if (!(raw > 0)) return 1;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double factor = raw / power;
        return (factor <= 1 ? 1 : factor <= 2 ? 2 : factor <= 5 ? 5 : 10) * power;
    }

    private static String polyline(String name, String points, String colour, String dash) {
        return String.format(
                Locale.ROOT,
                "<polyline class=\"series\" data-series=\"%s\" points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s/>\n",
                xml(name),
                points,
                colour,
                dash);
    }

    private static String rect(String name, double x, double y, double width, double height, String fill) {
        return String.format(
                Locale.ROOT,
                "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
                name,
                x,
                (int) y,
                width,
                (int) height,
                fill);
    }

    private static String line(double x1, double y1, double x2, double y2, String colour, String width, String extra) {
        return String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%s\"%s/>\n",
                x1,
                y1,
                x2,
                y2,
                colour,
                width,
                extra);
    }

    private static String point(double x, double y) {
        return String.format(Locale.ROOT, "%.1f,%.1f ", x, y);
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

    static String number(double value) {
        return new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(value);
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
