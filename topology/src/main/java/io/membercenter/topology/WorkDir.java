package io.membercenter.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder a topology owns: one sub-folder per store, and an owner file naming the JVM that runs it.
 *
 * <p>A JVM that died without stopping its children (kill -9, a crashed IDE) leaves servers running that
 * hold ports and files. Before wiping, their pid files lead us to them. A folder whose owner is still alive
 * is refused rather than taken over, and a folder we did not create is never wiped, so a mistyped
 * {@code membercenter.topology.dir} cannot delete someone's files.
 */
final class WorkDir {

    private static final Logger log = LoggerFactory.getLogger(WorkDir.class);
    private static final String OWNER_FILE = "owner.pid";
    private static final Duration STALE_STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Path root;

    WorkDir(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    Path storeDir(String storeName) {
        return root.resolve(storeName);
    }

    /** Stops what a dead earlier run left behind, wipes the folder and claims it for this JVM. */
    void claimFresh() {
        try {
            refuseIfOwnedByAnotherLiveJvm();
            refuseIfForeign();
            stopLeftoverServers();
            Folders.deleteRecursively(root);
            Files.createDirectories(root);
            Files.writeString(
                    root.resolve(OWNER_FILE),
                    Long.toString(ProcessHandle.current().pid()),
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare work dir " + root, e);
        }
    }

    private void refuseIfOwnedByAnotherLiveJvm() {
        readPid(root.resolve(OWNER_FILE))
                .filter(pid -> pid != ProcessHandle.current().pid())
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(owner -> owner.info()
                        .command()
                        .map(command -> command.endsWith("java"))
                        .orElse(false))
                .ifPresent(owner -> {
                    throw new IllegalStateException("Work dir " + root + " is in use by the running JVM " + owner.pid()
                            + "; stop it or choose another folder");
                });
    }

    private void refuseIfForeign() throws IOException {
        if (!Files.isDirectory(root) || Files.exists(root.resolve(OWNER_FILE))) {
            return;
        }
        try (Stream<Path> entries = Files.list(root)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalStateException("Refusing to wipe " + root + ": it is not empty and was not created by "
                        + "LocalTopology (no " + OWNER_FILE + ")");
            }
        }
    }

    /** All are told to stop before any is waited for, so their shutdowns overlap. */
    private void stopLeftoverServers() throws IOException {
        List<ProcessHandle> leftovers = pidFiles().stream()
                .map(WorkDir::readPid)
                .flatMap(Optional::stream)
                .distinct()
                .map(ProcessHandle::of)
                .flatMap(Optional::stream)
                .filter(ProcessHandle::isAlive)
                .filter(this::runsFromHere)
                .toList();
        for (ProcessHandle leftover : leftovers) {
            log.warn("Stopping server {} left running by an earlier run in {}", leftover.pid(), root);
            leftover.destroy();
        }
        leftovers.forEach(WorkDir::awaitExit);
    }

    private List<Path> pidFiles() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root, 2)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".pid"))
                    .filter(file -> !file.getFileName().toString().equals(OWNER_FILE))
                    .toList();
        }
    }

    /**
     * A pid may have been reused by an unrelated process since; only one started on our folder is ours: its command
     * line names the folder, or it runs in it (every server is started in its store's folder, and that still holds
     * for a server that rewrote its command line, as redis-server does by default).
     */
    private boolean runsFromHere(ProcessHandle process) {
        return commandLine(process).contains(root.toString())
                || workingDirectory(process).startsWith(root);
    }

    private static Path workingDirectory(ProcessHandle process) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"));
        } catch (IOException | UnsupportedOperationException e) {
            return Path.of("/");
        }
    }

    /**
     * From {@code /proc} where there is one: {@link ProcessHandle.Info#commandLine()} stops at the first empty
     * argument, and {@code redis-server --save ""} has one before it names our folder.
     */
    private static String commandLine(ProcessHandle process) {
        try {
            byte[] arguments = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return new String(arguments, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | UnsupportedOperationException e) {
            return process.info().commandLine().orElse("");
        }
    }

    private static void awaitExit(ProcessHandle process) {
        try {
            process.onExit().get(STALE_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            process.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(
                    Files.readString(file, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
