package io.membercenter.migration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The legacy store on PostgreSQL: the old system's schema ({@link #SCHEMA}), read in key ranges, written with
 * COPY for a population and row by row for the old system's callers, and its changes read by logical decoding.
 *
 * <h2>Why logical decoding through SQL, with {@code test_decoding}</h2>
 * The change stream is a logical replication slot, created before the full sync reads its first row, so every
 * change committed after the full sync began is kept by PostgreSQL until acknowledged ({@link #beginCapture}). It
 * is read with {@code pg_logical_slot_peek_changes}, which does not consume, and consumed with
 * {@code pg_replication_slot_advance} only after the changes are applied: a crash in between reads them again, and
 * applying is idempotent (see {@link IncrementalSync}). {@code test_decoding} is built into PostgreSQL, its text
 * names each row's table and key, and the key is all the migration takes from it: it re-reads the row. Debezium's
 * embedded engine over {@code pgoutput} would give the same positions and more (typed rows, a SQL Server
 * connector); it is the next implementation of {@link LegacySource#changes}, not a change to the migration.
 *
 * <p>The side table has {@code REPLICA IDENTITY FULL}, so a deleted binding's change still names its member.
 */
final class PostgresLegacySource implements LegacySource {

    static final String SLOT = "member_center_migration";

    /** The old system's schema: one wide table, its own names and types, bindings in a side table. */
    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS t_user_info (
                user_no        BIGINT PRIMARY KEY,
                mobile_no      VARCHAR(32),
                email_addr     VARCHAR(128),
                nick_nm        VARCHAR(100),
                vip_grade      SMALLINT,
                state_cd       CHAR(1),
                reg_time       TIMESTAMP WITHOUT TIME ZONE,
                last_mod_time  TIMESTAMP WITHOUT TIME ZONE,
                src_channel    VARCHAR(16),
                remark         TEXT,
                ext_1          VARCHAR(64),
                ext_2          VARCHAR(64)
            );
            CREATE TABLE IF NOT EXISTS t_user_bind (
                bind_id    BIGSERIAL PRIMARY KEY,
                user_no    BIGINT NOT NULL,
                plat_cd    VARCHAR(16) NOT NULL,
                open_id    VARCHAR(128) NOT NULL,
                bind_time  TIMESTAMP WITHOUT TIME ZONE
            );
            CREATE INDEX IF NOT EXISTS t_user_bind_user ON t_user_bind (user_no);
            ALTER TABLE t_user_bind REPLICA IDENTITY FULL;
            CREATE SEQUENCE IF NOT EXISTS t_user_info_seq;
            """;

    private static final Pattern KEY = Pattern.compile("user_no\\[bigint\\]:(\\d+)");
    private static final Pattern TABLE =
            Pattern.compile("^table public\\.(t_user_info|t_user_bind): (INSERT|UPDATE|DELETE):");
    private static final Pattern COMMIT_TIME = Pattern.compile("^COMMIT(?: \\d+)? \\(at (.+)\\)$");

    private final HikariDataSource pool;

    PostgresLegacySource(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("legacy-pg");
        config.setMaximumPoolSize(6);
        config.setMinimumIdle(0);
        // A stopped legacy store is known within a second: the operator's status and the dual write, which logs
        // what it cannot write, must not wait out a long timeout each time.
        config.setConnectionTimeout(1_000);
        // The pool opens its first connection when used, so a service whose legacy store is down still starts.
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
    }

    @Override
    public String kind() {
        return "postgresql";
    }

    @Override
    public void ensureSchema() {
        run(c -> {
            try (Statement s = c.createStatement()) {
                s.execute(SCHEMA);
            }
            return null;
        });
    }

    @Override
    public void wipe() {
        endCapture();
        run(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("TRUNCATE t_user_info, t_user_bind");
                s.execute("ALTER SEQUENCE t_user_info_seq RESTART");
            }
            return null;
        });
    }

    @Override
    public KeyRange keyRange() {
        return run(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COALESCE(MIN(user_no), 0), COALESCE(MAX(user_no), 0),"
                            + " COUNT(*) FROM t_user_info WHERE user_no < " + LegacyMapping.LEGACY_KEYS_BELOW)) {
                rs.next();
                return new KeyRange(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        });
    }

    @Override
    public List<LegacyMember> readAfter(long after, long upTo, int limit) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT user_no, mobile_no, email_addr, nick_nm, vip_grade,"
                            + " state_cd, reg_time FROM t_user_info WHERE user_no > ? AND user_no <= ? ORDER BY user_no LIMIT ?")) {
                ps.setLong(1, after);
                ps.setLong(2, upTo);
                ps.setInt(3, limit);
                return withBindings(c, rows(ps));
            }
        });
    }

    @Override
    public List<LegacyMember> read(Set<Long> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT user_no, mobile_no, email_addr, nick_nm, vip_grade,"
                    + " state_cd, reg_time FROM t_user_info WHERE user_no = ANY (?) ORDER BY user_no")) {
                ps.setArray(1, c.createArrayOf("bigint", keys.toArray()));
                return withBindings(c, rows(ps));
            }
        });
    }

    @Override
    public String beginCapture() {
        return run(c -> {
            Optional<String> existing = slotPosition(c);
            if (existing.isPresent()) {
                return existing.get();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT lsn::text FROM pg_create_logical_replication_slot(?, 'test_decoding')"); ) {
                ps.setString(1, SLOT);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    @Override
    public List<Committed> changes(int max) {
        return run(c -> {
            List<Committed> committed = new ArrayList<>();
            Set<Long> keys = new HashSet<>();
            Set<Long> deleted = new HashSet<>();
            int changes = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT lsn::text, data FROM pg_logical_slot_peek_changes("
                    + "?, NULL, ?, 'include-timestamp', 'on', 'include-xids', 'off')")) {
                ps.setString(1, SLOT);
                ps.setInt(2, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String data = rs.getString(2);
                        Matcher table = TABLE.matcher(data);
                        if (table.find()) {
                            Matcher key = KEY.matcher(data);
                            if (key.find()) {
                                long k = Long.parseLong(key.group(1));
                                if (table.group(1).equals("t_user_info")
                                        && table.group(2).equals("DELETE")) {
                                    deleted.add(k);
                                } else {
                                    keys.add(k);
                                }
                            }
                            changes++;
                            continue;
                        }
                        Matcher commit = COMMIT_TIME.matcher(data);
                        if (commit.matches()) {
                            // the lsn of a COMMIT row is the end of its commit record: confirming it consumes the
                            // transaction, and nothing after it
                            keys.removeAll(deleted);
                            committed.add(new Committed(
                                    Set.copyOf(keys),
                                    Set.copyOf(deleted),
                                    rs.getString(1),
                                    changes,
                                    commitMillis(c, commit.group(1))));
                            keys.clear();
                            deleted.clear();
                            changes = 0;
                        }
                    }
                }
            }
            return committed;
        });
    }

    @Override
    public void acknowledge(String position) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_replication_slot_advance(?, ?::pg_lsn)")) {
                ps.setString(1, SLOT);
                ps.setString(2, position);
                ps.execute();
            }
            return null;
        });
    }

    @Override
    public long captureLag() {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(),"
                    + " confirmed_flush_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
                ps.setString(1, SLOT);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public void endCapture() {
        run(c -> {
            if (slotPosition(c).isPresent()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                    ps.setString(1, SLOT);
                    ps.execute();
                }
            }
            return null;
        });
    }

    @Override
    public boolean capturing() {
        return run(c -> slotPosition(c).isPresent());
    }

    /**
     * COPY, the fastest way into PostgreSQL: one stream per batch for the members and one for their bindings, in one
     * transaction, so a batch is there whole or not at all.
     */
    @Override
    public void insertAll(List<LegacyMember> members, LongConsumer progress) {
        int batch = 10_000;
        long done = 0;
        for (int from = 0; from < members.size(); from += batch) {
            List<LegacyMember> part = members.subList(from, Math.min(members.size(), from + batch));
            run(c -> {
                c.setAutoCommit(false);
                try {
                    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                    StringBuilder users = new StringBuilder(part.size() * 120);
                    StringBuilder binds = new StringBuilder();
                    for (LegacyMember m : part) {
                        csv(
                                users,
                                m.key(),
                                m.mobile(),
                                m.email(),
                                m.nickname(),
                                m.grade(),
                                m.state(),
                                m.registeredAt(),
                                m.registeredAt(),
                                "APP",
                                null);
                        for (LegacyMember.Binding b : m.bindings()) {
                            csv(binds, m.key(), b.platform(), b.openId(), m.registeredAt());
                        }
                    }
                    copy.copyIn(
                            "COPY t_user_info (user_no, mobile_no, email_addr, nick_nm, vip_grade, state_cd,"
                                    + " reg_time, last_mod_time, src_channel, remark) FROM STDIN WITH (FORMAT csv)",
                            new StringReader(users.toString()));
                    copy.copyIn(
                            "COPY t_user_bind (user_no, plat_cd, open_id, bind_time) FROM STDIN WITH (FORMAT csv)",
                            new StringReader(binds.toString()));
                    c.commit();
                } catch (IOException e) {
                    c.rollback();
                    throw new UncheckedIOException(e);
                } finally {
                    c.setAutoCommit(true);
                }
                return null;
            });
            done += part.size();
            progress.accept(done);
        }
        advanceKeysPast(members.stream().mapToLong(LegacyMember::key).max().orElse(0));
    }

    @Override
    public long insert(LegacyMember member) {
        return run(c -> {
            c.setAutoCommit(false);
            try {
                long key;
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT nextval('t_user_info_seq')")) {
                    rs.next();
                    key = rs.getLong(1);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO t_user_info (user_no, mobile_no,"
                        + " email_addr, nick_nm, vip_grade, state_cd, reg_time, last_mod_time, src_channel)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'APP')")) {
                    ps.setLong(1, key);
                    bindFields(ps, 2, member);
                    ps.setTimestamp(7, Timestamp.valueOf(member.registeredAt()));
                    ps.setTimestamp(8, Timestamp.valueOf(member.registeredAt()));
                    ps.executeUpdate();
                }
                insertBindings(c, key, member.bindings());
                c.commit();
                return key;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    @Override
    public void update(LegacyMember member) {
        run(c -> {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE t_user_info SET mobile_no = ?, email_addr = ?,"
                                + " nick_nm = ?, vip_grade = ?, state_cd = ?, last_mod_time = LOCALTIMESTAMP WHERE user_no = ?")) {
                    bindFields(ps, 1, member);
                    ps.setLong(6, member.key());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM t_user_bind WHERE user_no = ?")) {
                    ps.setLong(1, member.key());
                    ps.executeUpdate();
                }
                insertBindings(c, member.key(), member.bindings());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return null;
        });
    }

    @Override
    public void advanceKeysPast(long key) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT setval('t_user_info_seq', GREATEST(?, (SELECT last_value FROM t_user_info_seq)))")) {
                ps.setLong(1, Math.max(1, key));
                ps.execute();
            }
            return null;
        });
    }

    /**
     * Inserted when absent, else locked and compared: {@code ext_1} holds the member-center version the row was last
     * written at, and {@code ext_2} the mark {@code mc:<last_mod_time>}, set in the same statement as
     * {@code last_mod_time}. A legacy caller's change moves {@code last_mod_time} (the old system stamps every
     * change), so the mark then no longer matches and the row is the legacy system's again ({@link #writtenBack}).
     */
    @Override
    public boolean writeBack(LegacyMember member, long version, Predicate<LegacyMember> unchanged) {
        return run(c -> {
            c.setAutoCommit(false);
            try {
                // a legacy key without its row was deleted by the old system: that is the quarantine's to list, and
                // writing it back would bring back what the old system deleted
                boolean insertable = member.key() >= LegacyMapping.LEGACY_KEYS_BELOW;
                boolean wrote = (insertable && insertWrittenBack(c, member, version))
                        || updateWrittenBack(c, member, version, unchanged);
                c.commit();
                return wrote;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    private static boolean insertWrittenBack(Connection c, LegacyMember member, long version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t_user_info (user_no, mobile_no, email_addr,"
                + " nick_nm, vip_grade, state_cd, reg_time, last_mod_time, src_channel, ext_1, ext_2) VALUES"
                + " (?, ?, ?, ?, ?, ?, ?, LOCALTIMESTAMP, 'MC', ?, 'mc:' || LOCALTIMESTAMP::text)"
                + " ON CONFLICT (user_no) DO NOTHING")) {
            ps.setLong(1, member.key());
            bindFields(ps, 2, member);
            ps.setTimestamp(7, Timestamp.valueOf(member.registeredAt()));
            ps.setString(8, Long.toString(version));
            if (ps.executeUpdate() == 0) return false;
        }
        insertBindings(c, member.key(), member.bindings());
        return true;
    }

    private static boolean updateWrittenBack(
            Connection c, LegacyMember member, long version, Predicate<LegacyMember> unchanged) throws SQLException {
        long written;
        LegacyMember current;
        try (PreparedStatement ps = c.prepareStatement("SELECT user_no, mobile_no, email_addr, nick_nm, vip_grade,"
                + " state_cd, reg_time, ext_1 FROM t_user_info WHERE user_no = ? FOR UPDATE")) {
            ps.setLong(1, member.key());
            List<LegacyMember> rows = rows(ps);
            if (rows.isEmpty()) return false;
            current = withBindings(c, rows).getFirst();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT ext_1 FROM t_user_info WHERE user_no = ?")) {
            ps.setLong(1, member.key());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                written = writtenVersion(rs.getString(1));
            }
        }
        if (written >= version || unchanged.test(current)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE t_user_info SET mobile_no = ?, email_addr = ?,"
                + " nick_nm = ?, vip_grade = ?, state_cd = ?, reg_time = ?, last_mod_time = LOCALTIMESTAMP,"
                + " ext_1 = ?, ext_2 = 'mc:' || LOCALTIMESTAMP::text WHERE user_no = ?")) {
            bindFields(ps, 1, member);
            ps.setTimestamp(6, Timestamp.valueOf(member.registeredAt()));
            ps.setString(7, Long.toString(version));
            ps.setLong(8, member.key());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM t_user_bind WHERE user_no = ?")) {
            ps.setLong(1, member.key());
            ps.executeUpdate();
        }
        insertBindings(c, member.key(), member.bindings());
        return true;
    }

    /** The version in {@code ext_1}, 0 when the row was never written back (the old system uses no ext_1 here). */
    private static long writtenVersion(String ext1) {
        if (ext1 == null || !ext1.matches("\\d{1,18}")) return 0;
        return Long.parseLong(ext1);
    }

    @Override
    public Set<Long> writtenBack(Set<Long> keys) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT user_no FROM t_user_info WHERE user_no = ANY (?)"
                    + " AND ext_2 = 'mc:' || last_mod_time::text")) {
                ps.setArray(1, c.createArrayOf("bigint", keys.toArray()));
                Set<Long> found = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) found.add(rs.getLong(1));
                }
                return found;
            }
        });
    }

    @Override
    public void close() {
        pool.close();
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T run(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            // The server's message may quote a value; the state and the kind of failure are enough to act on.
            throw new LegacySource.UnavailableException(
                    "The legacy store failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private static Optional<String> slotPosition(Connection c) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, SLOT);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static long commitMillis(Connection c, String text) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT (EXTRACT(EPOCH FROM ?::timestamptz) * 1000)::bigint")) {
            ps.setString(1, text);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void bindFields(PreparedStatement ps, int first, LegacyMember m) throws SQLException {
        ps.setString(first, m.mobile());
        ps.setString(first + 1, m.email());
        ps.setString(first + 2, m.nickname());
        if (m.grade() == null) {
            ps.setNull(first + 3, Types.SMALLINT);
        } else {
            ps.setShort(first + 3, m.grade().shortValue());
        }
        ps.setString(first + 4, m.state());
    }

    private static void insertBindings(Connection c, long key, List<LegacyMember.Binding> bindings)
            throws SQLException {
        if (bindings.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t_user_bind (user_no, plat_cd, open_id, bind_time)"
                + " VALUES " + String.join(", ", Collections.nCopies(bindings.size(), "(?, ?, ?, LOCALTIMESTAMP)")))) {
            int p = 1;
            for (LegacyMember.Binding b : bindings) {
                ps.setLong(p++, key);
                ps.setString(p++, b.platform());
                ps.setString(p++, b.openId());
            }
            ps.executeUpdate();
        }
    }

    private static List<LegacyMember> rows(PreparedStatement ps) throws SQLException {
        List<LegacyMember> found = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int gradeValue = rs.getShort("vip_grade");
                Integer grade = rs.wasNull() ? null : gradeValue;
                Timestamp registered = rs.getTimestamp("reg_time");
                found.add(new LegacyMember(
                        rs.getLong("user_no"),
                        rs.getString("mobile_no"),
                        rs.getString("email_addr"),
                        rs.getString("nick_nm"),
                        grade,
                        rs.getString("state_cd"),
                        registered == null ? null : registered.toLocalDateTime(),
                        List.of()));
            }
        }
        return found;
    }

    private static List<LegacyMember> withBindings(Connection c, List<LegacyMember> members) throws SQLException {
        if (members.isEmpty()) {
            return members;
        }
        Map<Long, List<LegacyMember.Binding>> byKey = new LinkedHashMap<>();
        members.forEach(m -> byKey.put(m.key(), new ArrayList<>()));
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT user_no, plat_cd, open_id FROM t_user_bind WHERE user_no = ANY (?) ORDER BY bind_id")) {
            ps.setArray(1, c.createArrayOf("bigint", byKey.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byKey.get(rs.getLong(1)).add(new LegacyMember.Binding(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return members.stream().map(m -> m.withBindings(byKey.get(m.key()))).toList();
    }

    private static void csv(StringBuilder out, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) out.append(',');
            Object v = values[i];
            if (v == null) continue; // an unquoted empty field is NULL in COPY's csv format
            String text = v instanceof java.time.LocalDateTime t
                    ? Timestamp.valueOf(t).toString()
                    : v.toString();
            out.append('"').append(text.replace("\"", "\"\"")).append('"');
        }
        out.append('\n');
    }
}
