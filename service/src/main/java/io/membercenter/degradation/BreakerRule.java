package io.membercenter.degradation;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The degradation rule of one dependency: the three signals of the reference write-ups, each a
 * Sentinel {@code DegradeRule} of its own, sharing one statistics window and one open time.
 *
 * @param slowCallMillis a call that takes longer than this is slow
 * @param slowCallRatio the breaker opens when more than this share of calls in the window are slow
 * @param errorRatio the breaker opens when more than this share of calls in the window failed
 * @param errorCount the breaker opens when more than this many calls in the window failed
 * @param minimumCalls no ratio or count opens the breaker before this many calls in the window
 * @param statIntervalMillis the statistics window (tumbling, as Sentinel keeps it)
 * @param openSeconds how long an open breaker skips the dependency before one half-open probe; whole
 *     seconds, since Sentinel's {@code timeWindow} is; 1 s lets writes resume within about a second
 *     of the dependency's return
 */
record BreakerRule(
        @DefaultValue("500") int slowCallMillis,
        @DefaultValue("0.5") double slowCallRatio,
        @DefaultValue("0.5") double errorRatio,
        @DefaultValue("5") int errorCount,
        @DefaultValue("5") int minimumCalls,
        @DefaultValue("2000") int statIntervalMillis,
        @DefaultValue("1") int openSeconds) {

    /** The field names, as they appear in configuration (kebab-case) and in the admin API's JSON (camelCase). */
    static final List<String> FIELDS = List.of(
            "slowCallMillis",
            "slowCallRatio",
            "errorRatio",
            "errorCount",
            "minimumCalls",
            "statIntervalMillis",
            "openSeconds");

    static BreakerRule defaults() {
        return new BreakerRule(500, 0.5, 0.5, 5, 5, 2000, 1);
    }

    /** One problem per bad field, each naming the field under {@code prefix}; empty when the rule is valid. */
    List<FieldProblem> problems(String prefix) {
        List<FieldProblem> problems = new ArrayList<>();
        if (slowCallMillis < 1 || slowCallMillis > 60_000)
            problems.add(new FieldProblem(prefix + "slowCallMillis", "must be between 1 and 60000"));
        if (!(slowCallRatio > 0 && slowCallRatio <= 1))
            problems.add(new FieldProblem(prefix + "slowCallRatio", "must be above 0 and at most 1"));
        if (!(errorRatio > 0 && errorRatio <= 1))
            problems.add(new FieldProblem(prefix + "errorRatio", "must be above 0 and at most 1"));
        if (errorCount < 1) problems.add(new FieldProblem(prefix + "errorCount", "must be at least 1"));
        if (minimumCalls < 1) problems.add(new FieldProblem(prefix + "minimumCalls", "must be at least 1"));
        if (statIntervalMillis < 100 || statIntervalMillis > 600_000)
            problems.add(new FieldProblem(prefix + "statIntervalMillis", "must be between 100 and 600000"));
        if (openSeconds < 1 || openSeconds > 3600)
            problems.add(new FieldProblem(prefix + "openSeconds", "must be between 1 and 3600"));
        return problems;
    }

    /** A bad field and what it must be. */
    record FieldProblem(String field, String message) {}
}
