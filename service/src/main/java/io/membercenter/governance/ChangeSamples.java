package io.membercenter.governance;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.MemberChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the consistency checker reads of the master, with SQL of its own (like the audit's
 * {@link RelationshipRows}: it shares the schema with the code it checks, not the code): committed changes from a
 * physical database's {@code member_outbox}, by id after a cursor (a range of the primary key), and a member's row
 * as MySQL holds it now.
 */
final class ChangeSamples {

    /**
     * One committed change of a member: the outbox row's id, the version it committed, the identifiers the member
     * held then and those it took away, and when it committed (by the service's clock, as the row says).
     */
    record Sample(
            String database,
            long outboxId,
            long memberId,
            long version,
            List<IdentifierKey> identifiers,
            List<IdentifierKey> removedIdentifiers,
            long committedAt) {}

    private static final String OUTBOX_COLUMNS = "id, member_id, version, payload, created_at";

    private ChangeSamples() {}

    /** The newest outbox id of a database (0: none): where a checker that just started begins. */
    static long lastId(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM member_outbox");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Changes after an outbox id, in id order (the order they committed in, for each member). */
    static List<Sample> after(Connection c, String database, long afterId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + OUTBOX_COLUMNS + " FROM member_outbox WHERE id > ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
            return samples(ps, database);
        }
    }

    /** A member's latest change in the outbox (by the {@code outbox_by_member} index). */
    static Optional<Sample> latestOf(Connection c, String database, long memberId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + OUTBOX_COLUMNS + " FROM member_outbox WHERE member_id = ? ORDER BY version DESC LIMIT 1")) {
            ps.setLong(1, memberId);
            return samples(ps, database).stream().findFirst();
        }
    }

    /**
     * A member as the master holds it now, as a change with nothing removed (the form the cache and search hold);
     * empty when the row is missing or not LIVE (PENDING and ABORTED members are invisible: no store may hold them).
     */
    /**
     * A MERGED member is closed (status CLOSED, no identifiers, {@code member.MemberMerge}) and its last change put
     * that shape into search, which keeps it (the change contract has no delete): it is compared as the master holds
     * it. The cache never holds it (a read of it answers 404, which is not cached).
     */
    private static final Set<String> VISIBLE = Set.of(RelationshipRows.LIVE, "MERGED");

    static Optional<MemberChange> liveMember(Connection c, long memberId, JsonMapper json) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT lifecycle, mobile, email, nickname, level, status, "
                + "identities, version, created_at, updated_at FROM member WHERE member_id = ?")) {
            ps.setLong(1, memberId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !VISIBLE.contains(rs.getString(1))) return Optional.empty();
                return Optional.of(MemberChange.of(
                        memberId,
                        rs.getLong(8),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        identities(rs.getString(7), json),
                        List.of(),
                        rs.getLong(9),
                        rs.getLong(10)));
            }
        }
    }

    private static List<Sample> samples(PreparedStatement ps, String database) throws SQLException {
        List<Sample> samples = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                MemberChange change;
                try {
                    change = MemberChange.fromJson(rs.getString(4));
                } catch (RuntimeException unreadable) {
                    change = null; // the identifiers are unknown; the member is still checked
                }
                samples.add(new Sample(
                        database,
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        change == null ? List.of() : change.identifiers(),
                        change == null ? List.of() : change.removedIdentifiers(),
                        rs.getLong(5)));
            }
        }
        return samples;
    }

    private static List<MemberChange.Identity> identities(String column, JsonMapper json) {
        List<MemberChange.Identity> identities = new ArrayList<>();
        try {
            for (JsonNode identity : json.readTree(column == null ? "[]" : column)) {
                identities.add(new MemberChange.Identity(
                        identity.path("platform").asString(),
                        identity.path("externalId").asString()));
            }
        } catch (JacksonException unreadable) {
            // a row whose identities cannot be read: compared as holding none, so any copy holding some differs
        }
        return identities;
    }
}
