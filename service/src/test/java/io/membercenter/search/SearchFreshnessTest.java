package io.membercenter.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SearchFreshnessTest {

    private final SearchFreshness.Searchable searchable = new SearchFreshness.Searchable(1_000);

    @Test
    void anAppliedChangeCountsAsSearchableOnlyOneRefreshIntervalAfterItWasObserved() {
        searchable.observed(10_000, 9_900);

        assertThat(searchable.before(10_999)).isEqualTo(Long.MIN_VALUE);
        assertThat(searchable.before(11_000)).isEqualTo(9_900);
    }

    @Test
    void observationsBecomeSearchableInTheOrderTheyWereMade() {
        searchable.observed(10_000, 9_900);
        searchable.observed(10_100, 10_000);
        searchable.observed(10_200, 10_150);

        assertThat(searchable.before(11_050)).isEqualTo(9_900);
        assertThat(searchable.before(11_150)).isEqualTo(10_000);
        assertThat(searchable.before(20_000)).isEqualTo(10_150);
    }

    @Test
    void anObservationThatProvesNothingNewIsNotQueued() {
        searchable.observed(10_000, 9_900);
        searchable.observed(10_500, 9_900);
        searchable.observed(10_600, 9_800);

        assertThat(searchable.before(11_000)).isEqualTo(9_900);
        assertThat(searchable.before(30_000)).isEqualTo(9_900);
    }
}
