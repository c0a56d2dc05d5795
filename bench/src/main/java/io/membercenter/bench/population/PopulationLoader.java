package io.membercenter.bench.population;

import io.membercenter.member.Member;
import io.membercenter.member.MemberBulkLoad;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Puts members {@code 0 .. count-1} of {@link SeedMembers} into every system a benchmark compares: the
 * service's shards through {@link MemberBulkLoad} (the API does a few hundred creates a second here; a million
 * would take an hour), and any other sink such as the naive service's table. Chunks of {@code chunk} members
 * go to {@code workers} threads at once, so the databases' commits overlap.
 */
public final class PopulationLoader {

    private final int workers;
    private final int chunk;

    public PopulationLoader(int workers, int chunk) {
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        if (chunk < 1 || chunk > 5_000) throw new IllegalArgumentException("chunk must be 1..5000, was " + chunk);
        this.workers = workers;
        this.chunk = chunk;
    }

    /** A sink of seed members: called with whole chunks, from several threads at once. */
    @FunctionalInterface
    public interface Sink {
        void load(List<SeedMember> members) throws Exception;
    }

    /** The service's own shards, as LIVE members at version 1. */
    public static Sink into(MemberBulkLoad bulkLoad) {
        return members ->
                bulkLoad.load(members.stream().map(PopulationLoader::toMember).toList());
    }

    /** Loads members {@code 0 .. count-1} into the sink, with a progress bar; fails on the first failed chunk. */
    public void load(String label, int count, Sink sink, Consumer<String> progress) throws Exception {
        ProgressBar bar = new ProgressBar(label, count, System.out);
        AtomicInteger nextChunk = new AtomicInteger();
        AtomicLong loaded = new AtomicLong();
        int chunks = (count + chunk - 1) / chunk;
        try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    for (int c; (c = nextChunk.getAndIncrement()) < chunks; ) {
                        List<SeedMember> members = seeds(c * chunk, Math.min(count, (c + 1) * chunk));
                        sink.load(members);
                        bar.show(loaded.addAndGet(members.size()));
                    }
                    return null;
                }));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
        }
        progress.accept(String.format("loaded %,d members into %s", loaded.get(), label));
    }

    static List<SeedMember> seeds(int from, int to) {
        List<SeedMember> members = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) members.add(SeedMembers.member(i));
        return members;
    }

    static Member toMember(SeedMember seed) {
        Instant created = Instant.ofEpochMilli(seed.createdAtMillis());
        List<Member.Identity> identities = seed.identity()
                .map(i -> List.of(new Member.Identity(i.platform(), i.externalId())))
                .orElse(List.of());
        return new Member(
                seed.memberId(),
                seed.mobile(),
                seed.email(),
                seed.nickname(),
                Member.Level.valueOf(seed.level()),
                Member.Status.valueOf(seed.status()),
                identities,
                1,
                created,
                created);
    }
}
