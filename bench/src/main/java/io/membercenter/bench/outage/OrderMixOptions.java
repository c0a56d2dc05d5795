package io.membercenter.bench.outage;

import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options every ORDER-mix benchmark of this package shares — the population, the rate, the loading threads —
 * as one picocli mixin, so that {@code outage}, {@code failover} and {@code flood} spell, default and document them
 * alike. The length and warm-up stay each command's own: their defaults differ.
 */
final class OrderMixOptions {

    @Option(
            names = "--members",
            defaultValue = "20000",
            description = "Population loaded first (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(
            names = "--rate",
            defaultValue = "150",
            description = "Requests per second of the ORDER mix, open loop (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--load-workers",
            defaultValue = "4",
            description = "Threads loading the population (default: ${DEFAULT-VALUE}).")
    int loadWorkers;

    /** The run's settings, or a picocli usage error naming what is wrong. */
    OutageSettings settings(CommandSpec spec, int seconds, Duration warmup) {
        try {
            return new OutageSettings(members, rate, Duration.ofSeconds(seconds), warmup, loadWorkers);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
