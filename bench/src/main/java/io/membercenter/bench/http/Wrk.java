package io.membercenter.bench.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code wrk} (a C load generator: an event loop per thread, none of this JVM's CPU), driven by a Lua script
 * that picks a random request from a list per call. A closed loop: {@code connections} requests in flight at once,
 * each sent when the previous answered. What it reports is parsed from its text output ({@code --latency}).
 *
 * <p>Written here rather than taken from a library because the load generator has to be a separate native
 * process; nothing on Maven Central drives wrk.
 */
final class Wrk {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("([0-9]+) requests in ");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|75|90|99)%\\s+([0-9.]+)(us|ms|s)\\s*$");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)");

    /** What one run measured; latencies in milliseconds. */
    record Result(int connections, double perSecond, long requests, double p50, double p90, double p99, long errors) {}

    private final Path folder;
    private final int threads;

    Wrk(Path folder, int threads) {
        this.folder = folder;
        this.threads = threads;
    }

    /**
     * Runs {@code script} (a Lua {@code request} function, see {@link WrkScripts}) against {@code baseUrl} with
     * {@code connections} connections for {@code duration}.
     */
    Result run(String name, String script, String baseUrl, int connections, Duration duration) throws IOException {
        Files.createDirectories(folder);
        Path lua = folder.resolve(name + ".lua");
        Files.writeString(lua, script, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(
                "wrk",
                "-t" + Math.min(threads, connections),
                "-c" + connections,
                "-d" + Math.max(1, duration.toSeconds()) + "s",
                "--timeout",
                "5s",
                "--latency",
                "-s",
                lua.toString(),
                baseUrl));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("wrk failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        }
        return parse(connections, output);
    }

    static Result parse(int connections, String output) {
        double rate = number(RATE, output, 1);
        long total = (long) number(TOTAL, output, 1);
        double p50 = Double.NaN, p90 = Double.NaN, p99 = Double.NaN;
        for (String line : output.split("\n")) {
            Matcher m = PERCENTILE.matcher(line);
            if (!m.matches()) continue;
            double millis = millis(Double.parseDouble(m.group(2)), m.group(3));
            switch (m.group(1)) {
                case "50" -> p50 = millis;
                case "90" -> p90 = millis;
                case "99" -> p99 = millis;
                default -> {}
            }
        }
        long errors = (long) number(NON_2XX, output, 1);
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) errors += Long.parseLong(socket.group(g));
        }
        if (Double.isNaN(rate) || Double.isNaN(p99)) {
            throw new IllegalArgumentException("Not wrk --latency output: " + output);
        }
        return new Result(connections, rate, total, p50, p90, p99, errors);
    }

    private static double number(Pattern pattern, String text, int group) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Double.parseDouble(m.group(group)) : (pattern == RATE ? Double.NaN : 0);
    }

    private static double millis(double value, String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
