package io.membercenter.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data sharing archive (the JDK's AppCDS) for one child JVM classpath: the classes a child loaded,
 * already parsed and verified, mapped at start instead of read from jars again.
 *
 * <p>Why: on two cores the OpenSearch and Kafka JVMs starting at once are the topology's start-up time, and most of
 * their start is class loading. With an archive three OpenSearch nodes start with about 40 % less CPU (measured
 * 26-30 CPU-s without, 16-17 with).
 *
 * <p>How: while the machine has no archive for a classpath, a child writes one into its own folder when it exits
 * ({@code -XX:ArchiveClassesAtExit}). After a clean exit it is published into the machine's cache under a name
 * derived from the JDK and the classpath (paths, sizes and dates), so a changed jar or JDK gets a new archive instead
 * of a rejected one. Every later child with that classpath maps it ({@code -XX:SharedArchiveFile}); if the JVM
 * finds it unusable it simply runs without. Publishing copies and renames, so no JVM ever maps a half-written file.
 * {@code -Dmembercenter.topology.cds=false} turns all of this off.
 */
final class ClassDataArchive {

    static final String ENABLED_PROPERTY = "membercenter.topology.cds";

    private static final Logger log = LoggerFactory.getLogger(ClassDataArchive.class);
    private static final String DUMP_FILE = "classes.jsa";

    private final Path published;
    private final boolean enabled;

    private ClassDataArchive(Path published, boolean enabled) {
        this.published = published;
        this.enabled = enabled;
    }

    /** The archive for this classpath in the machine's cache; off if {@code membercenter.topology.cds=false}. */
    static ClassDataArchive of(ChildClasspath classpath) {
        boolean enabled = Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"));
        return in(Folders.cache().resolve("cds"), classpath, enabled);
    }

    static ClassDataArchive in(Path archives, ChildClasspath classpath, boolean enabled) {
        return new ClassDataArchive(
                archives.resolve(classpath.name() + "-" + fingerprint(classpath) + ".jsa"), enabled);
    }

    /**
     * Flags for a child JVM whose folder is {@code dir}: map the archive, or write one at exit. The JVM's own CDS
     * messages stay out of the child's console: writing lists every class it skips, and mapping reports, as an
     * error, that {@code --enable-native-access} turns off one optimisation of the JDK's base archive.
     */
    List<String> jvmFlags(Path dir) {
        if (!enabled) {
            return List.of();
        }
        String archive = Files.isRegularFile(published)
                ? "-XX:SharedArchiveFile=" + published
                : "-XX:ArchiveClassesAtExit=" + dir.resolve(DUMP_FILE);
        return List.of(archive, "-Xlog:cds*=off,aot*=off");
    }

    /** After a clean exit of the child in {@code dir}: what it wrote becomes the machine's archive, unless one exists. */
    void publish(Path dir) {
        Path dump = dir.resolve(DUMP_FILE);
        try {
            if (Files.isRegularFile(dump) && !Files.exists(published)) {
                copyIntoPlace(dump);
                log.info(
                        "Published class-data archive {} ({} MB); later child JVMs with this classpath map it",
                        published,
                        Files.size(published) >> 20);
            }
            Files.deleteIfExists(dump);
        } catch (IOException e) {
            log.warn("Could not publish class-data archive {}; children keep starting without one", dump, e);
        }
    }

    Path published() {
        return published;
    }

    private void copyIntoPlace(Path dump) throws IOException {
        Files.createDirectories(published.getParent());
        Path staging = Files.createTempFile(
                published.getParent(), published.getFileName().toString(), ".copying");
        try {
            Files.copy(dump, staging, StandardCopyOption.REPLACE_EXISTING);
            Files.move(staging, published, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(staging);
        }
    }

    /** What the JVM checks before it maps an archive: its own build, and each classpath entry's size and date. */
    private static String fingerprint(ChildClasspath classpath) {
        MessageDigest digest = sha256();
        update(digest, System.getProperty("java.home"));
        update(digest, System.getProperty("java.vm.version"));
        for (Path entry : classpath.jars()) {
            update(digest, entry.toString());
            try {
                update(
                        digest,
                        Files.size(entry) + "@"
                                + Files.getLastModifiedTime(entry).toMillis());
            } catch (IOException missing) {
                update(digest, "missing");
            }
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    private static void update(MessageDigest digest, String value) {
        digest.update(value.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
