package io.membercenter.topology;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
        return BinarySource.choose(
                SOURCE_PROPERTY, "MariaDB", USUAL_DIRS, MariaDbBinaries::installed, BundledMariaDb::unpack);
    }

    boolean isBundled() {
        return baseDir.isPresent();
    }

    static Optional<MariaDbBinaries> installed() {
        Optional<Path> server = BinarySource.installed(SERVER_NAMES, USUAL_DIRS);
        Optional<Path> installer = BinarySource.installed(INSTALLER_NAMES, USUAL_DIRS);
        if (server.isEmpty() || installer.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MariaDbBinaries(server.get(), installer.get(), Optional.empty()));
    }
}
