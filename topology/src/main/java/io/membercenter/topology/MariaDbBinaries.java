package io.membercenter.topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The MariaDB server and data initializer this machine will run.
 *
 * <p>An installed MariaDB is preferred: it starts fastest and needs no download. Without one the
 * binary tree shipped in a Maven artifact is used, so a machine with nothing but a JDK still runs the
 * real topology.
 *
 * @param server    {@code mariadbd}
 * @param installer {@code mariadb-install-db}
 * @param baseDir   the installation's root, for binary trees that are not where they were built for
 */
record MariaDbBinaries(Path server, Path installer, Optional<Path> baseDir) {

    /** {@code auto} (default), {@code system} or {@code bundled}: lets a test prove the fallback works. */
    static final String SOURCE_PROPERTY = "membercenter.topology.mariadb";

    private static final List<String> SERVER_NAMES = List.of("mariadbd", "mysqld");
    private static final List<String> INSTALLER_NAMES = List.of("mariadb-install-db", "mysql_install_db");
    private static final List<Path> USUAL_DIRS =
            List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin"), Path.of("/usr/bin"));

    static MariaDbBinaries locate() {
        String source = System.getProperty(SOURCE_PROPERTY, "auto");
        return switch (source) {
            case "bundled" -> BundledMariaDb.unpack();
            case "system" -> installed().orElseThrow(() -> new IllegalStateException(
                    "No installed MariaDB found on PATH or in " + USUAL_DIRS + " (" + SOURCE_PROPERTY + "=system)"));
            case "auto" -> installed().orElseGet(BundledMariaDb::unpack);
            default -> throw new IllegalArgumentException(
                    SOURCE_PROPERTY + " must be auto, system or bundled, not '" + source + "'");
        };
    }

    boolean isBundled() {
        return baseDir.isPresent();
    }

    static Optional<MariaDbBinaries> installed() {
        List<Path> dirs = searchDirs();
        Optional<Path> server = firstExecutable(SERVER_NAMES, dirs);
        Optional<Path> installer = firstExecutable(INSTALLER_NAMES, dirs);
        if (server.isEmpty() || installer.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MariaDbBinaries(server.get(), installer.get(), Optional.empty()));
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

    /** Names are tried in order of preference across all dirs, so {@code mariadbd} anywhere beats {@code mysqld}. */
    private static Optional<Path> firstExecutable(List<String> names, List<Path> dirs) {
        for (String name : names) {
            for (Path dir : dirs) {
                Path candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
