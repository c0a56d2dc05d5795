package io.membercenter.callers;

import io.membercenter.shard.ShardedDatabases;
import io.membercenter.traffic.Scope;
import io.membercenter.traffic.TrafficClass;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The registry's tables ({@code V5__caller_registry.sql}) in the control database: the first physical
 * database. Every change is one transaction that starts by bumping {@code caller_registry_version}: that
 * row's lock serialises changes (so "at most two live keys" holds under concurrent rotations), and the
 * moved version is what every instance's poll sees.
 */
final class CallerStore {

    /** A change refused on what the database holds (no such caller, two live keys, ...): rolled back whole. */
    static final class Refused extends RuntimeException {
        final String field;
        final boolean notFound;

        Refused(String field, String message, boolean notFound) {
            super(message, null, false, false);
            this.field = field;
            this.notFound = notFound;
        }
    }

    /** The registry as of {@code version}: every row read after the version was. */
    record Contents(long version, List<RegisteredCaller> callers) {}

    /** What a PATCH changes; null fields are left as they are. */
    record Change(
            TrafficClass trafficClass,
            boolean changesClass,
            Set<Scope> scopes,
            String limits,
            boolean changesLimits,
            String newKeySha256,
            String revokeKeyId) {}

    private final ShardedDatabases databases;
    private final String control;

    CallerStore(ShardedDatabases databases) {
        this.databases = databases;
        this.control = databases.databaseNames().iterator().next();
    }

    /**
     * The version, read on the local copy (DC-B reads its replica, falling back to the master): cheap enough
     * to ask four times a second, and answered while the master is away.
     */
    long version() {
        return databases.readLocal(control, CallerStore::versionOf).value();
    }

    Contents load() {
        return databases
                .readLocal(control, c -> {
                    long version = versionOf(c);
                    return new Contents(version, callers(c));
                })
                .value();
    }

    /** Creates a caller with its first key; refused if the name is taken. */
    void create(RegisteredCaller caller, String keySha256, long now) {
        databases.inTransaction(control, c -> {
            bumpVersion(c);
            if (exists(c, caller.name())) {
                throw new Refused("name", "a caller with this name exists", false);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO caller (name, traffic_class, scopes, limits, created_at, updated_at, version)"
                            + " VALUES (?, ?, ?, ?, ?, ?, 1)")) {
                ps.setString(1, caller.name());
                setClass(ps, 2, caller.trafficClass());
                ps.setString(3, labels(caller.scopes()));
                ps.setString(4, caller.limits());
                ps.setLong(5, now);
                ps.setLong(6, now);
                ps.executeUpdate();
            }
            insertKey(c, caller.name(), keySha256, now);
            return null;
        });
    }

    /** Seeds a caller with one key if no caller of that name exists yet (a later change is never undone). */
    boolean seed(RegisteredCaller caller, String keySha256, long now) {
        try {
            create(caller, keySha256, now);
            return true;
        } catch (Refused exists) {
            return false;
        }
    }

    void change(String name, Change change, long now) {
        databases.inTransaction(control, c -> {
            bumpVersion(c);
            if (!exists(c, name)) throw new Refused("name", "no such caller", true);
            StringBuilder set = new StringBuilder("updated_at = ?, version = version + 1");
            if (change.changesClass()) set.append(", traffic_class = ?");
            if (change.scopes() != null) set.append(", scopes = ?");
            if (change.changesLimits()) set.append(", limits = ?");
            try (PreparedStatement ps = c.prepareStatement("UPDATE caller SET " + set + " WHERE name = ?")) {
                int i = 1;
                ps.setLong(i++, now);
                if (change.changesClass()) setClass(ps, i++, change.trafficClass());
                if (change.scopes() != null) ps.setString(i++, labels(change.scopes()));
                if (change.changesLimits()) ps.setString(i++, change.limits());
                ps.setString(i, name);
                ps.executeUpdate();
            }
            if (change.revokeKeyId() != null) revoke(c, name, change.revokeKeyId(), now);
            if (change.newKeySha256() != null) {
                if (liveKeys(c, name) >= 2) {
                    throw new Refused("rotateKey", "the caller has two live keys already; revoke one first", false);
                }
                insertKey(c, name, change.newKeySha256(), now);
            }
            return null;
        });
    }

    private static void revoke(Connection c, String name, String keyId, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE caller_key SET revoked_at = ?"
                + " WHERE caller_name = ? AND key_sha256 LIKE ? AND revoked_at IS NULL")) {
            ps.setLong(1, now);
            ps.setString(2, name);
            ps.setString(3, keyId + "%");
            int revoked = ps.executeUpdate();
            if (revoked != 1) {
                throw new Refused(
                        "revokeKey",
                        revoked == 0 ? "is not a live key of this caller" : "names more than one key; give more digits",
                        false);
            }
        }
    }

    private static void bumpVersion(Connection c) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE caller_registry_version SET version = version + 1 WHERE id = 1")) {
            ps.executeUpdate();
        }
    }

    private static long versionOf(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM caller_registry_version WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM caller WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static int liveKeys(Connection c, String name) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT COUNT(*) FROM caller_key WHERE caller_name = ? AND revoked_at IS NULL")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void insertKey(Connection c, String name, String sha256, long now) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO caller_key (key_sha256, caller_name, created_at) VALUES (?, ?, ?)")) {
            ps.setString(1, sha256);
            ps.setString(2, name);
            ps.setLong(3, now);
            ps.executeUpdate();
        }
    }

    private static List<RegisteredCaller> callers(Connection c) throws SQLException {
        Map<String, List<RegisteredCaller.Key>> keys = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT key_sha256, caller_name, created_at, revoked_at FROM caller_key ORDER BY created_at");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Long revokedAt = rs.getObject(4, Long.class);
                keys.computeIfAbsent(rs.getString(2), k -> new ArrayList<>())
                        .add(new RegisteredCaller.Key(rs.getString(1), rs.getLong(3), revokedAt));
            }
        }
        Map<String, RegisteredCaller> callers = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT name, traffic_class, scopes, limits, created_at, updated_at, version FROM caller"
                                + " ORDER BY name");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                String trafficClass = rs.getString(2);
                callers.put(
                        name,
                        new RegisteredCaller(
                                name,
                                trafficClass == null ? null : TrafficClass.valueOf(trafficClass),
                                scopes(rs.getString(3)),
                                rs.getString(4),
                                rs.getLong(5),
                                rs.getLong(6),
                                rs.getLong(7),
                                keys.getOrDefault(name, List.of())));
            }
        }
        return List.copyOf(callers.values());
    }

    private static void setClass(PreparedStatement ps, int index, TrafficClass trafficClass) throws SQLException {
        if (trafficClass == null) ps.setNull(index, Types.VARCHAR);
        else ps.setString(index, trafficClass.name());
    }

    static String labels(Set<Scope> scopes) {
        return scopes.stream().sorted().map(Scope::label).collect(Collectors.joining(" "));
    }

    /** Labels this version does not know are dropped: a caller never gets a scope by a typo in the table. */
    private static Set<Scope> scopes(String labels) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String label : labels.split(" ")) {
            Scope scope = Scope.ofLabel(label);
            if (scope != null) scopes.add(scope);
        }
        return scopes;
    }
}
