package io.membercenter.bench.report;

import io.membercenter.bench.load.LoadResult;
import java.util.Optional;

/**
 * One line of a results table.
 *
 * @param scenario what was measured, e.g. {@code api-get-by-id}
 * @param result   what the run measured
 * @param baseline for a row of the service: its baseline measured the same way in the same run
 * @param machine  where the cores went and how long the disk stalled during the measured window, if known
 */
public record ResultRow(
        String scenario, LoadResult result, Optional<LoadResult> baseline, Optional<MachineLoad> machine) {

    public static ResultRow baseline(String scenario, Measured measured) {
        return new ResultRow(scenario, measured.result(), Optional.empty(), measured.machine());
    }

    public static ResultRow comparedTo(String scenario, Measured measured, Measured baseline) {
        return new ResultRow(scenario, measured.result(), Optional.of(baseline.result()), measured.machine());
    }

    /** A run's result with the machine's load measured alongside it. */
    public record Measured(LoadResult result, Optional<MachineLoad> machine) {}
}
