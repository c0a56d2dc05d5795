package io.membercenter.topology;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * {@code OpenSearchNodeMain} in a jar of its own in the machine's cache, for the OpenSearch child JVMs' classpath.
 *
 * <p>The class is compiled by the build but cannot be run from where it is: it may sit in a jar nested in the
 * service's executable jar. A jar (not a folder) in a fixed place, named after its content, also keeps the class-data
 * archive valid across runs: the JVM maps an archive only if every classpath entry is the same file as when it was
 * written, and rejects folders altogether.
 */
final class OpenSearchNodeJar {

    static final String MAIN_CLASS = "io.membercenter.topology.search.OpenSearchNodeMain";

    private static final String CLASS_FILE = MAIN_CLASS.replace('.', '/') + ".class";

    private OpenSearchNodeJar() {}

    /** The jar, written on first use. */
    static Path ensure() {
        byte[] mainClass = readMainClass();
        Path jar = Folders.cache()
                .resolve("opensearch-node")
                .resolve(HexFormat.of().formatHex(ClassDataArchive.sha256().digest(mainClass), 0, 8) + ".jar");
        try {
            if (!Files.isRegularFile(jar)) {
                write(jar, mainClass);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + jar, e);
        }
        return jar;
    }

    private static byte[] readMainClass() {
        try (InputStream in = OpenSearchNodeJar.class.getClassLoader().getResourceAsStream(CLASS_FILE)) {
            if (in == null) {
                throw new IllegalStateException("No " + CLASS_FILE + " on the classpath: the topology module's build "
                        + "compiles it from src/opensearch-node (./mvnw -pl topology process-classes)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + CLASS_FILE, e);
        }
    }

    /** Staged and renamed, so a JVM starting meanwhile never sees half a jar. */
    private static void write(Path jar, byte[] mainClass) throws IOException {
        Files.createDirectories(jar.getParent());
        Path staging = Files.createTempFile(jar.getParent(), "node", ".writing");
        try {
            try (OutputStream file = Files.newOutputStream(staging);
                    JarOutputStream out = new JarOutputStream(file)) {
                out.putNextEntry(new JarEntry(CLASS_FILE));
                out.write(mainClass);
                out.closeEntry();
            }
            Files.move(staging, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(staging);
        }
    }
}
