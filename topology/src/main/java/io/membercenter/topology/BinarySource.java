package io.membercenter.topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where a server's binaries come from, for every store kind alike: installed ones (PATH, then the
 * usual system folders) when present, else the Maven-shipped ones; a system property per kind
 * ({@code auto}, {@code system} or {@code bundled}) lets a test prove the fallback works.
 */
final class BinarySource {

    private BinarySource() {}

    static <T> T choose(
            String property, String what, List<Path> usualDirs, Supplier<Optional<T>> installed, Supplier<T> bundled) {
        String source = System.getProperty(property, "auto");
        return switch (source) {
            case "bundled" -> bundled.get();
            case "system" ->
                installed
                        .get()
                        .orElseThrow(() -> new IllegalStateException("No installed " + what + " found on PATH or in "
                                + usualDirs + " (" + property + "=system)"));
            case "auto" -> installed.get().orElseGet(bundled);
            default ->
                throw new IllegalArgumentException(property + " must be auto, system or bundled, not '" + source + "'");
        };
    }

    /** Names are tried in order of preference across all dirs, so {@code mariadbd} anywhere beats {@code mysqld}. */
    static Optional<Path> installed(List<String> names, List<Path> usualDirs) {
        List<Path> dirs = searchDirs(usualDirs);
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

    private static List<Path> searchDirs(List<Path> usualDirs) {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            Stream.of(path.split(":"))
                    .filter(entry -> !entry.isBlank())
                    .map(Path::of)
                    .forEach(dirs::add);
        }
        dirs.addAll(usualDirs);
        return dirs;
    }
}
