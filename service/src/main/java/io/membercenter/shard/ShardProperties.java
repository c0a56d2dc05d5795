package io.membercenter.shard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The shard map and the physical databases behind it, validated once at start.
 *
 * @param logicalShards number of logical shards (the hash space)
 * @param dataCenter the data center this service runs in: reads go to the copy there
 * @param username the service's own database user (least privilege)
 * @param poolSize connections per pool (one pool per copy of each physical database)
 * @param replicaWaitTimeout how long a write waits for the local replica before reads of that
 *     database go to the master instead
 * @param connectTimeout TCP connect and handshake with a database server (MariaDB Connector/J
 *     {@code connectTimeout}): a hung server costs a new connection no more than this
 * @param socketTimeout longest wait for any answer on an open connection (Connector/J
 *     {@code socketTimeout}): a server that hangs mid-statement releases the caller after this; above
 *     replica-wait-timeout, since {@code MASTER_GTID_WAIT} legitimately blocks that long
 * @param connectionTimeout longest wait for a pooled connection (Hikari {@code connectionTimeout},
 *     at least its minimum of 250 ms): a full or dead pool answers 503 after this, not after 30 s
 * @param readTimeout longest a read on the request path (a member, an owner entry, a batch of one database)
 *     waits for its answer on a copy before the next copy is asked: the socket timeout is sized for
 *     {@code MASTER_GTID_WAIT}, and a read that waited that long on a hung replica left no time of the request's
 *     deadline for the master (DependencyOutageTest's hung mysql-b: 503 after 5.1 s)
 */
@ConfigurationProperties("member-center.shard")
public record ShardProperties(
        @DefaultValue("1024") int logicalShards,
        @DefaultValue("A") String dataCenter,
        String username,
        String password,
        @DefaultValue("16") int poolSize,
        @DefaultValue("2s") Duration replicaWaitTimeout,
        List<PhysicalDatabase> databases,
        @DefaultValue("500ms") Duration connectTimeout,
        @DefaultValue("5s") Duration socketTimeout,
        @DefaultValue("1s") Duration connectionTimeout,
        @DefaultValue("1s") Duration readTimeout) {

    /** One physical database: a name, the logical shards it holds ("0-511"), and its copies. */
    public record PhysicalDatabase(String name, String shards, List<Copy> copies) {

        int firstShard() {
            return Integer.parseInt(shards.split("-")[0].trim());
        }

        int lastShard() {
            String[] range = shards.split("-");
            return Integer.parseInt(range[range.length - 1].trim());
        }

        Copy master() {
            return copies.stream()
                    .filter(c -> c.role() == Role.MASTER)
                    .findFirst()
                    .orElseThrow();
        }
    }

    public enum Role {
        MASTER,
        REPLICA
    }

    /**
     * One copy of a physical database in one data center. {@code store} names the database server it
     * is on ({@code mysql-a}): copies on one server share its breaker. Without it, the copy is a store of
     * its own, {@code <database>-<dc>}.
     */
    public record Copy(String dataCenter, Role role, String url, String store) {

        @ConstructorBinding
        public Copy {}

        public Copy(String dataCenter, Role role, String url) {
            this(dataCenter, role, url, null);
        }

        /** The server's name for breakers and /admin/topology. */
        public String storeOf(String database) {
            return store == null || store.isBlank()
                    ? database + "-" + dataCenter.toLowerCase(java.util.Locale.ROOT)
                    : store;
        }
    }

    @ConstructorBinding
    public ShardProperties {
        databases = databases == null ? List.of() : List.copyOf(databases);
        validate(logicalShards, dataCenter, databases);
        validateDeadlines(replicaWaitTimeout, connectTimeout, socketTimeout, connectionTimeout);
        if (readTimeout.compareTo(Duration.ofMillis(100)) < 0 || readTimeout.compareTo(socketTimeout) > 0)
            throw new IllegalStateException(
                    "member-center.shard is invalid: read-timeout must be between 100ms and socket-timeout");
    }

    /** With the default deadlines (500 ms connect, 5 s socket, 1 s pool wait, 1 s read). */
    public ShardProperties(
            int logicalShards,
            String dataCenter,
            String username,
            String password,
            int poolSize,
            Duration replicaWaitTimeout,
            List<PhysicalDatabase> databases) {
        this(
                logicalShards,
                dataCenter,
                username,
                password,
                poolSize,
                replicaWaitTimeout,
                databases,
                Duration.ofMillis(500),
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1));
    }

    private static void validateDeadlines(
            Duration replicaWaitTimeout, Duration connectTimeout, Duration socketTimeout, Duration connectionTimeout) {
        List<String> problems = new ArrayList<>();
        if (connectTimeout.compareTo(Duration.ofMillis(100)) < 0
                || connectTimeout.compareTo(Duration.ofSeconds(30)) > 0)
            problems.add("connect-timeout must be between 100ms and 30s");
        if (socketTimeout.compareTo(replicaWaitTimeout.plusSeconds(1)) < 0
                || socketTimeout.compareTo(Duration.ofMinutes(5)) > 0)
            problems.add(
                    "socket-timeout must be at least replica-wait-timeout + 1s (MASTER_GTID_WAIT blocks that long) and at most 5m");
        if (connectionTimeout.compareTo(Duration.ofMillis(250)) < 0
                || connectionTimeout.compareTo(Duration.ofSeconds(30)) > 0)
            problems.add("connection-timeout must be between 250ms (Hikari's minimum) and 30s");
        if (!problems.isEmpty()) {
            throw new IllegalStateException("member-center.shard is invalid: " + String.join("; ", problems));
        }
    }

    private static void validate(int logicalShards, String dataCenter, List<PhysicalDatabase> databases) {
        List<String> problems = new ArrayList<>();
        if (logicalShards < 1) problems.add("logical-shards must be at least 1");
        if (!"A".equals(dataCenter) && !"B".equals(dataCenter)) problems.add("data-center must be A or B");
        if (databases.isEmpty()) problems.add("databases must list at least one physical database");
        boolean[] covered = new boolean[Math.max(logicalShards, 0)];
        for (PhysicalDatabase db : databases) {
            checkDatabase(db, covered, problems);
        }
        for (int shard = 0; shard < covered.length && !databases.isEmpty(); shard++) {
            if (!covered[shard]) {
                problems.add("logical shard " + shard + " is not mapped to any database");
                break;
            }
        }
        long masterDataCenters = databases.stream()
                .filter(db -> db.copies() != null)
                .flatMap(db -> db.copies().stream())
                .filter(c -> c.role() == Role.MASTER)
                .map(Copy::dataCenter)
                .distinct()
                .count();
        if (masterDataCenters > 1) problems.add("all masters must be in one data center");
        if (!problems.isEmpty()) {
            throw new IllegalStateException("member-center.shard is invalid: " + String.join("; ", problems));
        }
    }

    private static void checkDatabase(PhysicalDatabase db, boolean[] covered, List<String> problems) {
        if (db.name() == null || !db.name().matches("[a-z0-9_]+")) {
            problems.add("database name '" + db.name() + "' must match [a-z0-9_]+");
        }
        if (db.copies() == null
                || db.copies().stream().filter(c -> c.role() == Role.MASTER).count() != 1) {
            problems.add("database " + db.name() + " needs exactly one master copy");
            return;
        }
        int first;
        int last;
        try {
            first = db.firstShard();
            last = db.lastShard();
        } catch (RuntimeException e) {
            problems.add("database " + db.name() + " has shards '" + db.shards() + "', expected a range like 0-511");
            return;
        }
        for (int shard = first; shard <= last; shard++) {
            if (shard < 0 || shard >= covered.length) {
                problems.add("database " + db.name() + " maps shard " + shard + " outside 0-" + (covered.length - 1));
                return;
            }
            if (covered[shard]) {
                problems.add("logical shard " + shard + " is mapped twice");
                return;
            }
            covered[shard] = true;
        }
    }
}
