package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.membercenter.bench.load.LoadResult;
import io.membercenter.bench.outage.Sample.Kind;
import io.membercenter.bench.outage.Sample.Outcome;
import io.membercenter.bench.outage.Timeline.Bucket;
import io.membercenter.bench.outage.Timeline.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TimelineTest {

    private static final long MS = 1_000_000;
    private static final Duration BUCKET = Duration.ofMillis(250);

    @Test
    void putsEachRequestInTheBucketItWasDueInWhenItAnswered() {
        List<Sample> samples = List.of(
                read(Outcome.OK, 0, 5),
                read(Outcome.STALE, 249, 251),
                // due in the first bucket, answered in the third: it belongs to the first
                write(Outcome.REFUSED, 503, 100, 600),
                read(Outcome.FAILED, 250, 260),
                write(Outcome.OK, 200, 500, 520),
                Sample.dropped(Kind.WRITE, 999 * MS));

        List<Bucket> buckets = new Timeline(samples, BUCKET, Duration.ofSeconds(1)).buckets();

        assertThat(buckets).hasSize(4);
        assertThat(buckets.get(0).reads()).isEqualTo(new Counts(1, 1, 0, 0, 0));
        assertThat(buckets.get(0).writes()).isEqualTo(new Counts(0, 0, 1, 0, 0));
        assertThat(buckets.get(1).reads()).isEqualTo(new Counts(0, 0, 0, 1, 0));
        assertThat(buckets.get(2).writes()).isEqualTo(new Counts(1, 0, 0, 0, 0));
        assertThat(buckets.get(3).writes()).isEqualTo(new Counts(0, 0, 0, 0, 1));
        long counted = buckets.stream()
                .mapToLong(b -> b.reads().total() + b.writes().total())
                .sum();
        assertThat(counted).isEqualTo(samples.size());
    }

    @Test
    void theLastBucketMayBeShorterAndRatesAreCountsOverItsWidth() {
        List<Bucket> buckets = new Timeline(
                        List.of(read(Outcome.OK, 1_000, 1_001), read(Outcome.OK, 1_050, 1_051)),
                        BUCKET,
                        Duration.ofMillis(1_100))
                .buckets();

        assertThat(buckets).hasSize(5);
        Bucket last = buckets.getLast();
        assertThat(last.endNanos() - last.startNanos()).isEqualTo(100 * MS);
        assertThat(last.perSecond(last.reads().succeeded())).isCloseTo(20.0, within(1e-9));
        assertThat(buckets.getFirst().perSecond(4)).isCloseTo(16.0, within(1e-9));
    }

    @Test
    void aBucketsWriteP99IsOfEveryWriteSentWhateverTheAnswerAndNeverInterpolated() {
        List<Sample> samples = new ArrayList<>();
        samples.add(write(Outcome.OK, 200, 0, 40));
        samples.add(write(Outcome.REFUSED, 503, 10, 12));
        samples.add(write(Outcome.FAILED, 0, 20, 220));
        samples.add(Sample.dropped(Kind.WRITE, 30 * MS)); // never sent: no answer time
        samples.add(read(Outcome.OK, 0, 3));
        samples.add(read(Outcome.FAILED, 0, 900)); // failed reads are not in the read p99

        Bucket bucket =
                new Timeline(samples, BUCKET, Duration.ofMillis(250)).buckets().getFirst();

        assertThat(bucket.writeP99Nanos()).isEqualTo(200 * MS);
        assertThat(bucket.readP99Nanos()).isEqualTo(3 * MS);
    }

    @Test
    void aBucketWithoutWritesHasNoWriteP99() {
        Bucket bucket = new Timeline(List.of(read(Outcome.OK, 0, 1)), BUCKET, Duration.ofMillis(250))
                .buckets()
                .getFirst();

        assertThat(bucket.writeP99Nanos()).isZero();
    }

    @Test
    void phasesAreHalfOpenAndCountByKind() {
        List<Sample> samples = List.of(
                read(Outcome.OK, 0, 2),
                new Sample(Kind.READ_BY_MOBILE, Outcome.FAILED, 500, 999 * MS, 1_000 * MS),
                // due exactly at the stop: down, not before
                new Sample(Kind.READ_BY_MOBILE, Outcome.STALE, 200, 1_000 * MS, 1_004 * MS),
                write(Outcome.REFUSED, 503, 1_100, 1_101),
                write(Outcome.FAILED, 0, 1_200, 11_200),
                write(Outcome.FAILED, 500, 1_300, 1_310));
        Timeline timeline = new Timeline(samples, BUCKET, Duration.ofSeconds(20));

        Phase before = timeline.phase(0, 1_000 * MS);
        Phase down = timeline.phase(1_000 * MS, 20_000 * MS);

        assertThat(before.reads()).isEqualTo(new Counts(1, 0, 0, 1, 0));
        assertThat(before.byKind().get(Kind.READ_BY_MOBILE)).isEqualTo(new Counts(0, 0, 0, 1, 0));
        assertThat(before.otherFailures().get(Kind.READ_BY_MOBILE)).isEqualTo(Map.of(500, 1L));
        assertThat(down.reads()).isEqualTo(new Counts(0, 1, 0, 0, 0));
        assertThat(down.writes()).isEqualTo(new Counts(0, 0, 1, 2, 0));
        assertThat(down.otherFailures().get(Kind.WRITE)).isEqualTo(Map.of(0, 1L, 500, 1L));
        assertThat(down.writeAnswers().count()).isEqualTo(3);
        assertThat(down.writeAnswers().maxNanos()).isEqualTo(10_000 * MS);
        assertThat(down.writeAnswers().p50Nanos()).isEqualTo(10 * MS);
        assertThat(down.length()).isEqualTo(Duration.ofSeconds(19));
    }

    @Test
    void aPhaseAsARowTimesSuccessesAndCountsRefusalsAsErrors() {
        List<Sample> samples = List.of(
                read(Outcome.OK, 0, 4),
                read(Outcome.STALE, 100, 108),
                write(Outcome.REFUSED, 503, 200, 201),
                Sample.dropped(Kind.READ_BY_ID, 300 * MS));

        LoadResult row = new Timeline(samples, BUCKET, Duration.ofSeconds(2))
                .phase(0, 2_000 * MS)
                .asLoadResult(150, 1024);

        assertThat(row.succeeded()).isEqualTo(2);
        assertThat(row.errors()).isEqualTo(1);
        assertThat(row.dropped()).isEqualTo(1);
        assertThat(row.latency().maxNanos()).isEqualTo(8 * MS);
        assertThat(row.throughputPerSecond()).isEqualTo(1.0);
        assertThat(row.isOpenLoop()).isTrue();
    }

    @Test
    void writesAreSteadyFromTheWriteAfterTheLastOneThatFailed() {
        List<Sample> samples = List.of(
                write(Outcome.OK, 200, 100, 110), // before the outage
                write(Outcome.REFUSED, 503, 1_000, 1_001),
                write(Outcome.REFUSED, 503, 2_000, 2_001),
                write(Outcome.OK, 200, 2_100, 2_150),
                write(Outcome.FAILED, 0, 2_200, 2_700), // one more failure after the first success
                write(Outcome.OK, 200, 2_300, 2_340),
                write(Outcome.OK, 200, 2_400, 2_420));
        Timeline timeline = new Timeline(samples, BUCKET, Duration.ofSeconds(3));

        assertThat(timeline.steadyWritesFrom(900 * MS)).isEqualTo(OptionalLong.of(2_300 * MS));
        assertThat(timeline.firstWriteSuccessAnsweredFrom(1_500 * MS)).isEqualTo(OptionalLong.of(2_150 * MS));
        assertThat(timeline.unsuccessfulWritesFrom(2_050 * MS)).isEqualTo(1);
    }

    @Test
    void writesThatNeverFailedAreSteadyFromTheFirstAndARunEndingInAFailureNeverIs() {
        Timeline fine = new Timeline(
                List.of(write(Outcome.OK, 200, 500, 510), write(Outcome.OK, 200, 600, 610)),
                BUCKET,
                Duration.ofSeconds(1));
        Timeline broken = new Timeline(
                List.of(write(Outcome.OK, 200, 500, 510), Sample.dropped(Kind.WRITE, 600 * MS)),
                BUCKET,
                Duration.ofSeconds(1));

        assertThat(fine.steadyWritesFrom(0)).isEqualTo(OptionalLong.of(500 * MS));
        assertThat(broken.steadyWritesFrom(0)).isEmpty();
        assertThat(broken.firstWriteSuccessAnsweredFrom(520 * MS)).isEmpty();
    }

    @Test
    void percentilesAreByNearestRank() {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

        assertThat(Percentile.of(sorted, 50)).isEqualTo(5);
        assertThat(Percentile.of(sorted, 99)).isEqualTo(10);
        assertThat(Percentile.of(sorted, 10)).isEqualTo(1);
        assertThat(Percentile.of(new long[0], 99)).isZero();
        assertThat(Percentile.latency(new long[] {30, 10, 20}).p50Nanos()).isEqualTo(20);
    }

    @Test
    void theFirstAnswerOfASourceIsByAnswerTimeAmongTheRequestsDueFromTheMomentAndAnsweredOk() {
        Timeline timeline = new Timeline(
                List.of(
                        lookup(Outcome.OK, "search-backup@B", 900, 950), // due before the moment
                        lookup(Outcome.OK, "search-primary@A", 1_000, 1_001),
                        lookup(Outcome.OK, "search-backup@B", 1_010, 1_400),
                        lookup(Outcome.OK, "search-backup@B", 1_100, 1_200),
                        new Sample(Kind.READ_BY_ID, Outcome.OK, 200, 1_050 * MS, 1_060 * MS, "search-backup@B"),
                        lookup(Outcome.FAILED, "search-backup@B", 1_020, 1_030)),
                BUCKET,
                Duration.ofSeconds(2));

        assertThat(timeline.firstAnsweredBy(Kind.READ_BY_MOBILE, "search-backup@B"::equals, 1_000 * MS))
                .map(Sample::dueNanos)
                .hasValue(1_100 * MS);
        assertThat(timeline.firstAnsweredBy(Kind.READ_BY_MOBILE, "db@A"::equals, 0))
                .isEmpty();
    }

    @Test
    void sourcesCountTheAnswersOkOfOneKindDueInTheStretch() {
        Timeline timeline = new Timeline(
                List.of(
                        lookup(Outcome.OK, "cache@A", 100, 101),
                        lookup(Outcome.STALE, "db@B", 200, 201),
                        lookup(Outcome.OK, "cache@A", 300, 301),
                        lookup(Outcome.FAILED, "", 400, 401),
                        lookup(Outcome.OK, "", 500, 501),
                        lookup(Outcome.OK, "cache@A", 1_500, 1_501),
                        new Sample(Kind.READ_BY_ID, Outcome.OK, 200, 150 * MS, 151 * MS, "cache@A")),
                BUCKET,
                Duration.ofSeconds(2));

        assertThat(timeline.sources(Kind.READ_BY_MOBILE, 0, 1_000 * MS))
                .containsExactly(Map.entry("(not said)", 1L), Map.entry("cache@A", 2L), Map.entry("db@B", 1L));
    }

    private static Sample read(Outcome outcome, long dueMillis, long doneMillis) {
        int status = outcome == Outcome.FAILED ? 500 : 200;
        return new Sample(Kind.READ_BY_ID, outcome, status, dueMillis * MS, doneMillis * MS);
    }

    private static Sample lookup(Outcome outcome, String source, long dueMillis, long doneMillis) {
        int status = outcome == Outcome.FAILED ? 500 : 200;
        return new Sample(Kind.READ_BY_MOBILE, outcome, status, dueMillis * MS, doneMillis * MS, source);
    }

    private static Sample write(Outcome outcome, int status, long dueMillis, long doneMillis) {
        return new Sample(Kind.WRITE, outcome, status, dueMillis * MS, doneMillis * MS);
    }
}
