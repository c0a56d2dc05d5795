package io.membercenter.bench.outage;

import io.membercenter.bench.InProcessService;
import io.membercenter.bench.report.MachineLoad;
import io.membercenter.bench.report.MachineMeter;
import io.membercenter.bench.report.Progress;
import io.membercenter.bench.report.ReportOptions;
import io.membercenter.bench.report.RunEnvironment;
import io.membercenter.topology.StoreInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./mc bench idle}: what the whole local topology and the service cost with no request at all (issue 14,
 * "quiet at rest": under 0.1 core sampled over 60 s). The service runs as {@code ./mc run} runs it, both instances
 * (A, and B in the same JVM); after {@code --settle} the CPU of the JVM and of each server process is read from
 * /proc at the start and the end of {@code --seconds}. Per process, because the total alone does not say which
 * poller to look at.
 */
@Command(
        name = "idle",
        mixinStandardHelpOptions = true,
        description = "Starts the local topology and both service instances, waits, then measures the CPU of the"
                + " JVM and of every server with no request at all, and writes the idle section of BENCHMARKS.md.")
public final class IdleCommand implements Callable<Integer> {

    static final String SECTION = "idle";
    static final double GOAL_CORES = 0.1;
    private static final double TICKS_PER_SECOND = 100;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--settle",
            defaultValue = "60s",
            description = "Wait after start before measuring: start-up work (index creation, JIT, first leases) is"
                    + " not rest (default: ${DEFAULT-VALUE}).")
    private Duration settle;

    @Option(
            names = "--seconds",
            defaultValue = "60",
            description = "Length of the measured window (default: ${DEFAULT-VALUE}).")
    private int seconds;

    @Mixin
    private ReportOptions report;

    @Override
    public Integer call() throws Exception {
        if (seconds < 10 || settle.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--seconds must be at least 10, --settle not negative");
        }
        RunEnvironment environment =
                RunEnvironment.capture(spec.commandLine().getParseResult().originalArgs());
        Progress.say("starting the local topology and both service instances ...");
        String body;
        try (InProcessService service = InProcessService.start(List.of(
                "--member-center.local.data-center-b.enabled=true", "--member-center.local.data-center-b.port=0"))) {
            Progress.say("settling for " + settle.toSeconds() + " s, then measuring " + seconds + " s at rest ...");
            Thread.sleep(settle);
            List<StoreInfo> stores = service.topology().stores();
            CompletableFuture<Optional<MachineLoad>> machine =
                    MachineMeter.measureWindow(Duration.ZERO, Duration.ofSeconds(seconds));
            Map<String, Long> before = processTicks(stores);
            long startNanos = System.nanoTime();
            Thread.sleep(Duration.ofSeconds(seconds));
            Map<String, Long> after = processTicks(stores);
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            body = markdown(cores(before, after, elapsed), machine.join(), environment);
        }
        System.out.println();
        System.out.println(body);
        if (report.wanted()) {
            Progress.say("wrote the idle section of " + report.writeSection(SECTION, body));
        }
        return 0;
    }

    /** CPU ticks so far of this JVM and of each of its descendants, named by the store whose process it is. */
    private static Map<String, Long> processTicks(List<StoreInfo> stores) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        ProcessHandle self = ProcessHandle.current();
        ticks.put("service JVM (both instances, in one JVM)", MachineMeter.processTicks(self.pid()));
        self.descendants().forEach(child -> {
            String name = nameOf(child, stores);
            ticks.merge(name, MachineMeter.processTicks(child.pid()), Long::sum);
        });
        return ticks;
    }

    private static String nameOf(ProcessHandle process, List<StoreInfo> stores) {
        String command = commandLine(process.pid());
        for (StoreInfo store : stores) {
            if (command.contains("/" + store.name() + "/")
                    || command.contains("/" + store.name() + " ")
                    || command.endsWith("/" + store.name())
                    || command.contains("=" + store.port() + " ")
                    || command.contains(" " + store.port() + " ")) {
                return store.name();
            }
        }
        return "other child process";
    }

    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8)
                            .replace('\0', ' ')
                    + " ";
        } catch (IOException e) {
            return "";
        }
    }

    static Map<String, Double> cores(Map<String, Long> before, Map<String, Long> after, double seconds) {
        Map<String, Double> cores = new LinkedHashMap<>();
        after.forEach((name, ticks) ->
                cores.put(name, Math.max(0, ticks - before.getOrDefault(name, 0L)) / TICKS_PER_SECOND / seconds));
        return cores;
    }

    static String markdown(Map<String, Double> cores, Optional<MachineLoad> machine, RunEnvironment environment) {
        double total = cores.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder out = new StringBuilder("## idle: the topology and the service at rest\n\n");
        out.append(String.format(
                Locale.ROOT,
                "**Goal (issue 14): an idle topology under %.1f core — %s.** The service (both instances, as `./mc run`"
                        + " runs them) and every server of the local topology, no request at all: **%.3f cores**.%n%n",
                GOAL_CORES,
                total < GOAL_CORES ? "met" : "not met",
                total));
        out.append("| process | cores |\n|---|---:|\n");
        List<Map.Entry<String, Double>> rows = new ArrayList<>(cores.entrySet());
        rows.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        for (Map.Entry<String, Double> row : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %.3f |%n", row.getKey(), row.getValue()));
        }
        out.append(String.format(Locale.ROOT, "| **all of them** | **%.3f** |%n%n", total));
        out.append("### How this was run\n\n")
                .append("- Per process: utime + stime from /proc/<pid>/stat at the start and the end of the window;"
                        + " the servers are the JVM's child processes, named by the store whose data folder or port"
                        + " their command line names.\n")
                .append(machine.map(m -> String.format(
                                Locale.ROOT,
                                "- The whole machine over the same window: %.2f of %d cores busy (%.2f outside the"
                                        + " service and its servers).%n",
                                m.machine(),
                                m.cores(),
                                m.other()))
                        .orElse(""))
                .append('\n')
                .append(environment.markdown());
        return out.toString();
    }
}
