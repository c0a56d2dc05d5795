package io.membercenter.member;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Member} as a row of the {@code member} table and back: the column lists, the statements
 * on one row and the mapping of a result set. The row carries what the member does not: its
 * {@link Lifecycle} and the {@code fence} a commit must match (see {@link MemberWrites}).
 */
final class MemberRows {

    /** A member row with the fence the next commit must match. */
    record Row(Member member, Lifecycle lifecycle, int fence) {
        boolean live() {
            return lifecycle == Lifecycle.LIVE;
        }
    }

    private static final String SELECTED_COLUMNS =
            "member_id, lifecycle, fence, mobile, email, nickname, level, status, identities, version, created_at, updated_at";

    /** The columns an INSERT of a member row names, in the order {@link #bind} binds them. */
    static final String INSERTED_COLUMNS = "member_id, shard, lifecycle, fence, mobile, email, nickname, level, "
            + "status, identities, version, created_at, updated_at";

    /** One row's placeholders for {@link #INSERTED_COLUMNS}, at fence 0. */
    static final String INSERTED_VALUES = "(?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final IdentitiesColumn identities;

    MemberRows(IdentitiesColumn identities) {
        this.identities = identities;
    }

    /** Binds one member row's twelve parameters from {@code first}; returns the index after them. */
    int bind(PreparedStatement ps, int first, Member m, int shard, Lifecycle lifecycle) throws SQLException {
        int p = first;
        ps.setLong(p++, m.memberId());
        ps.setInt(p++, shard);
        ps.setString(p++, lifecycle.name());
        ps.setString(p++, m.mobile());
        ps.setString(p++, m.email());
        ps.setString(p++, m.nickname());
        ps.setString(p++, m.level().name());
        ps.setString(p++, m.status().name());
        ps.setString(p++, identities.write(m.identities()));
        ps.setLong(p++, m.version());
        ps.setLong(p++, m.createdAt().toEpochMilli());
        ps.setLong(p++, m.updatedAt().toEpochMilli());
        return p;
    }

    boolean insertPending(Connection c, Member m, int shard) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO member (" + INSERTED_COLUMNS + ") VALUES " + INSERTED_VALUES)) {
            bind(ps, 1, m, shard, Lifecycle.PENDING);
            return ps.executeUpdate() == 1;
        }
    }

    /** The commit of a create: PENDING -> LIVE, only if nobody fenced the row meanwhile. */
    static boolean commitPending(Connection c, long memberId) throws SQLException {
        return Statements.update(
                        c,
                        "UPDATE member SET lifecycle = ? WHERE member_id = ? AND lifecycle = ? AND fence = 0",
                        Lifecycle.LIVE,
                        memberId,
                        Lifecycle.PENDING)
                == 1;
    }

    /** Fences off a create that has not committed; a committed member is left as it is. */
    static int abortPending(Connection c, long memberId) throws SQLException {
        return Statements.update(
                c,
                "UPDATE member SET lifecycle = ?, fence = fence + 1 WHERE member_id = ? AND lifecycle = ?",
                Lifecycle.ABORTED,
                memberId,
                Lifecycle.PENDING);
    }

    /** Fences the member whatever its state (aborting it if still pending), so no operation in flight can commit. */
    static int fence(Connection c, long memberId) throws SQLException {
        return Statements.update(
                c,
                "UPDATE member SET fence = fence + 1, "
                        + "lifecycle = CASE WHEN lifecycle = ? THEN ? ELSE lifecycle END WHERE member_id = ?",
                Lifecycle.PENDING,
                Lifecycle.ABORTED,
                memberId);
    }

    /** The commit of a change: the new fields and version + 1, only at the version and fence read. */
    boolean commitUpdate(Connection c, Member next, long expectedVersion, int expectedFence) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE member SET mobile = ?, email = ?, nickname = ?, level = ?, "
                        + "status = ?, identities = ?, version = version + 1, updated_at = ? "
                        + "WHERE member_id = ? AND version = ? AND fence = ? AND lifecycle = ?")) {
            ps.setString(1, next.mobile());
            ps.setString(2, next.email());
            ps.setString(3, next.nickname());
            ps.setString(4, next.level().name());
            ps.setString(5, next.status().name());
            ps.setString(6, identities.write(next.identities()));
            ps.setLong(7, next.updatedAt().toEpochMilli());
            ps.setLong(8, next.memberId());
            ps.setLong(9, expectedVersion);
            ps.setInt(10, expectedFence);
            ps.setString(11, Lifecycle.LIVE.name());
            return ps.executeUpdate() == 1;
        }
    }

    Optional<Row> select(Connection c, long memberId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + SELECTED_COLUMNS + " FROM member WHERE member_id = ?")) {
            ps.setLong(1, memberId);
            return rows(ps).stream().findFirst();
        }
    }

    Optional<Row> selectForUpdate(Connection c, long memberId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + SELECTED_COLUMNS + " FROM member WHERE member_id = ? FOR UPDATE")) {
            ps.setLong(1, memberId);
            return rows(ps).stream().findFirst();
        }
    }

    List<Row> select(Connection c, List<Long> memberIds) throws SQLException {
        String placeholders = String.join(",", Collections.nCopies(memberIds.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + SELECTED_COLUMNS + " FROM member WHERE member_id IN (" + placeholders + ")")) {
            for (int i = 0; i < memberIds.size(); i++) ps.setLong(i + 1, memberIds.get(i));
            return rows(ps);
        }
    }

    /** Live members after a member id, in id order: a chunk of a full scan. */
    List<Member> selectLive(Connection c, long afterMemberId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + SELECTED_COLUMNS + " FROM member "
                + "WHERE member_id > ? AND lifecycle = ? ORDER BY member_id LIMIT ?")) {
            ps.setLong(1, afterMemberId);
            ps.setString(2, Lifecycle.LIVE.name());
            ps.setInt(3, limit);
            return rows(ps).stream().map(Row::member).toList();
        }
    }

    /** Live members with {@code from < member_id <= to}, in id order: one physical database's part of an id range. */
    List<Member> selectLiveInRange(Connection c, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + SELECTED_COLUMNS + " FROM member "
                + "WHERE member_id > ? AND member_id <= ? AND lifecycle = ? ORDER BY member_id")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            ps.setString(3, Lifecycle.LIVE.name());
            return rows(ps).stream().map(Row::member).toList();
        }
    }

    static long countLive(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM member WHERE lifecycle = ?")) {
            ps.setString(1, Lifecycle.LIVE.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    /** Ids of rows in a lifecycle last changed before a time, at most 1000: sweep candidates. */
    static List<Long> idsIn(Connection c, Lifecycle lifecycle, long updatedBefore) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT member_id FROM member WHERE lifecycle = ? AND updated_at < ? LIMIT 1000")) {
            ps.setString(1, lifecycle.name());
            ps.setLong(2, updatedBefore);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
            return ids;
        }
    }

    private List<Row> rows(PreparedStatement ps) throws SQLException {
        List<Row> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Member member = new Member(
                        rs.getLong("member_id"),
                        rs.getString("mobile"),
                        rs.getString("email"),
                        rs.getString("nickname"),
                        Member.Level.valueOf(rs.getString("level")),
                        Member.Status.valueOf(rs.getString("status")),
                        identities.read(rs.getString("identities")),
                        rs.getLong("version"),
                        Instant.ofEpochMilli(rs.getLong("created_at")),
                        Instant.ofEpochMilli(rs.getLong("updated_at")));
                result.add(new Row(member, Lifecycle.valueOf(rs.getString("lifecycle")), rs.getInt("fence")));
            }
        }
        return result;
    }
}
