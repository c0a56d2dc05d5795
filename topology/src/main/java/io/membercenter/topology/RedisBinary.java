package io.membercenter.topology;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
        return BinarySource.choose(
                SOURCE_PROPERTY, "redis-server", USUAL_DIRS, RedisBinary::installed, BundledRedis::unpack);
    }

    boolean isBundled() {
        return server.startsWith(Folders.cache());
    }

    static Optional<RedisBinary> installed() {
        return BinarySource.installed(List.of(SERVER_NAME), USUAL_DIRS).map(RedisBinary::new);
    }
}
