package io.membercenter.bench.population;

import java.time.Instant;
import java.util.Optional;

/**
 * The population, generated from an index: member {@code i} is always the same member, so a benchmark knows
 * every key without reading anything back, and a second run over a loaded database asks for the same data.
 *
 * <p>Member ids follow the service's layout (milliseconds since 2026 | data-center bit | 9-bit node | 12-bit
 * sequence) with node 511, which no service instance is configured with, and timestamps in 2026's first
 * seconds, before any service ran: they can never collide with an id the service issues.
 */
public final class SeedMembers {

    /** The node part reserved for loaded members. */
    static final int LOADER_NODE = 511;

    private static final long CREATED_FROM =
            Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long CREATED_SPAN_MILLIS = 300L * 24 * 3600 * 1000;
    private static final String[] LEVELS = {
        "NORMAL", "NORMAL", "NORMAL", "NORMAL", "SILVER", "SILVER", "GOLD", "PLATINUM", "NORMAL", "DIAMOND"
    };

    private SeedMembers() {}

    /** Member {@code index} (0-based) of the population. */
    public static SeedMember member(int index) {
        if (index < 0) throw new IllegalArgumentException("index must not be negative, was " + index);
        long memberId = memberId(index);
        Optional<SeedMember.Identity> identity =
                index % 2 == 0 ? Optional.of(new SeedMember.Identity("wechat", "wx-" + index)) : Optional.empty();
        return new SeedMember(
                memberId,
                mobile(index),
                "m" + index + "@bench.example",
                "member " + index,
                LEVELS[index % LEVELS.length],
                index % 50 == 49 ? "FROZEN" : "ACTIVE",
                identity,
                createdAt(index));
    }

    public static long memberId(int index) {
        long millis = 1 + index / 4096;
        long sequence = index % 4096;
        return (millis << 22) | ((long) LOADER_NODE << 12) | sequence;
    }

    /** +8617 and nine digits: a valid, unique E.164 number per index (up to a billion members). */
    public static String mobile(int index) {
        return "+8617" + String.format("%09d", index);
    }

    /** Spread over 300 days of 2026, by a multiplicative hash so neighbours in the index are not neighbours in time. */
    static long createdAt(int index) {
        long spread = Long.remainderUnsigned(index * 0x9E3779B97F4A7C15L, CREATED_SPAN_MILLIS);
        return CREATED_FROM + spread;
    }
}
