package io.membercenter.topology;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How to start a {@link LocalTopology}.
 *
 * @param workDir   where every store keeps its data, logs and pid files; wiped at start
 * @param databases the physical databases created on the master (and so on the replica)
 * @param kinds     which kinds of store to start: {@code DB} (the MariaDB pair), {@code CACHE} (the Redis pair),
 *                  {@code MQ} (the Kafka broker), {@code SEARCH} (the three OpenSearch clusters)
 */
public record TopologyOptions(Path workDir, List<String> databases, Set<StoreKind> kinds) {

    /** Where {@link #defaults()} and {@link LocalTopology#shared()} put the work dir when told nothing else. */
    static final String WORK_DIR_PROPERTY = "membercenter.topology.dir";
    /** A comma list such as {@code db,cache}: what {@link LocalTopology#shared()} starts; everything if unset. */
    static final String KINDS_PROPERTY = "membercenter.topology.kinds";

    static final Path DEFAULT_WORK_DIR = Path.of("target", "local-topology");
    /** The kinds a local topology knows how to start. */
    static final Set<StoreKind> STARTABLE =
            Collections.unmodifiableSet(EnumSet.of(StoreKind.DB, StoreKind.CACHE, StoreKind.MQ, StoreKind.SEARCH));

    /** Names end up unquoted-safe inside DDL, so only plain identifiers are accepted. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    public TopologyOptions {
        Objects.requireNonNull(workDir, "workDir");
        databases = List.copyOf(databases);
        for (String database : databases) {
            if (!DATABASE_NAME.matcher(database).matches()) {
                throw new IllegalArgumentException(
                        "Database name must match " + DATABASE_NAME + ": '" + database + "'");
            }
        }
        kinds = startableKinds(kinds);
    }

    /** Every kind of store. */
    public TopologyOptions(Path workDir, List<String> databases) {
        this(workDir, databases, STARTABLE);
    }

    /**
     * Everything (MariaDB, Redis, Kafka, OpenSearch) with the sharded store's two physical databases, in the work
     * dir named by {@code membercenter.topology.dir}.
     */
    public static TopologyOptions defaults() {
        return new TopologyOptions(defaultWorkDir(), List.of("member_0", "member_1"));
    }

    /** {@link #defaults()} starting only the given kinds, e.g. {@code only(StoreKind.DB, StoreKind.CACHE)}. */
    public static TopologyOptions only(StoreKind first, StoreKind... more) {
        return defaults().withKinds(first, more);
    }

    /** These options starting only the given kinds. */
    public TopologyOptions withKinds(StoreKind first, StoreKind... more) {
        return withKinds(EnumSet.of(first, more));
    }

    /** These options starting only the given kinds. */
    public TopologyOptions withKinds(Set<StoreKind> kinds) {
        return new TopologyOptions(workDir, databases, kinds);
    }

    /** {@link #defaults()}, narrowed to the kinds named by {@code membercenter.topology.kinds} if it is set. */
    static TopologyOptions fromSystemProperties() {
        String configured = System.getProperty(KINDS_PROPERTY);
        TopologyOptions defaults = defaults();
        return configured == null || configured.isBlank() ? defaults : defaults.withKinds(parseKinds(configured));
    }

    /** {@code "db, Cache"} → {@code [DB, CACHE]}; names are those of {@link StoreKind}, in any case. */
    static Set<StoreKind> parseKinds(String commaList) {
        Set<StoreKind> kinds = EnumSet.noneOf(StoreKind.class);
        for (String name : commaList.split(",")) {
            if (!name.isBlank()) {
                kinds.add(parseKind(name.strip()));
            }
        }
        return kinds;
    }

    private static StoreKind parseKind(String name) {
        return Arrays.stream(StoreKind.values())
                .filter(kind -> kind.name().equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(KINDS_PROPERTY + ": unknown store kind '" + name
                        + "'; use a comma list of " + shortNames(STARTABLE)));
    }

    private static Set<StoreKind> startableKinds(Set<StoreKind> kinds) {
        Objects.requireNonNull(kinds, "kinds");
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("Name at least one store kind to start: " + shortNames(STARTABLE));
        }
        Set<StoreKind> copy = EnumSet.copyOf(kinds);
        if (!STARTABLE.containsAll(copy)) {
            copy.removeAll(STARTABLE);
            throw new IllegalArgumentException(
                    "The local topology has no " + shortNames(copy) + " stores; it starts " + shortNames(STARTABLE));
        }
        return Collections.unmodifiableSet(copy);
    }

    static String shortNames(Set<StoreKind> kinds) {
        return kinds.stream().map(kind -> kind.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }

    static Path defaultWorkDir() {
        String configured = System.getProperty(WORK_DIR_PROPERTY);
        return configured == null || configured.isBlank() ? DEFAULT_WORK_DIR : Path.of(configured);
    }
}
