package io.membercenter.bench.naive;

import io.membercenter.bench.population.SeedMember;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** naive_member through JdbcTemplate: one autocommitted statement per call, as a first version would do it. */
final class NaiveMemberTable {

    static final String TABLE = "naive_member";
    /** Rows per INSERT of {@link #insertIgnore}: 10 parameters each, well under the 65,535 a statement may have. */
    static final int LOAD_ROWS_PER_STATEMENT = 1_000;

    private static final String COLUMNS =
            "member_id, mobile, email, nickname, level, status, identities, version, created_at, updated_at";
    private static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
            + "member_id BIGINT NOT NULL, "
            + "mobile VARCHAR(16) NULL, "
            + "email VARCHAR(254) NULL, "
            + "nickname VARCHAR(64) NULL, "
            + "level VARCHAR(16) NOT NULL, "
            + "status VARCHAR(16) NOT NULL, "
            + "identities TEXT NOT NULL, "
            + "version BIGINT NOT NULL, "
            + "created_at BIGINT NOT NULL, "
            + "updated_at BIGINT NOT NULL, "
            + "PRIMARY KEY (member_id), "
            + "UNIQUE KEY naive_member_mobile (mobile), "
            + "UNIQUE KEY naive_member_email (email)"
            + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    private static final String INSERT =
            "INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM " + TABLE;
    private static final TypeReference<List<NaiveMember.Identity>> IDENTITIES = new TypeReference<>() {};
    private static final int LOAD_ATTEMPTS = 3;

    private final JdbcTemplate jdbc;
    private final JsonMapper json = JsonMapper.builder().build();
    private final RowMapper<NaiveMember> rows = this::member;

    NaiveMemberTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void createIfMissing() {
        jdbc.execute(CREATE_TABLE);
    }

    /** Throws DuplicateKeyException when the mobile or e-mail (or, by bad luck, the id) is taken. */
    void insert(NaiveMember m) {
        jdbc.update(
                INSERT,
                m.memberId(),
                m.mobile(),
                m.email(),
                m.nickname(),
                m.level(),
                m.status(),
                json.writeValueAsString(m.identities()),
                m.version(),
                m.createdAtMillis(),
                m.updatedAtMillis());
    }

    Optional<NaiveMember> byId(long memberId) {
        return jdbc.query(SELECT + " WHERE member_id = ?", rows, memberId).stream()
                .findFirst();
    }

    Optional<NaiveMember> byMobile(String mobile) {
        return jdbc.query(SELECT + " WHERE mobile = ?", rows, mobile).stream().findFirst();
    }

    List<NaiveMember> byIds(Collection<Long> memberIds) {
        String placeholders = String.join(", ", Collections.nCopies(memberIds.size(), "?"));
        return jdbc.query(SELECT + " WHERE member_id IN (" + placeholders + ")", rows, memberIds.toArray());
    }

    /**
     * One UPDATE of the given columns that also bumps the version; false if there is no such member.
     *
     * @param assignments column names, each set from the value at the same position
     */
    boolean update(long memberId, List<String> assignments, List<Object> values, long now) {
        StringBuilder sql = new StringBuilder("UPDATE ").append(TABLE).append(" SET ");
        for (String column : assignments) {
            sql.append(column).append(" = ?, ");
        }
        sql.append("version = version + 1, updated_at = ? WHERE member_id = ?");
        List<Object> args = new ArrayList<>(values);
        args.add(now);
        args.add(memberId);
        return jdbc.update(sql.toString(), args.toArray()) == 1;
    }

    /**
     * Multi-row INSERT IGNOREs of {@link #LOAD_ROWS_PER_STATEMENT} rows at most: members already there are left as
     * they are, so a load can be repeated. A deadlock between concurrent loads is retried.
     */
    void insertIgnore(List<SeedMember> members) {
        for (int from = 0; from < members.size(); from += LOAD_ROWS_PER_STATEMENT) {
            List<SeedMember> chunk = members.subList(from, Math.min(members.size(), from + LOAD_ROWS_PER_STATEMENT));
            for (int attempt = 1; ; attempt++) {
                try {
                    insertIgnoreChunk(chunk);
                    break;
                } catch (PessimisticLockingFailureException e) {
                    if (attempt == LOAD_ATTEMPTS) throw e;
                }
            }
        }
    }

    private void insertIgnoreChunk(List<SeedMember> chunk) {
        StringBuilder sql = new StringBuilder(64 + chunk.size() * 32)
                .append("INSERT IGNORE INTO ")
                .append(TABLE)
                .append(" (")
                .append(COLUMNS)
                .append(") VALUES ");
        for (int i = 0; i < chunk.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
        }
        jdbc.update(sql.toString(), (PreparedStatement ps) -> {
            int p = 1;
            for (SeedMember m : chunk) {
                ps.setLong(p++, m.memberId());
                ps.setString(p++, m.mobile());
                ps.setString(p++, m.email());
                ps.setString(p++, m.nickname());
                ps.setString(p++, m.level());
                ps.setString(p++, m.status());
                ps.setString(
                        p++,
                        json.writeValueAsString(m.identity()
                                .map(i -> List.of(new NaiveMember.Identity(i.platform(), i.externalId())))
                                .orElse(List.of())));
                ps.setLong(p++, m.createdAtMillis());
                ps.setLong(p++, m.createdAtMillis());
            }
        });
    }

    private NaiveMember member(ResultSet rs, int row) throws SQLException {
        return new NaiveMember(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                json.readValue(rs.getString(7), IDENTITIES),
                rs.getLong(8),
                rs.getLong(9),
                rs.getLong(10));
    }
}
