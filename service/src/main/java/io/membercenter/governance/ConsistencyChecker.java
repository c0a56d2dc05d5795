package io.membercenter.governance;

import io.membercenter.cache.MemberCache;
import io.membercenter.degradation.RequestScopes;
import io.membercenter.governance.ChangeSamples.Sample;
import io.membercenter.governance.StoreComparison.Difference;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.MemberChange;
import io.membercenter.search.MemberSearch;
import io.membercenter.shard.ShardedDatabases;
import io.membercenter.traffic.TrafficClass;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The consistency checker (Polaris-style): samples committed changes from each physical database's outbox and,
 * once a change is older than the replication window, compares every store's copy of its member with the
 * master's row. The design and its invariants are in {@code package-info.java}.
 */
final class ConsistencyChecker {

    private static final Logger log = LoggerFactory.getLogger(ConsistencyChecker.class);

    /** What became of one sampled change. */
    enum Outcome {
        /** Younger than the replication window: the stores may not have it yet. */
        TOO_YOUNG,
        /** The member changed again after the sample (or while it was checked): in flight, not judged. */
        CHANGED,
        /** Compared in every store that could be read. */
        CHECKED,
        /** A read failed (the master unavailable, an answer that could not be read): not judged, counted. */
        FAILED
    }

    /** A check's outcome, the stores it compared and what differed in them (reported only when {@code CHECKED}). */
    record Report(Outcome outcome, List<String> stores, List<Difference> differences) {
        static Report of(Outcome outcome) {
            return new Report(outcome, List.of(), List.of());
        }
    }

    private final ShardedDatabases databases;
    private final MemberCache cache;
    private final MemberSearch search;
    private final ConsistencyResults results;
    private final ConsistencyProperties properties;
    private final Clock clock;
    private final JsonMapper json;
    private final Throttle throttle;
    /** Per physical database: the outbox id up to which changes were read. In memory: a new instance starts anew. */
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();

    ConsistencyChecker(
            ShardedDatabases databases,
            MemberCache cache,
            MemberSearch search,
            ConsistencyResults results,
            ConsistencyProperties properties,
            Clock clock,
            JsonMapper json) {
        this.databases = databases;
        this.cache = cache;
        this.search = search;
        this.results = results;
        this.properties = properties;
        this.clock = clock;
        this.json = json;
        this.throttle = new Throttle(properties.membersPerSecond(), Duration.ZERO);
    }

    /** One pass over every physical database: a chunk of changes each, a sample of their members checked. */
    synchronized void pass() {
        for (String database : databases.databaseNames()) {
            try {
                passOver(database);
            } catch (RuntimeException e) {
                log.warn(
                        "event=consistency_pass_failed database={} error={}",
                        database,
                        e.getClass().getSimpleName());
            }
        }
    }

    /** Where the checker has read each database's outbox up to. */
    Map<String, Long> cursors() {
        return Map.copyOf(cursors);
    }

    private void passOver(String database) {
        Long cursor = cursors.get(database);
        if (cursor == null) {
            cursors.put(database, inScope(() -> databases.onMaster(database, ChangeSamples::lastId)));
            return;
        }
        List<Sample> rows = inScope(() ->
                databases.onMaster(database, c -> ChangeSamples.after(c, database, cursor, properties.chunkSize())));
        if (rows.isEmpty()) return;
        long now = clock.millis();
        if (rows.getFirst().committedAt() < now - properties.maxLag().toMillis()) {
            long newest = inScope(() -> databases.onMaster(database, ChangeSamples::lastId));
            results.skipped("lag", newest - cursor);
            cursors.put(database, newest);
            return;
        }
        List<Sample> old = rows.stream()
                .takeWhile(s ->
                        s.committedAt() <= now - properties.replicationWindow().toMillis())
                .toList();
        if (old.isEmpty()) return;
        cursors.put(database, old.getLast().outboxId());
        List<Sample> sampled = sampleOf(latestPerMember(old));
        results.skipped("unsampled", old.size() - sampled.size());
        for (Sample sample : sampled) {
            Outcome outcome = inScope(() -> checkSafely(sample)).outcome();
            if (outcome == Outcome.CHANGED) results.skipped("changed", 1);
            throttle.afterChunk(1);
        }
    }

    /** A member changed more than once in the chunk is checked once, against its latest change. */
    private static List<Sample> latestPerMember(List<Sample> samples) {
        Map<Long, Sample> latest = new LinkedHashMap<>();
        samples.forEach(s -> latest.put(s.memberId(), s));
        return new ArrayList<>(latest.values());
    }

    /** A uniform sample of at most members-per-pass: the nines stay an unbiased estimate when not all are checked. */
    private List<Sample> sampleOf(List<Sample> members) {
        if (members.size() <= properties.membersPerPass()) return members;
        Collections.shuffle(members, ThreadLocalRandom.current());
        return members.subList(0, properties.membersPerPass());
    }

    private Report checkSafely(Sample sample) {
        try {
            return check(sample, () -> {});
        } catch (RuntimeException e) {
            results.skipped("failed", 1);
            log.warn(
                    "event=consistency_check_failed memberId={} error={}",
                    sample.memberId(),
                    e.getClass().getSimpleName());
            return Report.of(Outcome.FAILED);
        }
    }

    /**
     * Checks one sampled change: the master's row, then every store's copy, then — only when some copy differs —
     * the master again. A member whose version moved since the sample, or between the two master reads, is in
     * flight: a copy that differs may be on its way, so nothing is reported. {@code betweenReads} runs after the
     * first master read (tests change the member there).
     */
    Report check(Sample sample, Runnable betweenReads) {
        if (sample.committedAt()
                > clock.millis() - properties.replicationWindow().toMillis()) {
            return Report.of(Outcome.TOO_YOUNG);
        }
        Optional<MemberChange> master = master(sample.memberId());
        long version = versionOf(master);
        if (version > sample.version()) return Report.of(Outcome.CHANGED);
        betweenReads.run();
        List<IdentifierKey> keys = StoreComparison.identifiersToCompare(master, sample);
        List<String> storesChecked = new ArrayList<>();
        List<Difference> differences = new ArrayList<>();
        for (MemberCache.Held held : cache.heldEverywhere(sample.memberId(), keys)) {
            storesChecked.add(held.store());
            differences.addAll(StoreComparison.ofCache(sample.memberId(), master, held));
        }
        for (MemberSearch.Indexed indexed : search.indexedEverywhere(sample.memberId(), keys)) {
            storesChecked.add(indexed.store());
            differences.addAll(StoreComparison.ofSearch(sample.memberId(), master, indexed));
        }
        if (!differences.isEmpty() && versionOf(master(sample.memberId())) != version) {
            return Report.of(Outcome.CHANGED);
        }
        results.checked(sample.memberId(), storesChecked, differences, clock.millis());
        for (Difference difference : differences) {
            log.warn(
                    "event=consistency_inconsistent store={} memberId={} part={} fields={}",
                    difference.store(),
                    sample.memberId(),
                    difference.part().startsWith("identifier") ? "identifier" : difference.part(),
                    difference.fields());
        }
        return new Report(Outcome.CHECKED, storesChecked, differences);
    }

    private Optional<MemberChange> master(long memberId) {
        return databases.onMaster(
                databases.shardMap().shardOfMember(memberId), c -> ChangeSamples.liveMember(c, memberId, json));
    }

    private static long versionOf(Optional<MemberChange> member) {
        return member.map(MemberChange::version).orElse(-1L);
    }

    /**
     * Runs a store call as a DEFAULT-class caller: from DEFAULT's share of each pool, under the check deadline.
     * Background work is otherwise unbound, and unbound work draws from the whole pool, ORDER's part included.
     */
    private <T> T inScope(Supplier<T> work) {
        List<T> result = new ArrayList<>(1);
        RequestScopes.runAs(TrafficClass.DEFAULT, properties.checkDeadline(), () -> result.add(work.get()));
        return result.getFirst();
    }
}
