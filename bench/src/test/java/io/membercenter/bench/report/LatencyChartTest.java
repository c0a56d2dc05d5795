package io.membercenter.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.membercenter.bench.load.Latency;
import io.membercenter.bench.load.LoadResult;
import io.membercenter.bench.load.SweepResult;
import io.membercenter.bench.report.LatencyChart.Point;
import io.membercenter.bench.report.LatencyChart.Series;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class LatencyChartTest {

    private static final Duration BOUND = Duration.ofMillis(10);
    private static final Series SERVICE = new Series(
            "service", List.of(new Point(500, 0.4, 1.2), new Point(1_000, 0.5, 2.5), new Point(1_900, 3, 45)));
    private static final Series BASELINE = new Series(
            "jdbc baseline",
            List.of(new Point(1_000, 0.2, 0.6), new Point(4_000, 0.3, 1.5), new Point(7_500, 120, 2_400)));
    private static final Series NAIVE =
            new Series("naive service", List.of(new Point(200, 1, 4), new Point(380, 0, 900)));

    @TempDir
    Path folder;

    @Test
    void isWellFormedSvgWithAP99AndAP50LinePerSeries() {
        Document svg = parse(chart(SERVICE, BASELINE, NAIVE).svg());

        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(svg.getDocumentElement().getAttribute("xmlns")).isEqualTo("http://www.w3.org/2000/svg");
        List<Element> series = withClass(svg.getDocumentElement(), "g", "series");
        assertThat(series).hasSize(3).allSatisfy(one -> {
            assertThat(withClass(one, "polyline", "p99")).hasSize(1);
            assertThat(withClass(one, "polyline", "p50")).hasSize(1);
        });
        assertThat(withClass(series.get(1), "circle", "p99"))
                .hasSize(BASELINE.points().size());
        assertThat(withClass(series.get(1), "rect", "p50"))
                .hasSize(BASELINE.points().size());
    }

    /** 0.0 ms, 2,400 ms and the bound all fit: latencies of 0 go on the bottom edge, not below it. */
    @Test
    void drawsEveryPointInsideThePlotArea() {
        Document svg = parse(chart(SERVICE, BASELINE, NAIVE).svg());

        Element area = withClass(svg.getDocumentElement(), "rect", "plot-area").getFirst();
        double left = number(area, "x"), top = number(area, "y");
        double right = left + number(area, "width"), bottom = top + number(area, "height");
        List<double[]> drawn = drawnPoints(svg);
        assertThat(drawn).hasSize(2 * 2 * (3 + 3 + 2));
        assertThat(drawn).allSatisfy(point -> {
            assertThat(point[0]).isBetween(left, right);
            assertThat(point[1]).isBetween(top, bottom);
        });
    }

    @Test
    void placesLatenciesOnALogScaleAndThroughputOnALinearOne() {
        Series decades =
                new Series("decades", List.of(new Point(100, 0.5, 1), new Point(200, 5, 10), new Point(300, 50, 100)));

        double[][] p99 = coordinates(withClass(parse(chart(decades).svg()).getDocumentElement(), "polyline", "p99")
                .getFirst());

        assertThat(p99[0][1] - p99[1][1]).isPositive().isCloseTo(p99[1][1] - p99[2][1], within(0.2));
        assertThat(p99[1][0] - p99[0][0]).isPositive().isCloseTo(p99[2][0] - p99[1][0], within(0.2));
    }

    @Test
    void drawsTheP99BoundAsALabelledDashedLineAcrossThePlotArea() {
        Document svg = parse(chart(new Series("decades", List.of(new Point(100, 0.5, 1), new Point(300, 50, 100))))
                .svg());

        Element bound = withClass(svg.getDocumentElement(), "line", "p99-bound").getFirst();
        Element area = withClass(svg.getDocumentElement(), "rect", "plot-area").getFirst();
        assertThat(bound.getAttribute("stroke-dasharray")).isNotBlank();
        assertThat(number(bound, "y1")).isEqualTo(number(bound, "y2"));
        assertThat(number(bound, "x1")).isEqualTo(number(area, "x"));
        assertThat(number(bound, "x2")).isEqualTo(number(area, "x") + number(area, "width"));
        double[][] p99 = coordinates(
                withClass(svg.getDocumentElement(), "polyline", "p99").getFirst());
        assertThat(number(bound, "y1")).isCloseTo((p99[0][1] + p99[1][1]) / 2, within(0.2));
        assertThat(texts(svg.getDocumentElement())).contains("p99 bound 10 ms");
    }

    @Test
    void namesEverySeriesInTheLegendEscaped() {
        Series tagged = new Series("service <v2>", SERVICE.points());
        Series ampersand = new Series("jdbc & pool", BASELINE.points());

        String svg = new LatencyChart("reads & writes", BOUND, List.of(tagged, ampersand, NAIVE)).svg();

        Element legend =
                withClass(parse(svg).getDocumentElement(), "g", "legend").getFirst();
        assertThat(texts(legend)).contains("service <v2>", "jdbc & pool", "naive service");
        assertThat(svg)
                .contains("service &lt;v2&gt;", "jdbc &amp; pool", "<title>reads &amp; writes</title>")
                .doesNotContain("<v2>");
    }

    @Test
    void rendersAnEmptyChartWithItsAxesAndBound() {
        Document svg = parse(new LatencyChart("nothing measured yet", BOUND, List.of()).svg());

        assertThat(withClass(svg.getDocumentElement(), "g", "series")).isEmpty();
        Element bound = withClass(svg.getDocumentElement(), "line", "p99-bound").getFirst();
        Element area = withClass(svg.getDocumentElement(), "rect", "plot-area").getFirst();
        assertThat(number(bound, "y1"))
                .isStrictlyBetween(number(area, "y"), number(area, "y") + number(area, "height"));
        assertThat(texts(svg.getDocumentElement()))
                .contains(
                        "nothing measured yet",
                        "no data",
                        "p99 bound 10 ms",
                        "throughput achieved (ops/s)",
                        "latency (ms, log scale)");
    }

    /** No font metrics on a headless machine: the chart is widened by an estimate, generous rather than tight. */
    @Test
    void widensTheChartForALongSeriesName() {
        String longName = "service behind the load balancer, cache disabled";

        Element svg = parse(
                        chart(SERVICE, new Series(longName, BASELINE.points())).svg())
                .getDocumentElement();
        Element legendText = text(svg, longName);

        double legendEnds = number(legendText, "x") + 7 * longName.length();
        assertThat(number(svg, "width")).isGreaterThan(legendEnds);
        assertThat(svg.getAttribute("viewBox")).isEqualTo("0 0 " + svg.getAttribute("width") + " 480");
    }

    @Test
    void keepsASeriesWithoutPointsInTheLegendOnly() {
        Document svg = parse(chart(SERVICE, new Series("not run", List.of())).svg());

        assertThat(withClass(svg.getDocumentElement(), "g", "series")).hasSize(1);
        assertThat(texts(withClass(svg.getDocumentElement(), "g", "legend").getFirst()))
                .contains("not run (no data)");
    }

    @Test
    void drawsASeriesOfOnePointAsItsMarkers() {
        Document svg = parse(
                chart(new Series("one step", List.of(new Point(1_000, 2, 8)))).svg());

        Element series = withClass(svg.getDocumentElement(), "g", "series").getFirst();
        assertThat(withClass(series, "circle", "p99")).hasSize(1);
        assertThat(withClass(series, "rect", "p50")).hasSize(1);
        assertThat(coordinates(withClass(series, "polyline", "p99").getFirst())).hasNumberOfRows(1);
    }

    @Test
    void turnsEverySweepStepThatMeasuredSomethingIntoAPoint() {
        SweepResult sweep = new SweepResult(
                BOUND,
                List.of(
                        new SweepResult.Step(2_000, step(2_000, 1_600, 30_000_000), false),
                        new SweepResult.Step(1_000, step(1_000, 1_000, 2_000_000), true),
                        new SweepResult.Step(4_000, step(4_000, 0, 0), false)));

        Series series = Series.of("service", sweep);

        assertThat(series.points()).containsExactly(new Point(1_000, 1, 2), new Point(1_600, 15, 30));
    }

    @Test
    void writesTheSvgToAFile() throws IOException {
        LatencyChart chart = chart(SERVICE);
        Path file = folder.resolve("latency.svg");

        chart.write(file);

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(chart.svg());
    }

    private static LatencyChart chart(Series... series) {
        return new LatencyChart("reads at rising rates", BOUND, List.of(series));
    }

    /** One second measured at {@code rate}: p50 half of p99. */
    private static LoadResult step(double rate, long succeeded, long p99Nanos) {
        Latency latency = new Latency(succeeded, p99Nanos / 2, p99Nanos, p99Nanos, p99Nanos, p99Nanos, p99Nanos / 2.0);
        return new LoadResult("open", 100, rate, Duration.ofSeconds(1), succeeded, 0, 0, latency, Optional.empty());
    }

    private static Document parse(String svg) {
        try {
            return DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML:\n" + svg, e);
        }
    }

    /** Every vertex of every data line and the centre of every data marker. */
    private static List<double[]> drawnPoints(Document svg) {
        List<double[]> points = new ArrayList<>();
        for (Element series : withClass(svg.getDocumentElement(), "g", "series")) {
            for (Element line : elements(series, "polyline")) {
                points.addAll(Arrays.asList(coordinates(line)));
            }
            for (Element circle : elements(series, "circle")) {
                points.add(new double[] {number(circle, "cx"), number(circle, "cy")});
            }
            for (Element square : elements(series, "rect")) {
                points.add(new double[] {
                    number(square, "x") + number(square, "width") / 2,
                    number(square, "y") + number(square, "height") / 2
                });
            }
        }
        return points;
    }

    private static double[][] coordinates(Element polyline) {
        return Arrays.stream(polyline.getAttribute("points").split(" "))
                .map(pair -> Arrays.stream(pair.split(","))
                        .mapToDouble(Double::parseDouble)
                        .toArray())
                .toArray(double[][]::new);
    }

    private static List<Element> withClass(Element root, String tag, String cssClass) {
        return elements(root, tag).stream()
                .filter(element -> element.getAttribute("class").equals(cssClass))
                .toList();
    }

    private static List<Element> elements(Element root, String tag) {
        NodeList nodes = root.getElementsByTagName(tag);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    private static List<String> texts(Element root) {
        return elements(root, "text").stream().map(Element::getTextContent).toList();
    }

    private static Element text(Element root, String content) {
        return elements(root, "text").stream()
                .filter(text -> text.getTextContent().equals(content))
                .findFirst()
                .orElseThrow();
    }

    private static double number(Element element, String attribute) {
        return Double.parseDouble(element.getAttribute(attribute));
    }
}
