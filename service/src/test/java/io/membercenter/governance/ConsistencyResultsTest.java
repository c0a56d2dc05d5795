package io.membercenter.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.membercenter.governance.StoreComparison.Difference;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Consistency in nines per store, as counted and as the gauge shows it; no PII in a label. */
class ConsistencyResultsTest {

    @Test
    void ninesAreMinusLogTenOfTheInconsistentShareAndCappedAtWhatTheSampleCanShow() {
        assertThat(ConsistencyResults.nines(0, 0)).isZero();
        assertThat(ConsistencyResults.nines(1_000, 0)).isCloseTo(3, within(1e-9));
        assertThat(ConsistencyResults.nines(1_000, 1)).isCloseTo(3, within(1e-9));
        assertThat(ConsistencyResults.nines(100, 10)).isCloseTo(1, within(1e-9));
        assertThat(ConsistencyResults.nines(10, 10)).isZero();
    }

    @Test
    void aMemberIsCountedOncePerStoreAndInconsistentOnlyWhereItsCopyDiffered() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConsistencyResults results = new ConsistencyResults(registry, 2);
        Difference member = new Difference("redis-a", "member", Map.of(), Map.of(), List.of("nickname"));
        Difference identifier =
                new Difference("redis-a", "identifier M:+86****1234", Map.of(), Map.of(), List.of("held"));

        results.checked(1, List.of("redis-a", "search-primary"), List.of(member, identifier), 0);
        results.checked(2, List.of("redis-a", "search-primary"), List.of(), 0);

        assertThat(results.totals().get("redis-a")).isEqualTo(new ConsistencyResults.StoreTotals(2, 1, Math.log10(2)));
        assertThat(results.totals().get("search-primary").inconsistent()).isZero();
        assertThat(registry.get("consistency_inconsistent_total")
                        .tag("store", "redis-a")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("consistency_checked_total")
                        .tag("store", "search-primary")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("consistency_nines")
                        .tag("store", "search-primary")
                        .gauge()
                        .value())
                .isCloseTo(Math.log10(2), within(1e-9));
        assertThat(results.recent())
                .hasSize(2)
                .extracting(ConsistencyResults.Inconsistency::memberId)
                .containsOnly(1L);
        registry.getMeters()
                .forEach(meter -> assertThat(meter.getId().getTags())
                        .allSatisfy(tag -> assertThat(tag.getKey()).isIn("store", "reason")));
    }
}
