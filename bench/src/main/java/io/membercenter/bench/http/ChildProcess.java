package io.membercenter.bench.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own, started on this JVM's class path (the bench jar holds the service and the naive service), so
 * that the system under test does not share a JVM — its heap, its JIT, its safepoints — with the load generator or
 * the baselines. Its output goes to a log file beside the bench's topology; it is stopped politely on close and
 * killed when this JVM ends.
 */
final class ChildProcess implements AutoCloseable {

    private static final Duration STARTED = Duration.ofSeconds(240);

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ChildProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, name + "-killer"));
    }

    /**
     * Starts {@code mainClass} with {@code arguments} ({@code {port}} in them is replaced by a free port) and the
     * environment {@code environment} (settings that must not show on a command line), then waits until
     * {@code healthPath} answers {@code healthyStatus} (an authenticated server without a health endpoint: 401).
     */
    static ChildProcess start(
            String name,
            Path folder,
            String heap,
            String mainClass,
            List<String> arguments,
            Map<String, String> environment,
            String healthPath,
            int healthyStatus) {
        int port = freePort();
        try {
            Files.createDirectories(folder);
            Path classpath = folder.resolve(name + ".classpath.args");
            Files.writeString(
                    classpath, "-cp \"" + System.getProperty("java.class.path") + "\"\n", StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current()
                    .info()
                    .command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString()));
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(flag -> flag.startsWith("--sun-misc") || flag.startsWith("--enable-native"))
                    .toList());
            command.addAll(List.of("-Xms" + heap, "-Xmx" + heap, "@" + classpath, mainClass));
            arguments.forEach(argument -> command.add(argument.replace("{port}", Integer.toString(port))));
            Path log = folder.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(environment);
            ChildProcess child = new ChildProcess(name, port, log, builder.start());
            child.awaitHealthy(healthPath, healthyStatus);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    private void awaitHealthy(String healthPath, int healthyStatus) {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + healthPath))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + STARTED.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; its log: " + log);
            }
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == healthyStatus) return;
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofMillis(500));
        }
        close();
        throw new IllegalStateException(name + " was not healthy within " + STARTED + "; its log: " + log);
    }

    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS))
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
