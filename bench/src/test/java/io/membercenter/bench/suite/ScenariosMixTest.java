package io.membercenter.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.membercenter.bench.load.Operation;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScenariosMixTest {

    @Test
    void eachOperationRunsInProportionToItsShare() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger lookups = new AtomicInteger();
        AtomicInteger writes = new AtomicInteger();
        Operation mix = Scenarios.mix(
                Scenarios.share(80, reads::incrementAndGet),
                Scenarios.share(15, lookups::incrementAndGet),
                Scenarios.share(5, writes::incrementAndGet));

        int draws = 200_000;
        for (int i = 0; i < draws; i++) mix.call();

        assertThat(reads.get() + lookups.get() + writes.get()).isEqualTo(draws);
        assertThat(reads.get() / (double) draws).isCloseTo(0.80, within(0.01));
        assertThat(lookups.get() / (double) draws).isCloseTo(0.15, within(0.01));
        assertThat(writes.get() / (double) draws).isCloseTo(0.05, within(0.01));
    }

    @Test
    void sharesThatDoNotAddUpToAHundredAreRefused() {
        assertThatThrownBy(() -> Scenarios.mix(Scenarios.share(80, () -> {}), Scenarios.share(15, () -> {})))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
