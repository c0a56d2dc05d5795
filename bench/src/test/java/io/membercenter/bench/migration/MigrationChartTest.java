package io.membercenter.bench.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationChartTest {

    @Test
    void theChartDrawsBothCopiesAsLinesEachLagAsAPointAndTheGoalAcross() {
        String svg = MigrationChart.svg(
                "Migration <of> 3",
                List.of(
                        new MigrationChart.Point(0, 0),
                        new MigrationChart.Point(10, 500),
                        new MigrationChart.Point(20, 1000)),
                List.of(new MigrationChart.Point(0, 0), new MigrationChart.Point(0.5, 1000)),
                List.of(
                        new MigrationChart.Point(1, 300),
                        new MigrationChart.Point(2, 2500),
                        new MigrationChart.Point(3, 400)),
                2_000);

        assertThat(svg).startsWith("<svg").endsWith("</svg>\n").contains("Migration &lt;of&gt; 3");
        assertThat(svg.split("<polyline", -1)).hasSize(3);
        assertThat(svg.split("<circle", -1)).hasSize(4);
        assertThat(svg).contains("goal p99 2000 ms").contains("stroke-dasharray");
    }

    @Test
    void axesEndAtARoundNumberAtOrAboveTheLargestValue() {
        assertThat(MigrationChart.niceMax(0)).isEqualTo(1);
        assertThat(MigrationChart.niceMax(830)).isEqualTo(1000);
        assertThat(MigrationChart.niceMax(1_000)).isEqualTo(1000);
        assertThat(MigrationChart.niceMax(2_400)).isEqualTo(2500);
        assertThat(MigrationChart.niceMax(41_000)).isEqualTo(50_000);
    }
}
