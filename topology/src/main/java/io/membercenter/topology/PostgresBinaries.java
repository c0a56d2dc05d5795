package io.membercenter.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The PostgreSQL server this machine will run for the legacy store: Debian's packages put each major version's
 * binaries in {@code /usr/lib/postgresql/MAJOR/bin}, off PATH, so that folder is searched, the newest major first.
 * There is no Maven-shipped PostgreSQL to fall back on: {@code ./mc} installs Debian's {@code postgresql} when the
 * folder is missing ({@code ensure_postgresql} in {@code mc}), and this says so when it is still missing.
 *
 * @param bin the folder of {@code initdb}, {@code postgres} and {@code pg_isready}
 */
record PostgresBinaries(Path bin) {

    /** Where the binaries are, for a machine that has them elsewhere (e.g. a PostgreSQL built by hand). */
    static final String BIN_PROPERTY = "membercenter.topology.postgresql.bin";

    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

    static PostgresBinaries locate() {
        String configured = System.getProperty(BIN_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return new PostgresBinaries(Path.of(configured));
        }
        return installed()
                .orElseThrow(
                        () -> new IllegalStateException("The legacy store needs PostgreSQL and none is installed in "
                                + DEBIAN_ROOT
                                + "/*/bin: run ./mc (it installs it) or apt-get install -y postgresql, or set "
                                + BIN_PROPERTY));
    }

    static Optional<PostgresBinaries> installed() {
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin ->
                            Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparingInt(PostgresBinaries::major))
                    .map(PostgresBinaries::new);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Path initdb() {
        return bin.resolve("initdb");
    }

    Path server() {
        return bin.resolve("postgres");
    }

    Path isReady() {
        return bin.resolve("pg_isready");
    }

    private static int major(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
