package io.membercenter.topology;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to start a {@link LocalTopology}.
 *
 * @param workDir   where every store keeps its data, logs and pid files; wiped at start
 * @param databases the physical databases created on the master (and so on the replica)
 */
public record TopologyOptions(Path workDir, List<String> databases) {

    /** Where {@link #defaults()} and {@link LocalTopology#shared()} put the work dir when told nothing else. */
    static final String WORK_DIR_PROPERTY = "membercenter.topology.dir";
    static final Path DEFAULT_WORK_DIR = Path.of("target", "local-topology");

    /** Names end up unquoted-safe inside DDL, so only plain identifiers are accepted. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    public TopologyOptions {
        Objects.requireNonNull(workDir, "workDir");
        databases = List.copyOf(databases);
        for (String database : databases) {
            if (!DATABASE_NAME.matcher(database).matches()) {
                throw new IllegalArgumentException("Database name must match " + DATABASE_NAME + ": '" + database + "'");
            }
        }
    }

    /** The sharded store's two physical databases, in the work dir named by {@code membercenter.topology.dir}. */
    public static TopologyOptions defaults() {
        return new TopologyOptions(defaultWorkDir(), List.of("member_0", "member_1"));
    }

    static Path defaultWorkDir() {
        String configured = System.getProperty(WORK_DIR_PROPERTY);
        return configured == null || configured.isBlank() ? DEFAULT_WORK_DIR : Path.of(configured);
    }
}
