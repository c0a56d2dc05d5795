package io.membercenter.migration;

import io.membercenter.degradation.RequestScopes;
import io.membercenter.member.Member;
import io.membercenter.member.MemberImport;
import io.membercenter.replication.IdentifierKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One chunk of the full sync imported by several threads at once: each import is a few durable commits on one
 * shard's master, and one at a time left the masters idle between them (11–16 members a second, the MigrationTest
 * runs of 2026-12-01), while MariaDB's group commit makes concurrent commits nearly as cheap as one.
 *
 * <h2>Why the result is the sequential one</h2>
 * Rows that share an identifier (a mobile, an e-mail, an identity, after mapping) form one group, imported in key
 * order on one thread; only rows with nothing in common run concurrently. So of two legacy rows claiming one
 * mobile, the lower key still wins and the other is quarantined, as one thread in key order decided it (the claim
 * protocol would keep the identifier single-owned either way; the grouping keeps the choice of owner
 * deterministic). Collisions with members outside the chunk are the claim protocol's, exactly as before.
 *
 * <h2>Why the cursor stays safe</h2>
 * Groups start in the order of their first key, and none starts once the step's deadline has passed; the chunk's
 * outcomes are returned only when every started group has finished. The caller advances its cursor over the
 * longest run of handled rows from the chunk's start: a row past a gap is read again by the next step and found
 * ({@code AlreadyThere}) or quarantined again under its key (one row per key).
 */
final class ChunkImport {

    private final int threads;
    private final Function<LegacyMember, MemberImport.Outcome> importOne;

    ChunkImport(int threads, Function<LegacyMember, MemberImport.Outcome> importOne) {
        this.threads = threads;
        this.importOne = importOne;
    }

    /**
     * The outcome of each row handled, by key; rows of groups not started before the deadline are absent. A
     * failure of any import (the store, a simulated crash) is thrown once every started group has ended.
     */
    Map<Long, MemberImport.Outcome> run(
            List<LegacyMember> chunk, List<LegacyMapping.Mapped> mapped, long deadlineNanos) {
        List<List<LegacyMember>> groups = groups(chunk, mapped);
        Map<Long, MemberImport.Outcome> outcomes = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable worker = RequestScopes.carried(() -> {
            for (int g = next.getAndIncrement(); g < groups.size(); g = next.getAndIncrement()) {
                if (failure.get() != null || System.nanoTime() >= deadlineNanos) return;
                for (LegacyMember row : groups.get(g)) {
                    try {
                        outcomes.put(row.key(), importOne.apply(row));
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                        return;
                    }
                }
            }
        });
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < Math.min(threads, groups.size()); t++) pool.execute(worker);
        }
        if (failure.get() != null) throw failure.get();
        return outcomes;
    }

    /** The chunk's rows grouped by shared identifiers (union-find), groups in the order of their first key. */
    static List<List<LegacyMember>> groups(List<LegacyMember> chunk, List<LegacyMapping.Mapped> mapped) {
        int[] parent = new int[chunk.size()];
        for (int i = 0; i < parent.length; i++) parent[i] = i;
        Map<String, Integer> firstHolder = new HashMap<>();
        for (int i = 0; i < chunk.size(); i++) {
            for (String identifier : identifiers(mapped.get(i))) {
                Integer earlier = firstHolder.putIfAbsent(identifier, i);
                if (earlier != null) union(parent, earlier, i);
            }
        }
        Map<Integer, List<LegacyMember>> byRoot = new LinkedHashMap<>();
        for (int i = 0; i < chunk.size(); i++) {
            byRoot.computeIfAbsent(find(parent, i), root -> new ArrayList<>()).add(chunk.get(i));
        }
        return List.copyOf(byRoot.values());
    }

    private static List<String> identifiers(LegacyMapping.Mapped mapped) {
        if (!(mapped instanceof LegacyMapping.Valid valid)) return List.of(); // refused alone: it claims nothing
        MemberImport.Imported member = valid.member();
        // The keys the claim protocol claims (IdentifierKey normalises, e.g. an e-mail's case), so two rows that
        // would collide on a claim are in one group.
        List<String> identifiers = new ArrayList<>();
        if (member.mobile() != null)
            identifiers.add(IdentifierKey.mobile(member.mobile()).searchKey());
        if (member.email() != null)
            identifiers.add(IdentifierKey.email(member.email()).searchKey());
        for (Member.Identity identity : member.identities()) {
            identifiers.add(IdentifierKey.identity(identity.platform(), identity.externalId())
                    .searchKey());
        }
        return identifiers;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** The lower index becomes the root, so a group's root is its first row. */
    private static void union(int[] parent, int a, int b) {
        int rootA = find(parent, a), rootB = find(parent, b);
        if (rootA != rootB) parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
    }
}
