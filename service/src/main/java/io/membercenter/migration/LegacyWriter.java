package io.membercenter.migration;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The old system's callers, played: a thread started on demand that keeps registering members and changing existing
 * ones in the legacy store (nicknames, grades, e-mails, a new binding), at a set rate, so every phase of the
 * migration runs against live writes. Its new members are clean (the deliberate breaks are the population's); its
 * changes keep each member valid, so what the migration must get right is ordering and completeness, not rules.
 */
final class LegacyWriter {

    private static final Logger log = LoggerFactory.getLogger(LegacyWriter.class);

    private final LegacySource legacy;
    private final AtomicLong inserts = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile Thread thread;
    private volatile boolean stopping;

    LegacyWriter(LegacySource legacy) {
        this.legacy = legacy;
    }

    record Counts(boolean running, long inserts, long updates, long failures) {}

    Counts counts() {
        return new Counts(thread != null, inserts.get(), updates.get(), failures.get());
    }

    /** Starts writing {@code perSecond} changes a second, one in four a new member; false if already running. */
    synchronized boolean start(int perSecond) {
        if (thread != null) {
            return false;
        }
        stopping = false;
        long pauseNanos = 1_000_000_000L / Math.max(1, perSecond);
        thread = Thread.ofPlatform().name("legacy-writer").daemon().start(() -> run(pauseNanos));
        return true;
    }

    /** Stops and waits for the write in flight; false if it was not running. */
    synchronized boolean stop() {
        Thread running = thread;
        if (running == null) {
            return false;
        }
        stopping = true;
        try {
            running.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
        return true;
    }

    private void run(long pauseNanos) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stopping) {
            try {
                LegacySource.KeyRange range = legacy.keyRange();
                if (range.count() == 0 || random.nextInt(4) == 0) {
                    register();
                } else {
                    change(range.min() + random.nextLong(range.max() - range.min() + 1), random);
                }
            } catch (RuntimeException e) {
                // the legacy store may be stopped by a test; the old system's callers retry, and so does this
                failures.incrementAndGet();
                log.debug("event=legacy_writer_failed", e);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
        }
    }

    private void register() {
        long next = legacy.keyRange().max() + 1;
        // the key comes from the store's own sequence; the number is made from the key the sequence will give
        LegacyMember member = new LegacyMember(
                0,
                LegacyPopulation.typedMobile(next, next),
                "U" + next + "@LEGACY.EXAMPLE.COM",
                "新会员" + next,
                0,
                "A",
                LocalDateTime.now(LegacyMapping.LEGACY_ZONE).withNano(0),
                List.of());
        long key = legacy.insert(member);
        if (key != next) {
            // another writer took the key we named the number after: keep the row unique by its own key
            legacy.update(member.withMobile(LegacyPopulation.typedMobile(key, key))
                    .withEmail("U" + key + "@LEGACY.EXAMPLE.COM")
                    .withKey(key));
        }
        inserts.incrementAndGet();
    }

    private void change(long key, ThreadLocalRandom random) {
        List<LegacyMember> found = legacy.read(java.util.Set.of(key));
        if (found.isEmpty()) {
            return;
        }
        LegacyMember member = found.getFirst();
        LegacyMember changed = switch (random.nextInt(4)) {
            case 0 -> member.withNickname("改名" + random.nextInt(1_000_000));
            case 1 -> member.withGrade(random.nextInt(5));
            case 2 -> member.withEmail("U" + key + "." + random.nextInt(1_000_000) + "@LEGACY.EXAMPLE.COM");
            default -> {
                List<LegacyMember.Binding> bindings = new java.util.ArrayList<>(member.bindings());
                bindings.add(new LegacyMember.Binding("ALIPAY", "2088" + key + "-" + random.nextInt(1_000_000)));
                yield member.withBindings(bindings);
            }
        };
        legacy.update(changed);
        updates.incrementAndGet();
    }
}
