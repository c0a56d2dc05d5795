package io.membercenter.topology;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The jars of a child JVM, as the module's build resolved them (one absolute path per line, in the resource
 * {@code io/membercenter/topology/NAME.classpath}; see {@code child-jvm-classpaths} in the module's pom).
 *
 * <p>The jars stay in the local Maven repository; the file only names them. It is read through the class loader,
 * so it is found in {@code target/classes}, in the topology jar, and in a jar nested in the service's.
 *
 * @param name what the set is for, e.g. {@code kafka}
 * @param jars the jars, in resolution order
 */
record ChildClasspath(String name, List<Path> jars) {

    static ChildClasspath load(String name) {
        String resource = name + ".classpath";
        try (InputStream in = ChildClasspath.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No " + resource + " next to " + ChildClasspath.class.getName()
                        + ": the topology module's build writes it (./mvnw -pl topology process-classes)");
            }
            List<Path> jars = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .map(Path::of)
                    .toList();
            return new ChildClasspath(name, jars).requirePresent();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + resource, e);
        }
    }

    /** The paths point into the local Maven repository of the machine that built the module; say so if one is gone. */
    private ChildClasspath requirePresent() {
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("The " + name + " classpath names " + jar + ", which does not exist; "
                        + "rebuild the topology module (./mvnw -pl topology process-classes) to resolve it again");
            }
        }
        return this;
    }

    /** This set with a jar of our own in front, e.g. one holding a child's main class. */
    ChildClasspath withFirst(Path classes) {
        List<Path> entries = new ArrayList<>(jars.size() + 1);
        entries.add(classes);
        entries.addAll(jars);
        return new ChildClasspath(name, List.copyOf(entries));
    }

    String asArgument() {
        return String.join(File.pathSeparator, jars.stream().map(Path::toString).toList());
    }
}
