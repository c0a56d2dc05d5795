package io.membercenter.rules;

import io.membercenter.shard.ShardedDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code flow_rule_version} ({@code V6__flow_rule_versions.sql}) in the control database, the first physical
 * database. A new version is written under the lock of the newest row ({@code FOR UPDATE}), so two changes made
 * at once on two instances become two versions, the second built on the first — never a lost update.
 */
final class RuleVersionStore {

    /** One accepted change: the whole document it put in force, and what it changed. */
    record Version(long version, String document, String diff, String changedBy, long changedAt) {}

    /** What a change proposes, built from the newest version under its lock. */
    record Proposal(String document, String diff, String changedBy, long changedAt) {}

    private final ShardedDatabases databases;
    private final String control;

    RuleVersionStore(ShardedDatabases databases) {
        this.databases = databases;
        this.control = databases.databaseNames().iterator().next();
    }

    /** The newest version's number (0: none yet), on the local copy: what each instance polls. */
    long newestVersion() {
        return databases
                .readLocal(control, c -> {
                    try (PreparedStatement ps =
                                    c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM flow_rule_version");
                            ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                })
                .value();
    }

    Optional<Version> newest() {
        return databases
                .readLocal(
                        control,
                        c -> versions(c, "ORDER BY version DESC LIMIT 1", 1).stream()
                                .findFirst())
                .value();
    }

    /** Newest first. */
    List<Version> history(int limit) {
        return databases
                .readLocal(control, c -> versions(c, "ORDER BY version DESC LIMIT ?", limit))
                .value();
    }

    /**
     * Writes the next version, built by {@code propose} from the newest one (empty: none yet) while its row is
     * locked. {@code propose} may throw to refuse: nothing is written.
     */
    Version append(Function<Optional<Version>, Proposal> propose) {
        return databases.inTransaction(control, c -> {
            Optional<Version> newest = versions(c, "ORDER BY version DESC LIMIT 1 FOR UPDATE", 1).stream()
                    .findFirst();
            Proposal proposal = propose.apply(newest);
            long next = newest.map(Version::version).orElse(0L) + 1;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO flow_rule_version"
                    + " (version, document, diff, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, next);
                ps.setString(2, proposal.document());
                ps.setString(3, proposal.diff());
                ps.setString(4, proposal.changedBy());
                ps.setLong(5, proposal.changedAt());
                ps.executeUpdate();
            }
            return new Version(next, proposal.document(), proposal.diff(), proposal.changedBy(), proposal.changedAt());
        });
    }

    private static List<Version> versions(Connection c, String tail, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT version, document, diff, changed_by, changed_at FROM flow_rule_version " + tail)) {
            if (tail.contains("?")) ps.setInt(1, limit);
            List<Version> versions = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    versions.add(new Version(
                            rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
                }
            }
            return versions;
        }
    }
}
