package io.membercenter.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A server that is a Java program (Kafka, OpenSearch), run in a JVM of its own.
 *
 * <p>Why not in this JVM: its jars would clash with the service's (Spring, Jackson, Netty, log4j versions), and a
 * server embedded in the process under test cannot be killed without killing the test. A child JVM fails like a
 * real node, and is stopped, killed and cleaned up like every other store.
 *
 * <p>The child runs on the same {@code java} as this JVM. Its classpath goes into an argument file in its folder
 * ({@code java @classpath.args}): the command line stays readable in {@code ps}, and still names the folder, which
 * is how a later run recognises a leftover of a dead one. Its classes come from a {@link ClassDataArchive} once the
 * machine has one.
 */
abstract class ChildJvmServer extends ManagedServer {

    /** Small heaps and the serial collector: several of these share two cores and a developer's memory. */
    static final List<String> SMALL_JVM = List.of("-Xmx512m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED");

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    /** Normally 1-2 s; the first exit on a machine also writes the class-data archive (seconds more, on busy cores). */
    private static final Duration GRACEFUL_STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final String CLASSPATH_ARGS = "classpath.args";

    private final ChildClasspath classpath;
    private final ClassDataArchive archive;

    ChildJvmServer(
            String name, StoreKind kind, String dataCenter, String role, int port, Path dir, ChildClasspath classpath) {
        super(name, kind, dataCenter, role, port, dir);
        this.classpath = classpath;
        this.archive = ClassDataArchive.of(classpath);
    }

    /** Whether the server's own data exists (from an earlier start). */
    abstract boolean isDataInitialized();

    /** Creates the server's own data, once; the argument file and temp folder exist by then. */
    abstract void initializeData() throws IOException, InterruptedException;

    @Override
    final boolean isInitialized() {
        return Files.isRegularFile(dir().resolve(CLASSPATH_ARGS)) && isDataInitialized();
    }

    @Override
    final void initialize() throws IOException, InterruptedException {
        Files.createDirectories(tmpDir());
        Files.writeString(
                dir().resolve(CLASSPATH_ARGS), "-cp " + quoted(classpath.asArgument()) + "\n", StandardCharsets.UTF_8);
        initializeData();
    }

    /** JVM start-up, class loading and JIT on a shared two-core machine: far slower than a native server. */
    @Override
    Duration readyTimeout() {
        return READY_TIMEOUT;
    }

    @Override
    Duration gracefulStopTimeout() {
        return GRACEFUL_STOP_TIMEOUT;
    }

    @Override
    void afterCleanExit() {
        archive.publish(dir());
    }

    /** The server itself: {@code java FLAGS ARCHIVE -Djava.io.tmpdir=DIR/tmp @DIR/classpath.args MAIN ARGS}. */
    final List<String> serverCommand(List<String> flags, String mainClass, List<String> arguments) {
        List<String> withArchive = new ArrayList<>(flags);
        withArchive.addAll(archive.jvmFlags(dir()));
        return javaCommand(withArchive, mainClass, arguments);
    }

    /** A short-lived tool on the server's classpath (e.g. Kafka's storage formatter); it writes no archive. */
    final List<String> toolCommand(List<String> flags, String mainClass, List<String> arguments) {
        return javaCommand(flags, mainClass, arguments);
    }

    private List<String> javaCommand(List<String> flags, String mainClass, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(java().toString());
        command.addAll(flags);
        // Private, so what a child unpacks there (native libraries) is cleaned up with its folder.
        command.add("-Djava.io.tmpdir=" + tmpDir());
        command.add("@" + dir().resolve(CLASSPATH_ARGS));
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }

    private Path tmpDir() {
        return dir().resolve("tmp");
    }

    /** The java running this JVM, so the children share its version and JAVA_HOME. */
    static Path java() {
        return ProcessHandle.current()
                .info()
                .command()
                .map(Path::of)
                .filter(Files::isExecutable)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /** Argument-file syntax: a quoted argument may hold spaces; backslashes and quotes are escaped. */
    private static String quoted(String argument) {
        return "\"" + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
