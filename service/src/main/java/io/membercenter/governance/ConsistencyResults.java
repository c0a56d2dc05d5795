package io.membercenter.governance;

import io.membercenter.governance.StoreComparison.Difference;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * What the consistency checker found, since this instance started: per store the members checked and those whose
 * copy was inconsistent (counters {@code consistency_checked_total{store}}, {@code consistency_inconsistent_total
 * {store}}, the gauge {@code consistency_nines{store}}; store names only, no PII), changes not checked by reason
 * ({@code consistency_skipped_total{reason}}), and the newest inconsistencies with their evidence.
 */
final class ConsistencyResults {

    /** The most nines a store is shown with before anything was checked: none known. */
    static final double NO_NINES = 0;

    /** One inconsistency: the member, the store and part, what it held and what the master holds, when seen. */
    record Inconsistency(long memberId, Difference difference, long seenAt) {}

    /** A store's totals. */
    record StoreTotals(long checked, long inconsistent, double nines) {}

    private final MeterRegistry registry;
    private final int recentLimit;
    private final Map<String, Store> stores = new ConcurrentHashMap<>();
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final Deque<Inconsistency> recent = new ArrayDeque<>();

    ConsistencyResults(MeterRegistry registry, int recentLimit) {
        this.registry = registry;
        this.recentLimit = recentLimit;
    }

    /**
     * One member checked in these stores: each counted once, as inconsistent when any part of its copy differed.
     */
    void checked(long memberId, Collection<String> storesChecked, List<Difference> differences, long now) {
        Set<String> inconsistent = differences.stream().map(Difference::store).collect(Collectors.toSet());
        for (String store : storesChecked) {
            Store totals = store(store);
            totals.checked.increment();
            totals.checkedCount.incrementAndGet();
            if (inconsistent.contains(store)) {
                totals.inconsistent.increment();
                totals.inconsistentCount.incrementAndGet();
            }
        }
        synchronized (recent) {
            for (Difference difference : differences) {
                recent.addFirst(new Inconsistency(memberId, difference, now));
                if (recent.size() > recentLimit) recent.removeLast();
            }
        }
    }

    /** Changes not checked, and why ({@code changed}, {@code unsampled}, {@code lag}, {@code failed}). */
    void skipped(String reason, long changes) {
        skipped.computeIfAbsent(
                        reason,
                        r -> Counter.builder("consistency_skipped_total")
                                .tag("reason", r)
                                .register(registry))
                .increment(changes);
    }

    Map<String, StoreTotals> totals() {
        return stores.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().totals()));
    }

    /** The newest inconsistencies first. */
    List<Inconsistency> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /**
     * Consistency in nines, {@code -log10(inconsistent / checked)}. With none inconsistent it is capped at what the
     * sample can show, {@code log10(checked)}: one inconsistency in it would have read as that; before any check, 0.
     */
    static double nines(long checked, long inconsistent) {
        if (checked == 0) return NO_NINES;
        if (inconsistent == 0) return Math.log10(checked);
        return -Math.log10((double) inconsistent / checked);
    }

    private Store store(String name) {
        return stores.computeIfAbsent(name, n -> new Store(registry, n));
    }

    private static final class Store {
        final Counter checked;
        final Counter inconsistent;
        final AtomicLong checkedCount = new AtomicLong();
        final AtomicLong inconsistentCount = new AtomicLong();

        Store(MeterRegistry registry, String name) {
            checked = Counter.builder("consistency_checked_total")
                    .tag("store", name)
                    .register(registry);
            inconsistent = Counter.builder("consistency_inconsistent_total")
                    .tag("store", name)
                    .register(registry);
            Gauge.builder("consistency_nines", this, s -> s.totals().nines())
                    .tag("store", name)
                    .strongReference(true)
                    .register(registry);
        }

        StoreTotals totals() {
            long c = checkedCount.get();
            long i = inconsistentCount.get();
            return new StoreTotals(c, i, nines(c, i));
        }
    }
}
