/**
 * {@code ./mc bench migration}: the migration from the legacy PostgreSQL (issue 15) measured in one run, on a
 * topology of its own that includes the legacy store (kind {@code legacy}), with the service in the bench's JVM.
 *
 * <h2>What it measures</h2>
 * <ol>
 *   <li>{@link io.membercenter.bench.migration.RawCopy}: the baseline, the same legacy rows (and their bindings)
 *       copied between the same two databases with nothing in between: {@code COPY (SELECT ...) TO STDOUT} streamed
 *       into 1,000-row INSERTs in plain tables of the shards' physical databases, as many streams as the full sync
 *       has import threads;</li>
 *   <li>the full sync of the same rows through the admin API, claim protocol and outbox on, throttle out of reach:
 *       members/s next to the raw copy's (goal ≥ 0.5 ×), with the master's own counters per member
 *       ({@link io.membercenter.bench.migration.ServerCounters}) to say where the time goes;</li>
 *   <li>{@link io.membercenter.bench.migration.LagProbe}: the incremental sync's end-to-end lag with the legacy
 *       writer running: a marker update committed in the legacy store until member-center's API answers it;</li>
 *   <li>the verify over the whole range: rows/s and its findings;</li>
 *   <li>{@link io.membercenter.bench.migration.MigrationChart}: rows done over time for both copies, and the lag
 *       over time, in benchmarks/migration.svg.</li>
 * </ol>
 *
 * <h2>Tests</h2>
 * The pure parts: {@code RawCopyTest} (key ranges, COPY's text format), {@code MigrationReportTest} (the section,
 * goals met and not, percentiles, marker members), {@code MigrationChartTest}.
 */
package io.membercenter.bench.migration;
