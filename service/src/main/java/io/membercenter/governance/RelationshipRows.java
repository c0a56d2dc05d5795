package io.membercenter.governance;

import io.membercenter.replication.IdentifierKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two tables of the claim protocol ({@code member}, {@code identifier_owner}) as the audit reads them:
 * raw rows, with SQL of its own. An audit that read through the member package's code would share that
 * code's mistakes; this one only shares the schema. Reads never lock (plain consistent reads), and every
 * range read is a chunk of the {@code shard} index in primary-key order, so it is short and resumable.
 */
final class RelationshipRows {

    static final String LIVE = "LIVE";
    static final String CLAIMED = "CLAIMED";
    static final String CONFIRMED = "CONFIRMED";

    private static final String MEMBER_COLUMNS =
            "member_id, shard, lifecycle, fence, mobile, email, identities, version, status, updated_at";
    /** Lookups per statement: a chunk's identifiers (a few per member) in a handful of short statements. */
    static final int IN_LIST = 500;

    private static final String ENTRY_COLUMNS = "kind, value, shard, member_id, state, token, changed_at";

    /** A member row; {@code identifiers} as the owner table names them. */
    record MemberRow(
            long memberId,
            int shard,
            String lifecycle,
            int fence,
            List<IdentifierKey> identifiers,
            long version,
            String status,
            long updatedAt) {

        boolean live() {
            return LIVE.equals(lifecycle);
        }

        boolean holds(IdentifierKey key) {
            return identifiers.contains(key);
        }

        /** What an anomaly shows of the row: everything but the identifiers' values, which are masked. */
        Map<String, Object> evidence() {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("memberId", Long.toString(memberId));
            row.put("shard", shard);
            row.put("lifecycle", lifecycle);
            row.put("status", status);
            row.put("version", version);
            row.put("fence", fence);
            row.put("updatedAt", Instant.ofEpochMilli(updatedAt).toString());
            row.put(
                    "identifiers",
                    identifiers.stream().map(IdentifierKey::toString).toList());
            return row;
        }
    }

    /** An owner entry. The token is read to match a repair against, never shown. */
    record OwnerRow(IdentifierKey key, int shard, long memberId, String state, String token, long changedAt) {

        boolean claimed() {
            return CLAIMED.equals(state);
        }

        /** The same entry, untouched since it was read (a settle or a takeover changes the token or state). */
        boolean sameAs(OwnerRow other) {
            return other != null
                    && other.memberId == memberId
                    && other.state.equals(state)
                    && other.token.equals(token);
        }

        Map<String, Object> evidence() {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("identifier", key.toString());
            row.put("shard", shard);
            row.put("memberId", Long.toString(memberId));
            row.put("state", state);
            row.put("changedAt", Instant.ofEpochMilli(changedAt).toString());
            return row;
        }
    }

    private final JsonMapper json;

    RelationshipRows(JsonMapper json) {
        this.json = json;
    }

    /** Member rows of one logical shard after a member id, in id order. */
    List<MemberRow> membersAfter(Connection c, int shard, long afterMemberId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + MEMBER_COLUMNS
                + " FROM member WHERE shard = ? AND member_id > ? ORDER BY member_id LIMIT ?")) {
            ps.setInt(1, shard);
            ps.setLong(2, afterMemberId);
            ps.setInt(3, limit);
            return members(ps);
        }
    }

    /**
     * The rows of some members, by id: {@value #IN_LIST} ids a statement, one primary-key lookup each, on one
     * connection. One statement per id cost a round trip per row examined, which set the audit's pace (under a
     * hundred rows a second on the loaded two-core reference machine: hours for a million members, far below the
     * throttle; measured with {@code ./mc bench audit}).
     */
    Map<Long, MemberRow> members(Connection c, List<Long> memberIds) throws SQLException {
        Map<Long, MemberRow> found = new LinkedHashMap<>();
        for (List<Long> group : groups(memberIds)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + MEMBER_COLUMNS
                    + " FROM member WHERE member_id IN (" + placeholders(group.size()) + ")")) {
                for (int i = 0; i < group.size(); i++) ps.setLong(i + 1, group.get(i));
                members(ps).forEach(row -> found.put(row.memberId(), row));
            }
        }
        return found;
    }

    /** Owner entries of one logical shard after a (kind, value), in primary-key order. */
    static List<OwnerRow> entriesAfter(Connection c, int shard, String kindAfter, String valueAfter, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ENTRY_COLUMNS + " FROM identifier_owner "
                + "WHERE shard = ? AND (kind > ? OR (kind = ? AND value > ?)) ORDER BY kind, value LIMIT ?")) {
            ps.setInt(1, shard);
            ps.setString(2, kindAfter);
            ps.setString(3, kindAfter);
            ps.setString(4, valueAfter);
            ps.setInt(5, limit);
            return entries(ps);
        }
    }

    /**
     * The owner entries of some identifiers, by primary key: per kind, {@value #IN_LIST} values a statement
     * ({@code kind = ? AND value IN (...)}, a lookup of the primary key each), on one connection.
     */
    static Map<IdentifierKey, OwnerRow> entries(Connection c, List<IdentifierKey> keys) throws SQLException {
        Map<String, List<String>> valuesByKind = new LinkedHashMap<>();
        for (IdentifierKey key : keys) {
            valuesByKind.computeIfAbsent(key.code(), k -> new ArrayList<>()).add(key.value());
        }
        Map<IdentifierKey, OwnerRow> found = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> kind : valuesByKind.entrySet()) {
            for (List<String> group : groups(kind.getValue())) {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + ENTRY_COLUMNS
                        + " FROM identifier_owner WHERE kind = ? AND value IN (" + placeholders(group.size()) + ")")) {
                    ps.setString(1, kind.getKey());
                    for (int i = 0; i < group.size(); i++) ps.setString(i + 2, group.get(i));
                    entries(ps).forEach(row -> found.put(row.key(), row));
                }
            }
        }
        return found;
    }

    private static <T> List<List<T>> groups(List<T> all) {
        List<List<T>> groups = new ArrayList<>();
        for (int from = 0; from < all.size(); from += IN_LIST) {
            groups.add(all.subList(from, Math.min(all.size(), from + IN_LIST)));
        }
        return groups;
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    /** Deletes a settled entry only as it was read: same member, state and token (a compare-and-set). */
    static int deleteAsRead(Connection c, OwnerRow entry) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM identifier_owner "
                + "WHERE kind = ? AND value = ? AND member_id = ? AND state = ? AND token = ?")) {
            ps.setString(1, entry.key().code());
            ps.setString(2, entry.key().value());
            ps.setLong(3, entry.memberId());
            ps.setString(4, entry.state());
            ps.setString(5, entry.token());
            return ps.executeUpdate();
        }
    }

    private List<MemberRow> members(PreparedStatement ps) throws SQLException {
        List<MemberRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new MemberRow(
                        rs.getLong(1),
                        rs.getInt(2),
                        rs.getString(3),
                        rs.getInt(4),
                        identifiers(rs.getString(5), rs.getString(6), rs.getString(7)),
                        rs.getLong(8),
                        rs.getString(9),
                        rs.getLong(10)));
            }
        }
        return rows;
    }

    private static List<OwnerRow> entries(PreparedStatement ps) throws SQLException {
        List<OwnerRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                IdentifierKey key = new IdentifierKey(IdentifierKey.Kind.ofCode(rs.getString(1)), rs.getString(2));
                rows.add(new OwnerRow(
                        key, rs.getInt(3), rs.getLong(4), rs.getString(5), rs.getString(6), rs.getLong(7)));
            }
        }
        return rows;
    }

    /** The identifiers a row holds, normalized as the owner table stores them. */
    private List<IdentifierKey> identifiers(String mobile, String email, String identities) {
        List<IdentifierKey> keys = new ArrayList<>();
        if (mobile != null) keys.add(IdentifierKey.mobile(mobile));
        if (email != null) keys.add(IdentifierKey.email(email));
        try {
            for (JsonNode identity : json.readTree(identities == null ? "[]" : identities)) {
                keys.add(IdentifierKey.identity(
                        identity.path("platform").asString(),
                        identity.path("externalId").asString()));
            }
        } catch (JacksonException unreadable) {
            // A row whose identities cannot be read holds none the audit can check; its mobile and e-mail are.
        }
        return keys;
    }
}
