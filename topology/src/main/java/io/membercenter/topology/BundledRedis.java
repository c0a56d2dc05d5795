package io.membercenter.topology;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux x86-64 {@code redis-server} inside {@code com.github.codemonstur:embedded-redis}, unpacked once per
 * machine into the cache folder.
 *
 * <p>Only the binary is used, not the library around it. It is written to a temporary sibling and renamed into
 * place, so two JVMs unpacking at once never run half a file.
 */
final class BundledRedis {

    /** What the server inside {@code embedded-redis} 1.4.4 (the version in the module's pom) reports itself as. */
    static final String VERSION = "6.2.11";

    private static final Logger log = LoggerFactory.getLogger(BundledRedis.class);
    /** Named after an older build than the one it holds; the name is what changes with the artifact's version. */
    private static final String BUILD = "6.2.6-v5";

    private static final String RESOURCE = "redis-server-" + BUILD + "-linux-amd64";

    private BundledRedis() {}

    static RedisBinary unpack() {
        Path server = Folders.cache().resolve("redis-" + BUILD).resolve("redis-server");
        try {
            if (!Files.isExecutable(server)) {
                unpackInto(server);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unpack the bundled redis-server into " + server, e);
        }
        return new RedisBinary(server);
    }

    private static void unpackInto(Path server) throws IOException {
        requireLinuxX86();
        try (InputStream binary = BundledRedis.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (binary == null) {
                throw new IllegalStateException("No redis-server found: install the redis-server package, or put "
                        + "com.github.codemonstur:embedded-redis on the classpath (the topology module's pom adds it "
                        + "when /usr/bin/redis-server is missing)");
            }
            Files.createDirectories(server.getParent());
            Path staging = Files.createTempFile(server.getParent(), "redis-server", ".unpacking");
            try {
                Files.copy(binary, staging, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(staging, server, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(staging);
            }
        }
        log.info("Unpacked bundled redis-server {} into {}", VERSION, server);
    }

    /** The artifact has binaries for other platforms too, but this project's machines are Linux x86-64. */
    private static void requireLinuxX86() {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        if (!os.startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException(
                    "The bundled redis-server is for Linux x86-64, not " + os + " " + arch + "; install redis-server");
        }
    }
}
