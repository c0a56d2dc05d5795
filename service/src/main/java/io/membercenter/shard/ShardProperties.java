package io.membercenter.shard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
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
 */
@ConfigurationProperties("member-center.shard")
public record ShardProperties(
        @DefaultValue("1024") int logicalShards,
        @DefaultValue("A") String dataCenter,
        String username,
        String password,
        @DefaultValue("16") int poolSize,
        @DefaultValue("2s") Duration replicaWaitTimeout,
        List<PhysicalDatabase> databases) {

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

    /** One copy of a physical database in one data center. */
    public record Copy(String dataCenter, Role role, String url) {}

    public ShardProperties {
        databases = databases == null ? List.of() : List.copyOf(databases);
        validate(logicalShards, dataCenter, databases);
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
