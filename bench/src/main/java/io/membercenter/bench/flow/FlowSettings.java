package io.membercenter.bench.flow;

import java.util.List;

/**
 * How {@link FlowCommand} runs JMH, as the report states it.
 *
 * @param forks forked JVMs per benchmark and thread count
 * @param warmupIterations iterations left out of the result, each {@code iterationSeconds} long
 * @param measurementIterations iterations measured
 * @param iterationSeconds length of each iteration
 * @param threads thread counts, one JMH run each
 * @param forkJvmArgs the forked JVMs' flags
 * @param jmhVersion the JMH on the class path
 * @param limit every limit of the benchmark's gate ({@code FlowCheck.LIMIT})
 * @param keyPool distinct members the keys are drawn from
 */
record FlowSettings(
        int forks,
        int warmupIterations,
        int measurementIterations,
        int iterationSeconds,
        List<Integer> threads,
        List<String> forkJvmArgs,
        String jmhVersion,
        long limit,
        int keyPool) {

    FlowSettings {
        if (forks < 1) throw new IllegalArgumentException("--forks must be at least 1");
        if (warmupIterations < 0) throw new IllegalArgumentException("--warmup-iterations must be 0 or more");
        if (measurementIterations < 1) throw new IllegalArgumentException("--iterations must be at least 1");
        if (iterationSeconds < 1) throw new IllegalArgumentException("--iteration-seconds must be at least 1");
        if (threads.isEmpty() || threads.stream().anyMatch(t -> t < 1)) {
            throw new IllegalArgumentException("--threads must be thread counts of at least 1, e.g. 1,2");
        }
        threads = List.copyOf(threads);
        forkJvmArgs = List.copyOf(forkJvmArgs);
    }

    /** Benchmark methods × thread counts × forks × iterations: a lower bound of the run's length, JVM starts aside. */
    long plannedSeconds(int benchmarks) {
        return (long) benchmarks
                * threads.size()
                * forks
                * (warmupIterations + measurementIterations)
                * iterationSeconds;
    }
}
