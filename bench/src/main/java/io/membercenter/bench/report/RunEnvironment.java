package io.membercenter.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where and from what a run came: enough to tell, months later, whether two numbers are comparable.
 *
 * @param cores        what {@code nproc} says (cores this process may use)
 * @param memory       total memory, from /proc/meminfo
 * @param cpuModel     the first {@code model name} of /proc/cpuinfo
 * @param jdk          vendor and full version of the running JDK
 * @param jvmFlags     the flags this JVM was started with
 * @param gitCommit    {@code git rev-parse --short HEAD}, with a note when the working tree had changes
 * @param loadAverage  /proc/loadavg's 1, 5 and 15 minute figures when the run began: was the machine quiet?
 * @param startedAt    when the run began, UTC, to the second
 * @param command      the command line, as typed after {@code ./mc bench}
 */
public record RunEnvironment(
        String cores,
        String memory,
        String cpuModel,
        String jdk,
        String jvmFlags,
        String gitCommit,
        String loadAverage,
        Instant startedAt,
        String command) {

    private static final long COMMAND_TIMEOUT_SECONDS = 10;

    public static RunEnvironment capture(List<String> benchArguments) {
        return new RunEnvironment(
                readCores(),
                readMemory(),
                readCpuModel(),
                readJdk(),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
                readGitCommit(),
                readLoadAverage(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                readCommand(benchArguments));
    }

    /**
     * The "Run:" block every report ends its "How this was run" with: one rendering, so that the reports of the
     * suite, the outage and the flow benchmarks can be compared line by line.
     */
    public String markdown() {
        return """
                Run:
                - started %s, commit `%s`
                - command: `%s`
                - machine: %s cores (nproc), %s, %s; load average %s when the run began
                - JDK: %s, flags `%s`
                """.formatted(startedAt, gitCommit, command, cores, memory, cpuModel, loadAverage, jdk, jvmFlags);
    }

    private static String readCores() {
        return run("nproc").orElse(Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    private static String readMemory() {
        return lines(Path.of("/proc/meminfo")).stream()
                .filter(line -> line.startsWith("MemTotal:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .map(kib -> String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0))
                .findFirst()
                .orElse("unknown");
    }

    private static String readCpuModel() {
        return lines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst()
                .orElse("unknown");
    }

    private static String readLoadAverage() {
        return lines(Path.of("/proc/loadavg")).stream()
                .map(line -> String.join(" ", List.of(line.split(" ")).subList(0, 3)))
                .findFirst()
                .orElse("unknown");
    }

    private static String readJdk() {
        return System.getProperty("java.vendor") + " " + Runtime.version();
    }

    private static String readGitCommit() {
        Optional<String> head = run("git", "rev-parse", "--short", "HEAD");
        if (head.isEmpty()) {
            return "unknown (not run from a git working tree)";
        }
        boolean changed = run("git", "status", "--porcelain")
                .map(status -> !status.isBlank())
                .orElse(false);
        return head.get() + (changed ? " (working tree with uncommitted changes)" : "");
    }

    private static String readCommand(List<String> benchArguments) {
        StringBuilder command = new StringBuilder("./mc bench");
        for (String argument : benchArguments) {
            command.append(' ').append(argument.matches("[A-Za-z0-9_./:=,+-]+") ? argument : "'" + argument + "'");
        }
        return command.toString();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The trimmed standard output of a short command, if it ran and succeeded. */
    private static Optional<String> run(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            boolean exited = process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return exited && process.exitValue() == 0 ? Optional.of(output) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
