package io.membercenter.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server of the topology, run as a child process of this JVM.
 *
 * <p>Adding a store kind means one subclass: how to initialize its data once, its command line and
 * how to tell it is ready. Starting, stopping, pid files and error reporting live here, so every kind
 * behaves the same way under failover tests. Start and stop are synchronized per server: tests stop and
 * start stores from several threads while the service keeps talking to them.
 */
abstract class ManagedServer {

    static final String HOST = "127.0.0.1";
    /** Written by us, not by the server, so a server that dies before writing its own is still found. */
    static final String LAUNCHER_PID_FILE = "launcher.pid";

    private static final Logger log = LoggerFactory.getLogger(ManagedServer.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration GRACEFUL_STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READY_POLL_INTERVAL = Duration.ofMillis(50);
    private static final int LOG_TAIL_LINES = 40;

    private final String name;
    private final StoreKind kind;
    private final String dataCenter;
    private final String role;
    private final int port;
    private final Path dir;
    private volatile Process process;
    private volatile boolean paused;

    ManagedServer(String name, StoreKind kind, String dataCenter, String role, int port, Path dir) {
        this.name = name;
        this.kind = kind;
        this.dataCenter = dataCenter;
        this.role = role;
        this.port = port;
        this.dir = dir;
    }

    /** Whether the data this server needs already exists (from an earlier start). */
    abstract boolean isInitialized();

    /** Creates the server's data, once, before its first start. */
    abstract void initialize() throws IOException, InterruptedException;

    abstract List<String> command();

    /** One cheap probe; called repeatedly until it says yes. */
    abstract boolean acceptsConnections();

    /** The server's own log, where it says why it failed. */
    abstract Path errorLog();

    /** How long a start may take before it counts as failed; servers in child JVMs need longer. */
    Duration readyTimeout() {
        return READY_TIMEOUT;
    }

    /** How long a stop waits for a clean exit before it kills the process. */
    Duration gracefulStopTimeout() {
        return GRACEFUL_STOP_TIMEOUT;
    }

    /** Called after the process exited on its own when asked to stop (not when it had to be killed). */
    void afterCleanExit() {}

    final synchronized void start() {
        if (isUp()) {
            return;
        }
        try {
            createDirectories();
            if (!isInitialized()) {
                initialize();
            }
            long startedAt = System.nanoTime();
            launch();
            awaitReady();
            log.info(
                    "{} ({} in data center {}, {}) ready on port {} in {} ms",
                    name,
                    kind,
                    dataCenter,
                    role,
                    port,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killQuietly();
            throw new IllegalStateException("Interrupted while starting " + name, e);
        }
    }

    /** Graceful first (the server flushes and closes cleanly), forced if it does not finish in time. */
    final synchronized void stop() {
        Process running = process;
        if (running == null) {
            return;
        }
        if (paused) {
            resume(); // a stopped process does not act on SIGTERM until it runs again
        }
        running.destroy();
        try {
            if (running.waitFor(gracefulStopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                afterCleanExit();
            } else {
                log.warn("{} did not stop within {}; killing it", name, gracefulStopTimeout());
                running.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.destroyForcibly();
        }
        process = null;
        deleteLauncherPidFile();
        log.info("{} stopped", name);
    }

    /** SIGKILL, as a crash or {@code kill -9} would: no flush, no clean shutdown; what it acknowledged is on disk. */
    final synchronized void kill() {
        Process running = process;
        if (running == null) {
            return;
        }
        try {
            running.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        deleteLauncherPidFile();
        log.info("{} killed", name);
    }

    /**
     * Hangs the server (SIGSTOP): its sockets stay open and connections are still accepted by the kernel,
     * but nothing answers — what a frozen or partitioned server looks like to a client.
     */
    final synchronized void pause() {
        signal("STOP");
        paused = true;
        log.info("{} paused (SIGSTOP)", name);
    }

    /** Lets a paused server run again (SIGCONT). */
    final synchronized void resume() {
        signal("CONT");
        paused = false;
        log.info("{} resumed (SIGCONT)", name);
    }

    final boolean isPaused() {
        return paused;
    }

    private void signal(String signal) {
        Process running = process;
        if (running == null || !running.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(running.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " of " + name + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not signal " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling " + name, e);
        }
    }

    final boolean isUp() {
        Process running = process;
        return running != null && running.isAlive();
    }

    final OptionalLong pid() {
        Process running = process;
        return running == null ? OptionalLong.empty() : OptionalLong.of(running.pid());
    }

    final StoreInfo info() {
        return new StoreInfo(name, kind, dataCenter, role, HOST, port, isUp());
    }

    final String name() {
        return name;
    }

    final StoreKind kind() {
        return kind;
    }

    final int port() {
        return port;
    }

    final Path dir() {
        return dir;
    }

    /** Runs a helper command of this server (e.g. its data initializer), failing with its output if it fails. */
    final void runToCompletion(List<String> command, Path outputLog, Duration timeout)
            throws IOException, InterruptedException {
        Process helper = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outputLog.toFile()))
                .start();
        if (!awaitHelper(helper, timeout)) {
            helper.destroyForcibly();
            throw new IllegalStateException(
                    name + ": " + command.getFirst() + " did not finish within " + timeout + "\n" + tail(outputLog));
        }
        if (helper.exitValue() != 0) {
            throw new IllegalStateException(name + ": " + String.join(" ", command) + " failed with exit code "
                    + helper.exitValue() + "\n" + tail(outputLog));
        }
    }

    /** An interrupted start must not leave its helper running. */
    private static boolean awaitHelper(Process helper, Duration timeout) throws InterruptedException {
        try {
            return helper.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            helper.destroyForcibly();
            throw e;
        }
    }

    private void createDirectories() throws IOException {
        Files.createDirectories(dir);
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(command())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog().toFile()))
                .start();
        Files.writeString(dir.resolve(LAUNCHER_PID_FILE), Long.toString(process.pid()), StandardCharsets.US_ASCII);
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + readyTimeout().toNanos();
        while (!acceptsConnections()) {
            Process running = process;
            if (!running.isAlive()) {
                process = null;
                deleteLauncherPidFile();
                throw new IllegalStateException(name + " exited with code " + running.exitValue()
                        + " before accepting connections on port " + port + "\n" + diagnostics());
            }
            if (System.nanoTime() > deadline) {
                killQuietly();
                throw new IllegalStateException(name + " did not accept connections on port " + port + " within "
                        + readyTimeout() + "\n" + diagnostics());
            }
            Thread.sleep(READY_POLL_INTERVAL);
        }
    }

    private void killQuietly() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
            process = null;
            deleteLauncherPidFile();
        }
    }

    private Path consoleLog() {
        return dir.resolve("console.log");
    }

    private String diagnostics() {
        return "--- tail of " + errorLog() + " ---\n" + tail(errorLog()) + "\n--- tail of " + consoleLog() + " ---\n"
                + tail(consoleLog());
    }

    private void deleteLauncherPidFile() {
        try {
            Files.deleteIfExists(dir.resolve(LAUNCHER_PID_FILE));
        } catch (IOException e) {
            log.warn("Could not delete pid file of {}", name, e);
        }
    }

    static String tail(Path file) {
        if (!Files.isRegularFile(file)) {
            return "(no " + file.getFileName() + ")";
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join(
                    "\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + " on port " + port;
    }
}
