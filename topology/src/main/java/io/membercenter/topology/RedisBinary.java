package io.membercenter.topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code redis-server} this machine will run.
 *
 * <p>An installed one is preferred (Debian's is 7.0; the one in the Maven artifact is 6.2); without one the
 * binary shipped in {@code com.github.codemonstur:embedded-redis} is used, so a machine with nothing but a JDK
 * still runs real Redis servers.
 *
 * @param server the {@code redis-server} executable
 */
record RedisBinary(Path server) {

    /** {@code auto} (default), {@code system} or {@code bundled}: lets a test prove the fallback works. */
    static final String SOURCE_PROPERTY = "membercenter.topology.redis";

    private static final String SERVER_NAME = "redis-server";
    private static final List<Path> USUAL_DIRS =
            List.of(Path.of("/usr/bin"), Path.of("/usr/sbin"), Path.of("/usr/local/bin"));

    static RedisBinary locate() {
        String source = System.getProperty(SOURCE_PROPERTY, "auto");
        return switch (source) {
            case "bundled" -> BundledRedis.unpack();
            case "system" -> installed().orElseThrow(() -> new IllegalStateException(
                    "No installed redis-server found on PATH or in " + USUAL_DIRS + " (" + SOURCE_PROPERTY + "=system)"));
            case "auto" -> installed().orElseGet(BundledRedis::unpack);
            default -> throw new IllegalArgumentException(
                    SOURCE_PROPERTY + " must be auto, system or bundled, not '" + source + "'");
        };
    }

    boolean isBundled() {
        return server.startsWith(Folders.cache());
    }

    static Optional<RedisBinary> installed() {
        return searchDirs().stream()
                .map(dir -> dir.resolve(SERVER_NAME))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst()
                .map(RedisBinary::new);
    }

    private static List<Path> searchDirs() {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            Stream.of(path.split(":")).filter(entry -> !entry.isBlank()).map(Path::of).forEach(dirs::add);
        }
        dirs.addAll(USUAL_DIRS);
        return dirs;
    }
}
