package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.bench.outage.Sample.Kind;
import io.membercenter.bench.outage.Sample.Outcome;
import io.membercenter.bench.outage.Timeline.Bucket;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class TimelineChartTest {

    private static final long MS = 1_000_000;
    private static final OutageWindow OUTAGE = new OutageWindow(2_000 * MS, 2_100 * MS, 4_000 * MS, 4_500 * MS);

    @TempDir
    Path folder;

    @Test
    void shadesTheOutageInEveryPanelAndDrawsEachCurve() throws Exception {
        Document svg = parse(chart(buckets()).svg());

        assertThat(elements(svg, "rect", "outage")).hasSize(3);
        assertThat(elements(svg, "rect", "warm-up")).hasSize(3);
        assertThat(series(svg))
                .contains(
                        "answered 200",
                        "of them X-Member-Stale",
                        "not answered 200",
                        "acknowledged",
                        "503 + Retry-After",
                        "other failure or drop",
                        "write p99");
        assertThat(elements(svg, "line", "goal")).hasSize(1);
        assertThat(svg.getDocumentElement().getTextContent()).contains("mysql-a stopped", "goal 100 ms");
    }

    @Test
    void theShadingIsLabelledAsTheScenarioSays() throws Exception {
        Document svg = parse(new TimelineChart(
                        "switchover", buckets(), OUTAGE, 0, Duration.ofMillis(100), "switched to B", "back to A")
                .svg());

        assertThat(svg.getDocumentElement().getTextContent())
                .contains("switched to B", "back to A")
                .doesNotContain("mysql-a stopped");
    }

    @Test
    void theWriteP99LineBreaksWhereABucketHadNoWrites() throws Exception {
        Document svg = parse(chart(buckets()).svg());

        // Writes in buckets 0-7 and 17-23, none in 8-16: two runs of the p99 line.
        long p99Lines = elementsBySeries(svg, "write p99");
        assertThat(p99Lines).isEqualTo(2);
    }

    @Test
    void writesAFileGitHubCanShow() throws Exception {
        Path file = folder.resolve("outage.svg");

        chart(buckets()).write(file);

        assertThat(Files.readString(file)).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
    }

    private static TimelineChart chart(List<Bucket> buckets) {
        return new TimelineChart("outage & <test>", buckets, OUTAGE, 500 * MS, Duration.ofMillis(100));
    }

    /** 6 s at 250 ms: reads throughout, failing during the outage; writes refused in it, none from 2 s to 4.25 s. */
    private static List<Bucket> buckets() {
        List<Sample> samples = new ArrayList<>();
        for (long at = 0; at < 6_000; at += 50) {
            boolean down = OUTAGE.isDownAt(at * MS);
            samples.add(new Sample(Kind.READ_BY_ID, down ? Outcome.STALE : Outcome.OK, 200, at * MS, (at + 3) * MS));
            if (at % 250 == 0 && (at < 2_000 || at >= 4_250)) {
                samples.add(new Sample(Kind.WRITE, Outcome.OK, 200, at * MS, (at + 40) * MS));
            }
        }
        samples.add(new Sample(Kind.READ_BY_MOBILE, Outcome.FAILED, 0, 3_000 * MS, 13_000 * MS));
        return new Timeline(samples, Duration.ofMillis(250), Duration.ofSeconds(6)).buckets();
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Document svg, String tag, String cssClass) {
        NodeList nodes = svg.getElementsByTagName(tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element element = (Element) nodes.item(i);
            if (element.getAttribute("class").equals(cssClass)) found.add(element);
        }
        return found;
    }

    private static List<String> series(Document svg) {
        List<String> names = new ArrayList<>();
        for (String tag : List.of("polyline", "circle")) {
            elements(svg, tag, "series").forEach(e -> names.add(e.getAttribute("data-series")));
        }
        return names;
    }

    private static long elementsBySeries(Document svg, String name) {
        return series(svg).stream().filter(name::equals).count();
    }
}
