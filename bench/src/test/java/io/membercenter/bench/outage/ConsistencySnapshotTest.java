package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConsistencySnapshotTest {

    private static String answer(long redisChecked, long redisInconsistent, long searchChecked) {
        return """
                {"enabled":true,"replicationWindow":"PT4S","stores":{\
                "redis-a":{"checked":%d,"inconsistent":%d,"nines":0},\
                "search-primary":{"checked":%d,"inconsistent":0,"nines":0}},\
                "inconsistencies":[{"store":"redis-a","memberId":"1","part":"member"}]}""".formatted(redisChecked, redisInconsistent, searchChecked);
    }

    @Test
    void theAdminAnswerIsReadPerStore() {
        ConsistencySnapshot snapshot = ConsistencySnapshot.parse(answer(1_000, 1, 500));

        assertThat(snapshot.stores()).containsOnlyKeys("redis-a", "search-primary");
        assertThat(snapshot.stores().get("redis-a")).isEqualTo(new ConsistencySnapshot.Counts(1_000, 1));
        assertThat(snapshot.inconsistencies()).isEqualTo(1);
    }

    @Test
    void whatWasCheckedBetweenTwoAnswersIsTheirDifferenceAndAStoreFirstSeenLaterCountsFromZero() {
        ConsistencySnapshot before = ConsistencySnapshot.parse(
                "{\"stores\":{\"redis-a\":{\"checked\":100,\"inconsistent\":1}},\"inconsistencies\":[]}");
        ConsistencySnapshot after = ConsistencySnapshot.parse(answer(1_100, 1, 500));

        ConsistencySnapshot during = after.since(before);

        assertThat(during.stores().get("redis-a")).isEqualTo(new ConsistencySnapshot.Counts(1_000, 0));
        assertThat(during.stores().get("search-primary")).isEqualTo(new ConsistencySnapshot.Counts(500, 0));
    }

    @Test
    void ninesAreTheServicesMinusLog10OfTheInconsistentShareCappedAtWhatTheSampleCanShow() {
        assertThat(new ConsistencySnapshot.Counts(10_000, 1).nines()).isCloseTo(4, within(1e-9));
        assertThat(new ConsistencySnapshot.Counts(1_000, 0).nines())
                .as("none inconsistent: log10(checked)")
                .isCloseTo(3, within(1e-9));
        assertThat(new ConsistencySnapshot.Counts(0, 0).nines()).isZero();
    }
}
