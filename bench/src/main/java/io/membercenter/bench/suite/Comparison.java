package io.membercenter.bench.suite;

import io.membercenter.bench.load.LoadResult;
import io.membercenter.bench.load.Operation;
import io.membercenter.bench.load.SweepResult;
import io.membercenter.bench.report.MachineLoad;
import io.membercenter.bench.report.MachineMeter;
import io.membercenter.bench.report.ResultRow;
import io.membercenter.bench.report.ResultRow.Measured;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs contenders one after another, never at once (they share the cores): each in a closed loop at the
 * suite's concurrency, then, when the suite sweeps, each through a rate sweep. Service rows are compared with
 * the first baseline.
 */
final class Comparison {

    private final SuiteSettings settings;
    private final Consumer<String> progress;

    Comparison(SuiteSettings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Closed loop for each contender; then, if {@code sweepFrom} is given and the suite sweeps, a sweep of each from that rate. */
    ScenarioResult run(
            String name, String title, List<String> notes, List<Contender> contenders, OptionalDouble sweepFrom) {
        progress.accept("scenario " + name + ": " + title);
        List<Measured> closed = new ArrayList<>();
        for (Contender contender : contenders) {
            closed.add(measure(
                    contender.name(),
                    settings.warmup(),
                    settings.measured(),
                    settings.closedLoop()::run,
                    contender.call()));
        }
        List<ResultRow> rows = rows(contenders, closed);
        List<ScenarioResult.ContenderSweep> sweeps = new ArrayList<>();
        if (settings.sweep() && sweepFrom.isPresent()) {
            double sweepStartRate = sweepFrom.getAsDouble();
            for (Contender contender : contenders) {
                progress.accept(String.format(
                        Locale.ROOT,
                        "%s: sweep of %s from %,.0f/s, p99 bound %d ms",
                        name,
                        contender.name(),
                        sweepStartRate,
                        settings.p99Bound().toMillis()));
                SweepResult sweep =
                        settings.sweepAt(sweepStartRate).run(contender.call(), line -> progress.accept("  " + line));
                sweeps.add(new ScenarioResult.ContenderSweep(contender.name(), contender.isService(), sweep));
                progress.accept(String.format(
                        Locale.ROOT,
                        "%s: %s sustains %s",
                        name,
                        contender.name(),
                        sweep.sustainableRate()
                                .map(rate -> String.format(Locale.ROOT, "%,.0f/s", rate))
                                .orElse("no rate tried")));
            }
        }
        return new ScenarioResult(name, title, notes, rows, sweeps);
    }

    private static List<ResultRow> rows(List<Contender> contenders, List<Measured> closed) {
        Optional<Measured> firstBaseline = Optional.empty();
        for (int i = 0; i < contenders.size(); i++) {
            if (!contenders.get(i).isService()) {
                firstBaseline = Optional.of(closed.get(i));
                break;
            }
        }
        List<ResultRow> rows = new ArrayList<>();
        for (int i = 0; i < contenders.size(); i++) {
            Contender contender = contenders.get(i);
            Measured measured = closed.get(i);
            rows.add(
                    contender.isService() && firstBaseline.isPresent()
                            ? ResultRow.comparedTo(contender.name(), measured, firstBaseline.get())
                            : ResultRow.baseline(contender.name(), measured));
        }
        return rows;
    }

    /** One measured run with the machine's load alongside; also what the hit-rate and lag scenarios use. */
    Measured measure(
            String name,
            Duration warmup,
            Duration measured,
            Function<Operation, LoadResult> generator,
            Operation operation) {
        CompletableFuture<Optional<MachineLoad>> machine = MachineMeter.measureWindow(warmup, measured);
        Measured result = new Measured(generator.apply(operation), machine.join());
        LoadResult r = result.result();
        progress.accept(String.format(
                Locale.ROOT,
                "  %-28s %,.0f ops/s, p50 %.2f ms, p99 %.2f ms, errors %d%s, CPU %s%s",
                name,
                r.throughputPerSecond(),
                r.latency().p50Nanos() / 1e6,
                r.latency().p99Nanos() / 1e6,
                r.errors(),
                r.dropped() > 0 ? " + " + r.dropped() + " dropped" : "",
                result.machine().map(MachineLoad::describeCpu).orElse("unknown"),
                r.firstError().map(e -> " (first error: " + e + ")").orElse("")));
        return result;
    }
}
