package io.membercenter.bench.outage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One flood sent by {@code hey} (Debian's package; {@code ./mc bench flood} installs it when missing) at a fixed
 * rate, in its own process: the flood's client CPU is not the service's JVM's, and it sends at the asked rate
 * whatever the answers (workers × queries per second per worker, each worker on its own keep-alive connection).
 * Taken rather than written: a rate-limited HTTP client in a second process is exactly what hey is, and a Java
 * one would be a second JVM to start, warm and measure.
 */
final class HeyFlood {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern STATUS = Pattern.compile("\\[(\\d{3})]\\s+(\\d+) responses");
    private static final Pattern ERRORS = Pattern.compile("\\[(\\d+)]\\s+Get|\\[(\\d+)]\\s+Post");

    /** What one flood was: a name for the report, its target and its rate. */
    record Plan(String name, String method, String url, String body, int workers, int perWorkerPerSecond) {

        int ratePerSecond() {
            return workers * perWorkerPerSecond;
        }
    }

    /** What hey reported: the rate it reached and how many answers of each status (0: no answer). */
    record Result(Plan plan, double sentPerSecond, Map<Integer, Long> statuses, long seconds) {

        long count(int status) {
            return statuses.getOrDefault(status, 0L);
        }

        long total() {
            return statuses.values().stream().mapToLong(Long::longValue).sum();
        }

        double perSecond(int status) {
            return seconds == 0 ? 0 : (double) count(status) / seconds;
        }

        /** Several runs of one plan as one: statuses and seconds summed, the sent rate over all their seconds. */
        static Result of(List<Result> runs) {
            Map<Integer, Long> statuses = new TreeMap<>();
            long seconds = 0;
            double sent = 0;
            for (Result run : runs) {
                run.statuses().forEach((status, n) -> statuses.merge(status, n, Long::sum));
                seconds += run.seconds();
                sent += run.sentPerSecond() * run.seconds();
            }
            return new Result(runs.getFirst().plan(), seconds == 0 ? 0 : sent / seconds, statuses, seconds);
        }
    }

    private final Plan plan;
    private final Duration length;
    private final Process process;
    private final Path output;

    private HeyFlood(Plan plan, Duration length, Process process, Path output) {
        this.plan = plan;
        this.length = length;
        this.process = process;
        this.output = output;
    }

    /** Starts the flood now; it ends by itself after {@code length}. */
    static HeyFlood start(Plan plan, String apiKey, Duration length) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                hey(),
                "-z",
                length.toSeconds() + "s",
                "-c",
                Integer.toString(plan.workers()),
                "-q",
                Integer.toString(plan.perWorkerPerSecond()),
                "-m",
                plan.method(),
                "-H",
                "Authorization: Bearer " + apiKey));
        if (plan.body() != null) {
            command.addAll(List.of("-T", "application/json", "-d", plan.body()));
        }
        command.add(plan.url());
        Path output = Files.createTempFile("hey-" + plan.name().replaceAll("[^a-z0-9-]", "-"), ".txt");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new HeyFlood(plan, length, process, output);
    }

    /** Waits for hey to end (its length and a margin) and reads what it printed. */
    Result await() throws IOException, InterruptedException {
        if (!process.waitFor(length.toSeconds() + 30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("hey did not end within its length and 30 s: " + plan.name());
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        Files.deleteIfExists(output);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("hey failed (exit " + process.exitValue() + "): " + printed);
        }
        return parse(plan, printed, length.toSeconds());
    }

    /** hey's summary: {@code Requests/sec:}, the status code distribution, and errors (no answer) as status 0. */
    static Result parse(Plan plan, String printed, long seconds) {
        Matcher rate = RATE.matcher(printed);
        if (!rate.find()) throw new IllegalStateException("no Requests/sec in hey's output: " + printed);
        Map<Integer, Long> statuses = new TreeMap<>();
        Matcher status = STATUS.matcher(printed);
        while (status.find())
            statuses.merge(Integer.parseInt(status.group(1)), Long.parseLong(status.group(2)), Long::sum);
        int errorsAt = printed.indexOf("Error distribution:");
        if (errorsAt >= 0) {
            Matcher error = ERRORS.matcher(printed.substring(errorsAt));
            while (error.find()) {
                String n = error.group(1) != null ? error.group(1) : error.group(2);
                statuses.merge(0, Long.parseLong(n), Long::sum);
            }
        }
        return new Result(plan, Double.parseDouble(rate.group(1)), Map.copyOf(statuses), seconds);
    }

    private static String hey() {
        for (String candidate : List.of("/usr/bin/hey", "/usr/local/bin/hey")) {
            if (Files.isExecutable(Path.of(candidate))) return candidate;
        }
        throw new IllegalStateException("hey is not installed: ./mc bench flood installs Debian's package hey");
    }
}
