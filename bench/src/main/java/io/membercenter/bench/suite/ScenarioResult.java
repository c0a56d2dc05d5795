package io.membercenter.bench.suite;

import io.membercenter.bench.load.SweepResult;
import io.membercenter.bench.report.ResultRow;
import java.util.List;

/**
 * What one scenario measured, for the report.
 *
 * @param name        the scenario's name, as on the command line
 * @param title       one line: what it compares
 * @param notes       Markdown bullet lines: what each contender does, and figures that are not table rows
 * @param rows        closed-loop rows, service rows first, each compared with its first baseline
 * @param sweeps      each contender's sweep, when the suite sweeps
 */
record ScenarioResult(
        String name, String title, List<String> notes, List<ResultRow> rows, List<ContenderSweep> sweeps) {

    ScenarioResult {
        notes = List.copyOf(notes);
        rows = List.copyOf(rows);
        sweeps = List.copyOf(sweeps);
    }

    /** One contender's sweep. */
    record ContenderSweep(String contender, boolean isService, SweepResult result) {}
}
