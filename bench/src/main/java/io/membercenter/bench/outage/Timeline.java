package io.membercenter.bench.outage;

import io.membercenter.bench.load.Latency;
import io.membercenter.bench.load.LoadResult;
import io.membercenter.bench.outage.Sample.Kind;
import io.membercenter.bench.outage.Sample.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every request of a run, put into fixed buckets of time and cut into phases.
 *
 * <p>A request belongs to the bucket and the phase in which it was <em>due</em>, not the one in which it
 * answered: a request sent one second into the outage that hung for five is an error (or a slow answer) of
 * that second, which is when its caller was hurt, and a bucket's counts are the requests the schedule sent
 * in it (rate × width), whatever happened to them. Rates per second are a bucket's counts divided by its width.
 */
final class Timeline {

    static final Duration BUCKET = Duration.ofMillis(250);

    private final List<Sample> samples;
    private final long bucketNanos;
    private final long lengthNanos;

    /** {@code length}: the run's schedule; a sample due at or after it (none should be) goes into the last bucket. */
    Timeline(Collection<Sample> samples, Duration bucket, Duration length) {
        if (bucket.isNegative() || bucket.isZero()) throw new IllegalArgumentException("bucket must be positive");
        if (length.isNegative() || length.isZero()) throw new IllegalArgumentException("length must be positive");
        this.samples = samples.stream()
                .sorted(Comparator.comparingLong(Sample::dueNanos))
                .toList();
        this.bucketNanos = bucket.toNanos();
        this.lengthNanos = length.toNanos();
    }

    /** Every request of the run, as it was recorded. */
    List<Sample> samples() {
        return samples;
    }

    long bucketNanos() {
        return bucketNanos;
    }

    long lengthNanos() {
        return lengthNanos;
    }

    /** One bucket per {@code bucket} of the run, the last one possibly shorter, empty ones included. */
    List<Bucket> buckets() {
        int count = (int) ((lengthNanos + bucketNanos - 1) / bucketNanos);
        List<List<Sample>> byBucket = new ArrayList<>(count);
        for (int i = 0; i < count; i++) byBucket.add(new ArrayList<>());
        for (Sample sample : samples) {
            int index = (int) Math.min(Math.max(sample.dueNanos(), 0) / bucketNanos, count - 1);
            byBucket.get(index).add(sample);
        }
        List<Bucket> buckets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long start = i * bucketNanos;
            buckets.add(Bucket.of(start, Math.min(start + bucketNanos, lengthNanos), byBucket.get(i)));
        }
        return buckets;
    }

    /** The requests due in {@code [fromNanos, untilNanos)}. */
    Phase phase(long fromNanos, long untilNanos) {
        if (untilNanos < fromNanos) throw new IllegalArgumentException("a phase cannot end before it begins");
        return Phase.of(
                fromNanos,
                untilNanos,
                samples.stream()
                        .filter(s -> s.dueNanos() >= fromNanos && s.dueNanos() < untilNanos)
                        .toList());
    }

    /** When the first write to succeed at or after {@code nanos} answered (by its answer, not its due time). */
    OptionalLong firstWriteSuccessAnsweredFrom(long nanos) {
        return samples.stream()
                .filter(s -> s.kind() == Kind.WRITE && s.succeeded() && s.doneNanos() >= nanos)
                .mapToLong(Sample::doneNanos)
                .min();
    }

    /**
     * The first request of {@code kind} due at or after {@code nanos} to come back (by its answer) answered 200 by a
     * source {@code source} accepts: e.g. the first lookup a backup cluster answered after a kill.
     */
    Optional<Sample> firstAnsweredBy(Kind kind, Predicate<String> source, long nanos) {
        return samples.stream()
                .filter(s -> s.kind() == kind && s.succeeded() && s.dueNanos() >= nanos && source.test(s.source()))
                .min(Comparator.comparingLong(Sample::doneNanos));
    }

    /** Who answered the requests of {@code kind} due in {@code [fromNanos, untilNanos)} with a 200, counted. */
    Map<String, Long> sources(Kind kind, long fromNanos, long untilNanos) {
        return samples.stream()
                .filter(s -> s.kind() == kind && s.succeeded())
                .filter(s -> s.dueNanos() >= fromNanos && s.dueNanos() < untilNanos)
                .collect(Collectors.groupingBy(
                        s -> s.source().isEmpty() ? "(not said)" : s.source(), TreeMap::new, Collectors.counting()));
    }

    /**
     * From when on every write succeeded, among those due at or after {@code nanos}: the due time of the
     * write after the last one that did not (refused, failed, dropped). Without any such write, the first
     * write due from {@code nanos}. Empty when the run's last write did not succeed: writes never got steady.
     */
    OptionalLong steadyWritesFrom(long nanos) {
        List<Sample> writes = samples.stream()
                .filter(s -> s.kind() == Kind.WRITE && s.dueNanos() >= nanos)
                .toList();
        int lastUnsuccessful = -1;
        for (int i = 0; i < writes.size(); i++) {
            if (!writes.get(i).succeeded()) lastUnsuccessful = i;
        }
        int steady = lastUnsuccessful + 1;
        return steady < writes.size() ? OptionalLong.of(writes.get(steady).dueNanos()) : OptionalLong.empty();
    }

    /** Writes due at or after {@code nanos} that did not succeed. */
    long unsuccessfulWritesFrom(long nanos) {
        return samples.stream()
                .filter(s -> s.kind() == Kind.WRITE && s.dueNanos() >= nanos && !s.succeeded())
                .count();
    }

    /**
     * 250 ms of the run: what the requests due in it did, and the p99 of their answer times.
     *
     * @param writeP99Nanos of every write sent in it that came back, whatever the answer (a 503 is an answer
     *                      too, and the one the degradation rules promise fast); 0 when none
     * @param readP99Nanos  of the reads answered 200
     */
    record Bucket(long startNanos, long endNanos, Counts reads, Counts writes, long writeP99Nanos, long readP99Nanos) {

        static Bucket of(long start, long end, List<Sample> samples) {
            return new Bucket(
                    start,
                    end,
                    Counts.of(readsOf(samples)),
                    Counts.of(writesOf(samples)),
                    p99(samples, s -> s.kind() == Kind.WRITE && s.outcome() != Outcome.DROPPED),
                    p99(samples, s -> s.kind().isRead() && s.succeeded()));
        }

        /** Per second: a count of this bucket divided by its width. */
        double perSecond(long count) {
            return count / ((endNanos - startNanos) / 1e9);
        }
    }

    /**
     * The requests due in a stretch of the run.
     *
     * @param writeAnswers the answer times of every write sent, whatever the answer
     * @param readAnswers  the answer times of the reads answered 200
     * @param succeeded    the answer times of every request answered 200 (for a row like the suite's)
     * @param byKind       the counts of reads by id, reads by mobile and writes apart
     * @param otherFailures per kind, the statuses of the FAILED requests (0: no answer), counted
     */
    record Phase(
            long fromNanos,
            long untilNanos,
            Counts reads,
            Counts writes,
            Latency writeAnswers,
            Latency readAnswers,
            Latency succeeded,
            Map<Kind, Counts> byKind,
            Map<Kind, Map<Integer, Long>> otherFailures) {

        static Phase of(long from, long until, List<Sample> samples) {
            Map<Kind, Map<Integer, Long>> failures = new TreeMap<>();
            Map<Kind, Counts> byKind = new TreeMap<>();
            for (Kind kind : Kind.values()) {
                byKind.put(
                        kind,
                        Counts.of(samples.stream().filter(s -> s.kind() == kind).toList()));
                failures.put(
                        kind,
                        samples.stream()
                                .filter(s -> s.kind() == kind && s.outcome() == Outcome.FAILED)
                                .collect(Collectors.groupingBy(Sample::status, TreeMap::new, Collectors.counting())));
            }
            return new Phase(
                    from,
                    until,
                    Counts.of(readsOf(samples)),
                    Counts.of(writesOf(samples)),
                    latency(samples, s -> s.kind() == Kind.WRITE && s.outcome() != Outcome.DROPPED),
                    latency(samples, s -> s.kind().isRead() && s.succeeded()),
                    latency(samples, Sample::succeeded),
                    byKind,
                    failures);
        }

        Duration length() {
            return Duration.ofNanos(untilNanos - fromNanos);
        }

        /** As the suite's rows are: successes timed, refusals and failures as errors, drops as drops. */
        LoadResult asLoadResult(double askedRate, int maxInFlight) {
            long errors = reads.errors() + writes.errors();
            return new LoadResult(
                    "open",
                    maxInFlight,
                    askedRate,
                    length(),
                    reads.succeeded() + writes.succeeded(),
                    errors,
                    reads.dropped() + writes.dropped(),
                    succeeded,
                    errors == 0 ? Optional.empty() : Optional.of(describeErrors()));
        }

        private String describeErrors() {
            return "reads: " + reads.refused() + " refused, " + reads.failed() + " failed; writes: " + writes.refused()
                    + " refused, " + writes.failed() + " failed";
        }
    }

    private static List<Sample> readsOf(List<Sample> samples) {
        return samples.stream().filter(s -> s.kind().isRead()).toList();
    }

    private static List<Sample> writesOf(List<Sample> samples) {
        return samples.stream().filter(s -> s.kind() == Kind.WRITE).toList();
    }

    private static long p99(List<Sample> samples, Predicate<Sample> which) {
        return latency(samples, which).p99Nanos();
    }

    private static Latency latency(List<Sample> samples, Predicate<Sample> which) {
        return Percentile.latency(
                samples.stream().filter(which).mapToLong(Sample::answerNanos).toArray());
    }
}
