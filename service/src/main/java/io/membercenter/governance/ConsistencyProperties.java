package io.membercenter.governance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the consistency checker samples and checks, validated once at start (the window against the cache's and
 * search's settings in {@link GovernanceConfiguration}).
 *
 * @param enabled whether the background checker runs at all
 * @param replicationWindow a change is checked only once it is older than this: by then every store should hold it
 *     (validated longer than the cache's {@code marker-ttl} plus search's {@code refresh-interval})
 * @param passInterval the pause between two passes of the checker
 * @param chunkSize outbox rows read per physical database and pass: one short range read of the primary key
 * @param membersPerPass members checked per physical database and pass, a uniform sample of the chunk's members;
 *     the rest are counted as not sampled
 * @param membersPerSecond at most this many members checked per second (each check is a few small reads of the
 *     master, of each Redis and of each search cluster)
 * @param maxLag when the oldest change not yet read is older than this, the checker jumps to the newest change and
 *     counts what it jumped over: a check long after the change says little about the window, and catching up
 *     would take longer than the changes keep coming
 * @param checkDeadline how long one member's check may take; no store call starts after it
 * @param recentLimit how many inconsistencies the admin API lists (the newest)
 */
@ConfigurationProperties("member-center.governance.consistency")
record ConsistencyProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("30s") Duration replicationWindow,
        @DefaultValue("1s") Duration passInterval,
        @DefaultValue("200") int chunkSize,
        @DefaultValue("20") int membersPerPass,
        @DefaultValue("50") int membersPerSecond,
        @DefaultValue("5m") Duration maxLag,
        @DefaultValue("2s") Duration checkDeadline,
        @DefaultValue("100") int recentLimit) {

    public ConsistencyProperties {
        List<String> problems = new ArrayList<>();
        if (!replicationWindow.isPositive()) problems.add("replication-window must be positive");
        if (passInterval.compareTo(Duration.ofMillis(10)) < 0) problems.add("pass-interval must be at least 10ms");
        if (chunkSize < 1 || chunkSize > 5_000) problems.add("chunk-size must be 1-5000");
        if (membersPerPass < 1 || membersPerPass > chunkSize) problems.add("members-per-pass must be 1-chunk-size");
        if (membersPerSecond < 1) problems.add("members-per-second must be at least 1");
        if (maxLag.compareTo(replicationWindow) <= 0) problems.add("max-lag must be longer than replication-window");
        if (checkDeadline.compareTo(Duration.ofMillis(100)) < 0) problems.add("check-deadline must be at least 100ms");
        if (recentLimit < 1 || recentLimit > 10_000) problems.add("recent-limit must be 1-10000");
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "member-center.governance.consistency is invalid: " + String.join("; ", problems));
        }
    }
}
