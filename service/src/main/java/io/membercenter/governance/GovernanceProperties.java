package io.membercenter.governance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the relationship audit runs, validated once at start.
 *
 * @param rowsPerSecond at most this many rows (member rows and owner entries) examined per second, so an
 *     audit never takes more from a master than this; the throttle sleeps between chunks to keep it
 * @param chunkSize rows read per statement: one short, indexed range read at a time
 * @param pauseBetweenChunks a fixed pause after every chunk, on top of the rate (0: the rate alone)
 * @param stepBudget how long one step (one {@code POST /admin/governance/audit}) may work; below the
 *     request deadline, since a step runs inside the admin's request
 * @param sweeperWindow an owner entry is judged by its age only once older than this: a claim younger than
 *     this may still be settled by its operation or the claim sweeper (which settles a claim within
 *     {@code claim-ttl} plus one {@code sweep-interval}; validated to be longer than that), and an orphan is
 *     repaired automatically only once older than this
 */
@ConfigurationProperties("member-center.governance")
record GovernanceProperties(
        @DefaultValue("2000") int rowsPerSecond,
        @DefaultValue("200") int chunkSize,
        @DefaultValue("0ms") Duration pauseBetweenChunks,
        @DefaultValue("3s") Duration stepBudget,
        @DefaultValue("1m") Duration sweeperWindow) {

    public GovernanceProperties {
        List<String> problems = new ArrayList<>();
        if (rowsPerSecond < 1) problems.add("rows-per-second must be at least 1");
        if (chunkSize < 1 || chunkSize > 5_000) problems.add("chunk-size must be 1-5000");
        if (pauseBetweenChunks.isNegative() || pauseBetweenChunks.compareTo(Duration.ofSeconds(1)) > 0)
            problems.add("pause-between-chunks must be 0-1s");
        if (stepBudget.compareTo(Duration.ofMillis(100)) < 0) problems.add("step-budget must be at least 100ms");
        if (!sweeperWindow.isPositive()) problems.add("sweeper-window must be positive");
        if (!problems.isEmpty()) {
            throw new IllegalStateException("member-center.governance is invalid: " + String.join("; ", problems));
        }
    }
}
