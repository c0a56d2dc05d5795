package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class FailoverScenarioTest {

    private static final OutageSettings SETTINGS =
            new OutageSettings(20_000, 150, Duration.ofSeconds(120), Duration.ofSeconds(10), 4);

    @Test
    void theMasterKillKeepsTheSectionAndChartItHadAndEveryOtherScenarioHasItsOwn() {
        assertThat(FailoverScenario.named("mysql-a").section()).isEqualTo("failover");
        assertThat(FailoverScenario.MYSQL_A.command()).isEqualTo("failover");
        assertThat(FailoverScenario.named("search-primary").section()).isEqualTo("failover-search-primary");
        assertThat(FailoverScenario.REDIS_A.chartFile()).isEqualTo("failover-redis-a.svg");
        assertThat(FailoverScenario.SWITCHOVER.command()).isEqualTo("failover --scenario switchover");
    }

    @Test
    void theWholeDataCenterDrillIsDrillsOwnAndLoadsTheInstanceInB() {
        FailoverScenario drill = FailoverScenario.named("dc-a");

        assertThat(drill.byFailoverCommand()).isFalse();
        assertThat(drill.section()).isEqualTo("drill-dc-a");
        assertThat(drill.command()).isEqualTo("drill dc-a");
        assertThat(drill.chartFile()).isEqualTo("drill-dc-a.svg");
        assertThat(drill.loadedDataCenter()).isEqualTo("B");
        assertThat(FailoverScenario.MYSQL_A.loadedDataCenter()).isEqualTo("A");
        assertThat(drill.plan(new OutageSettings(1_000, 150, Duration.ofSeconds(240), Duration.ofSeconds(50), 4)))
                .isEqualTo("kill -9 of data center A at 60 s, restart as replica at 120 s, failback to A at 180 s");
    }

    @Test
    void anUnknownScenarioIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> new FailoverScenario.Converter().convert("kafka"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("no scenario kafka; one of mysql-a, search-primary, redis-a, switchover, dc-a");
    }

    @Test
    void eachPlanSaysItsStepsAtTheirQuarters() {
        assertThat(FailoverScenario.MYSQL_A.plan(SETTINGS))
                .isEqualTo("kill -9 of mysql-a at 30 s, restart as replica at 60 s, failback to A at 90 s");
        assertThat(FailoverScenario.REDIS_A.plan(SETTINGS)).isEqualTo("kill -9 of redis-a at 30 s, restart at 60 s");
        assertThat(FailoverScenario.SWITCHOVER.plan(SETTINGS))
                .isEqualTo("switchover to B at 30 s, failback to A at 90 s");
        assertThat(FailoverScenario.SWITCHOVER.disturbance()).isEqualTo("the switchover");
        assertThat(FailoverScenario.SWITCHOVER.shadeBegins()).isEqualTo("switched to B");
        assertThat(FailoverScenario.SEARCH_PRIMARY.shadeBegins()).isEqualTo("search-primary killed");
    }

    @Test
    void aWatchedStoreIsTakenOverOnlyBySourcesOtherThanItself() {
        FailoverScenario.Watch search = FailoverScenario.SEARCH_PRIMARY.watch().orElseThrow();
        assertThat(search.standIn().test("search-backup@B")).isTrue();
        assertThat(search.standIn().test("search-primary@A")).isFalse();
        assertThat(search.standIn().test("cache@A"))
                .as("the cache answered before the kill too")
                .isFalse();

        FailoverScenario.Watch redis = FailoverScenario.REDIS_A.watch().orElseThrow();
        assertThat(redis.standIn().test("db@A")).isTrue();
        assertThat(redis.standIn().test("cache@B")).isTrue();
        assertThat(redis.standIn().test("cache@A")).isFalse();
        assertThat(FailoverScenario.MYSQL_A.watch()).isEmpty();
    }
}
