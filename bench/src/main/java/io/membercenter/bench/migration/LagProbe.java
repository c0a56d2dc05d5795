package io.membercenter.bench.migration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The incremental sync's lag, end to end: a marker change committed in the legacy store (a legacy caller's update of
 * one member's nickname, as the old system would make it), timed from just before its COMMIT is sent, until
 * member-center's API ({@code GET /v1/members/{id}}, as a caller reads it) answers the new nickname. A marker every
 * {@code intervalMillis}, on the next of the given members; the member is polled every {@link #POLL_MILLIS}, so a
 * sample is at most that much late. A marker not seen within {@link #GIVE_UP_MILLIS} is counted as lost, not as a sample.
 */
final class LagProbe {

    static final long POLL_MILLIS = 20;
    static final long GIVE_UP_MILLIS = 30_000;

    /** One marker: when it was committed (ms since the probe began) and how long until member-center showed it. */
    record Sample(long atMillis, long lagMillis) {}

    /** The samples in order, and the markers never seen. */
    record Result(List<Sample> samples, int lost) {}

    private final String legacyJdbcUrl;
    private final MigrationAdmin admin;
    private final List<Long> keys;

    /** {@code keys}: valid legacy members the markers take turns on (the legacy writer may touch them too, rarely). */
    LagProbe(String legacyJdbcUrl, MigrationAdmin admin, List<Long> keys) {
        this.legacyJdbcUrl = legacyJdbcUrl;
        this.admin = admin;
        this.keys = List.copyOf(keys);
    }

    Result run(long durationMillis, long intervalMillis) throws SQLException, InterruptedException {
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger lost = new AtomicInteger();
        long begin = System.nanoTime();
        // Markers leave on time whatever the lag; each is watched by a thread of its own, so a long lag does not
        // thin out the samples.
        try (Connection legacy = DriverManager.getConnection(legacyJdbcUrl);
                ExecutorService watchers = Executors.newVirtualThreadPerTaskExecutor()) {
            legacy.setAutoCommit(false);
            for (int marker = 0; elapsedMillis(begin) < durationMillis; marker++) {
                long due = begin + marker * intervalMillis * 1_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000L);
                long key = keys.get(marker % keys.size());
                String nickname = "lag-" + marker + "-" + Long.toString(System.nanoTime() & 0xffffff, 36);
                long committedAt = commitMarker(legacy, key, nickname);
                watchers.execute(() -> {
                    long seenAt = awaitSeen(key, nickname, committedAt);
                    if (seenAt < 0) {
                        lost.incrementAndGet();
                    } else {
                        samples.add(
                                new Sample((committedAt - begin) / 1_000_000L, (seenAt - committedAt) / 1_000_000L));
                    }
                });
            }
        }
        List<Sample> ordered = new ArrayList<>(samples);
        ordered.sort(java.util.Comparator.comparingLong(Sample::atMillis));
        return new Result(ordered, lost.get());
    }

    /** Updates the row as a legacy caller does and commits; returns the nano time just before the COMMIT was sent. */
    private static long commitMarker(Connection legacy, long key, String nickname) throws SQLException {
        try (PreparedStatement ps = legacy.prepareStatement(
                "UPDATE t_user_info SET nick_nm = ?, last_mod_time = LOCALTIMESTAMP WHERE user_no = ?")) {
            ps.setString(1, nickname);
            ps.setLong(2, key);
            if (ps.executeUpdate() != 1) throw new IllegalStateException("marker row " + key + " is gone");
        }
        long before = System.nanoTime();
        legacy.commit();
        return before;
    }

    /** When member-center first answered the marker (nano time), or -1: not within {@link #GIVE_UP_MILLIS}. */
    private long awaitSeen(long key, String nickname, long committedAt) {
        try {
            while (System.nanoTime() - committedAt < GIVE_UP_MILLIS * 1_000_000L) {
                if (nickname.equals(admin.nickname(key))) return System.nanoTime();
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    private static long elapsedMillis(long beginNanos) {
        return (System.nanoTime() - beginNanos) / 1_000_000L;
    }
}
