package io.membercenter.migration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the migration runs, validated once at start.
 *
 * @param legacyJdbcUrl the legacy store ({@code jdbc:postgresql://...}); empty: no migration, every step says so
 *     (the local profile points it at the topology's own legacy PostgreSQL when it runs)
 * @param chunkSize legacy rows read and handled per chunk; the cursor is saved after each
 * @param rowsPerSecond at most this many rows per second per step, so a sync never takes more than that
 * @param stepBudget how long one {@code POST /admin/migration/{step}} may work; below the request deadline, since
 *     a step runs inside the operator's request
 * @param writerRate changes per second the legacy writer makes when started without a rate
 * @param importThreads threads importing one chunk of the full sync at once (rows sharing an identifier on one);
 *     each holds at most one connection of a master's pool at a time, from the operator's (DEFAULT) share: 4 of
 *     its 8 (pool-size 16, default-share 0.5), so the operator's other requests still find connections
 */
@ConfigurationProperties("member-center.migration")
record MigrationProperties(
        @DefaultValue("") String legacyJdbcUrl,
        @DefaultValue("200") int chunkSize,
        @DefaultValue("2000") int rowsPerSecond,
        @DefaultValue("3s") Duration stepBudget,
        @DefaultValue("20") int writerRate,
        @DefaultValue("4") int importThreads) {

    MigrationProperties {
        List<String> problems = new ArrayList<>();
        if (chunkSize < 1 || chunkSize > 5_000) problems.add("chunk-size must be 1-5000");
        if (rowsPerSecond < 1) problems.add("rows-per-second must be at least 1");
        if (stepBudget.compareTo(Duration.ofMillis(100)) < 0) problems.add("step-budget must be at least 100ms");
        if (writerRate < 1 || writerRate > 10_000) problems.add("writer-rate must be 1-10000");
        if (importThreads < 1 || importThreads > 64) problems.add("import-threads must be 1-64");
        if (!problems.isEmpty()) {
            throw new IllegalStateException("member-center.migration is invalid: " + String.join("; ", problems));
        }
    }
}
