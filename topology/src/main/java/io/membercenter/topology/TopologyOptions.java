package io.membercenter.topology;

import java.nio.file.Path;
import java.time.Duration;
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
 *                  {@code MQ} (the Kafka broker), {@code SEARCH} (the three OpenSearch clusters), {@code COORDINATION}
 *                  (the three-node ZooKeeper ensemble; only when asked for, see {@link #DEFAULT_KINDS}), {@code LEGACY}
 *                  (the legacy member database, a PostgreSQL of its own; only when asked for)
 * @param dcRtt     the round-trip time between the two data centers, added by the links between them; zero by default
 * @param dcLinks   whether clients reach the other data center's databases and caches through a link (a proxy of ours
 *                  that delays by {@code dcRtt} and can be cut or hung); always on when {@code dcRtt} is not zero, off
 *                  by default, when every client connects straight to the server
 */
public record TopologyOptions(
        Path workDir, List<String> databases, Set<StoreKind> kinds, Duration dcRtt, boolean dcLinks) {

    /** Where {@link #defaults()} and {@link LocalTopology#shared()} put the work dir when told nothing else. */
    static final String WORK_DIR_PROPERTY = "membercenter.topology.dir";
    /** A comma list such as {@code db,cache}: what {@link LocalTopology#shared()} starts; everything if unset. */
    static final String KINDS_PROPERTY = "membercenter.topology.kinds";
    /** A round-trip time such as {@code 2ms}: what {@link LocalTopology#shared()} puts between the data centers. */
    static final String DC_RTT_PROPERTY = "membercenter.topology.dc-rtt";

    static final Path DEFAULT_WORK_DIR = Path.of("target", "local-topology");
    /** The kinds a local topology knows how to start. */
    static final Set<StoreKind> STARTABLE = Collections.unmodifiableSet(EnumSet.of(
            StoreKind.DB, StoreKind.CACHE, StoreKind.MQ, StoreKind.SEARCH, StoreKind.COORDINATION, StoreKind.LEGACY));
    /**
     * What starts when nothing narrower is asked for: everything the service uses today. The ZooKeeper ensemble is
     * three more JVMs to start on two cores, and nothing in the service talks to it yet, so it starts only when named
     * ({@code ./mc run} and {@code ./mc topology} name it; the service's tests do not, until the service uses it).
     * The legacy PostgreSQL likewise: only the migration uses it, and only its tests and {@code ./mc run} name it.
     */
    static final Set<StoreKind> DEFAULT_KINDS =
            Collections.unmodifiableSet(EnumSet.of(StoreKind.DB, StoreKind.CACHE, StoreKind.MQ, StoreKind.SEARCH));

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|ms|s)?");

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
        Objects.requireNonNull(dcRtt, "dcRtt");
        if (dcRtt.isNegative()) {
            throw new IllegalArgumentException("The round-trip time between data centers cannot be negative: " + dcRtt);
        }
        dcLinks = dcLinks || !dcRtt.isZero();
    }

    /** These kinds, the two data centers 0 ms apart and connected straight. */
    public TopologyOptions(Path workDir, List<String> databases, Set<StoreKind> kinds) {
        this(workDir, databases, kinds, Duration.ZERO, false);
    }

    /** The default kinds of store ({@link #DEFAULT_KINDS}: all but the coordination ensemble). */
    public TopologyOptions(Path workDir, List<String> databases) {
        this(workDir, databases, DEFAULT_KINDS);
    }

    /**
     * MariaDB, Redis, Kafka and OpenSearch with the sharded store's two physical databases, in the work
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
        return new TopologyOptions(workDir, databases, kinds, dcRtt, dcLinks);
    }

    /**
     * These options with the data centers {@code rtt} apart: clients in one reach the other's databases and caches,
     * and the replica its master, through links that delay each direction by half of it. {@code Duration.ZERO} still
     * puts the links in place (no delay), so a test can cut or hang them.
     */
    public TopologyOptions withDcRtt(Duration rtt) {
        return new TopologyOptions(workDir, databases, kinds, rtt, true);
    }

    /**
     * {@link #defaults()}, narrowed to the kinds named by {@code membercenter.topology.kinds} if it is set, with the
     * round-trip time of {@code membercenter.topology.dc-rtt} if that is set (which also puts the links in place).
     */
    static TopologyOptions fromSystemProperties() {
        String configured = System.getProperty(KINDS_PROPERTY);
        TopologyOptions options = defaults();
        if (configured != null && !configured.isBlank()) {
            options = options.withKinds(parseKinds(configured));
        }
        String rtt = System.getProperty(DC_RTT_PROPERTY);
        if (rtt != null && !rtt.isBlank()) {
            options = options.withDcRtt(parseDuration(rtt));
        }
        return options;
    }

    /** {@code 2ms}, {@code 0.5ms}, {@code 1s}, {@code 500us}, or a bare number of milliseconds. */
    static Duration parseDuration(String text) {
        var matcher = DURATION.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(DC_RTT_PROPERTY + ": '" + text
                    + "' is not a round-trip time; write it as e.g. 2ms, 0.5ms, 1s or 500us");
        }
        double amount = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2) == null ? "ms" : matcher.group(2);
        double nanosPerUnit = switch (unit) {
            case "us" -> 1e3;
            case "s" -> 1e9;
            default -> 1e6;
        };
        return Duration.ofNanos(Math.round(amount * nanosPerUnit));
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
