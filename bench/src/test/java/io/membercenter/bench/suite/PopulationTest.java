package io.membercenter.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PopulationTest {

    @Test
    void keysArePermutedOverTheWholePopulation() {
        Population population = new Population(10_000, 0.99);
        BitSet seen = new BitSet();

        for (int key = 0; key < 10_000; key++) seen.set(population.memberIndex(key));

        assertThat(seen.cardinality()).isEqualTo(10_000);
        assertThat(population.memberIndex(1) - population.memberIndex(0)).isNotEqualTo(1);
    }

    @Test
    void coldKeysAreNeverOnesTheWarmUpRead() {
        Population population = new Population(1_000, 0.99);
        BitSet warm = new BitSet();
        warm.set(0, 900);
        population.markWarm(warm);
        Random random = new Random(7);

        for (int i = 0; i < 1_000; i++) {
            assertThat(population.coldKey(random)).isGreaterThanOrEqualTo(900);
        }
    }
}
