package io.membercenter.bench.migration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * The baseline: the legacy rows copied between the same two databases with nothing of member-center's in between.
 * {@code streams} parallel streams, each a key range: PostgreSQL's {@code COPY (SELECT ...) TO STDOUT} (text
 * format) of {@code t_user_info} and then of {@code t_user_bind}, read row by row and written as multi-row INSERTs of
 * {@link #ROWS_PER_INSERT} rows (one autocommit each) into plain tables of the same columns in the shards' physical
 * databases, the streams taking turns over them. No mapping, no claim, no outbox: what the two servers and the wire
 * can do, against which the full sync's rate is read.
 */
final class RawCopy {

    static final int ROWS_PER_INSERT = 1_000;
    static final String MEMBER_TABLE = "bench_raw_copy_user_info";
    static final String BINDING_TABLE = "bench_raw_copy_user_bind";

    private static final List<String> MEMBER_COLUMNS = List.of(
            "user_no",
            "mobile_no",
            "email_addr",
            "nick_nm",
            "vip_grade",
            "state_cd",
            "reg_time",
            "last_mod_time",
            "src_channel",
            "remark",
            "ext_1",
            "ext_2");
    private static final List<String> BINDING_COLUMNS =
            List.of("bind_id", "user_no", "plat_cd", "open_id", "bind_time");

    /** One physical database the copy writes to: a JDBC URL and its credentials. */
    record Target(String jdbcUrl, String user, String password) {}

    /** What was copied: members and bindings, and how long it took. */
    record Result(long members, long bindings, int streams, long nanos) {
        double membersPerSecond() {
            return members / (nanos / 1e9);
        }
    }

    private final String legacyJdbcUrl;
    private final List<Target> targets;

    RawCopy(String legacyJdbcUrl, List<Target> targets) {
        this.legacyJdbcUrl = legacyJdbcUrl;
        this.targets = List.copyOf(targets);
    }

    /** (Re)creates the plain tables, empty, in every target database. */
    void prepare() throws SQLException {
        for (Target target : targets) {
            try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
                    Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + MEMBER_TABLE);
                s.execute("DROP TABLE IF EXISTS " + BINDING_TABLE);
                s.execute("CREATE TABLE " + MEMBER_TABLE + " (user_no BIGINT PRIMARY KEY, mobile_no VARCHAR(32),"
                        + " email_addr VARCHAR(128), nick_nm VARCHAR(100), vip_grade SMALLINT, state_cd CHAR(1),"
                        + " reg_time DATETIME, last_mod_time DATETIME, src_channel VARCHAR(16), remark TEXT,"
                        + " ext_1 VARCHAR(64), ext_2 VARCHAR(64)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
                s.execute("CREATE TABLE " + BINDING_TABLE + " (bind_id BIGINT PRIMARY KEY, user_no BIGINT NOT NULL,"
                        + " plat_cd VARCHAR(16) NOT NULL, open_id VARCHAR(128) NOT NULL, bind_time DATETIME,"
                        + " KEY (user_no)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
            }
        }
    }

    /** Drops the plain tables again: the shards keep only member-center's own. */
    void dropTables() throws SQLException {
        for (Target target : targets) {
            try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
                    Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + MEMBER_TABLE);
                s.execute("DROP TABLE IF EXISTS " + BINDING_TABLE);
            }
        }
    }

    /** Copies every key in (after, upTo] in {@code streams} key ranges at once; progress counts members. */
    Result copy(long after, long upTo, int streams, LongConsumer progress) throws Exception {
        List<long[]> ranges = ranges(after, upTo, streams);
        AtomicLong members = new AtomicLong();
        AtomicLong bindings = new AtomicLong();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(ranges.size())) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < ranges.size(); i++) {
                long[] range = ranges.get(i);
                Target target = targets.get(i % targets.size());
                running.add(pool.submit(() -> {
                    copyRange(target, range[0], range[1], members, bindings, progress);
                    return null;
                }));
            }
            for (Future<?> stream : running) stream.get();
        }
        return new Result(members.get(), bindings.get(), ranges.size(), System.nanoTime() - started);
    }

    private void copyRange(
            Target target, long after, long upTo, AtomicLong members, AtomicLong bindings, LongConsumer progress)
            throws SQLException {
        try (Connection legacy = DriverManager.getConnection(legacyJdbcUrl);
                Connection shard = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password())) {
            String where = " WHERE user_no > " + after + " AND user_no <= " + upTo;
            copyTable(
                    legacy,
                    shard,
                    "SELECT " + String.join(", ", MEMBER_COLUMNS) + " FROM t_user_info" + where,
                    MEMBER_TABLE,
                    MEMBER_COLUMNS,
                    n -> progress.accept(members.addAndGet(n)));
            copyTable(
                    legacy,
                    shard,
                    "SELECT " + String.join(", ", BINDING_COLUMNS) + " FROM t_user_bind" + where,
                    BINDING_TABLE,
                    BINDING_COLUMNS,
                    bindings::addAndGet);
        }
    }

    private static void copyTable(
            Connection legacy, Connection shard, String select, String table, List<String> columns, LongConsumer rows)
            throws SQLException {
        CopyOut out = legacy.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + select + ") TO STDOUT");
        List<List<String>> batch = new ArrayList<>(ROWS_PER_INSERT);
        try {
            for (byte[] line = out.readFromCopy(); line != null; line = out.readFromCopy()) {
                batch.add(textRow(new String(line, java.nio.charset.StandardCharsets.UTF_8)));
                if (batch.size() == ROWS_PER_INSERT) {
                    insert(shard, table, columns, batch);
                    rows.accept(batch.size());
                    batch.clear();
                }
            }
        } finally {
            if (out.isActive()) out.cancelCopy();
        }
        if (!batch.isEmpty()) {
            insert(shard, table, columns, batch);
            rows.accept(batch.size());
        }
    }

    private static void insert(Connection shard, String table, List<String> columns, List<List<String>> rows)
            throws SQLException {
        String row = "(" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES "
                + String.join(", ", Collections.nCopies(rows.size(), row));
        try (PreparedStatement ps = shard.prepareStatement(sql)) {
            int p = 1;
            for (List<String> values : rows) {
                for (String value : values) ps.setString(p++, value);
            }
            ps.executeUpdate();
        }
    }

    /** {@code streams} contiguous key ranges (from, to] covering (after, upTo]; fewer when there are fewer keys. */
    static List<long[]> ranges(long after, long upTo, int streams) {
        long keys = Math.max(0, upTo - after);
        int count = (int) Math.max(1, Math.min(streams, keys));
        List<long[]> ranges = new ArrayList<>(count);
        long from = after;
        for (int i = 0; i < count; i++) {
            long to = i == count - 1 ? upTo : after + keys * (i + 1) / count;
            ranges.add(new long[] {from, to});
            from = to;
        }
        return ranges;
    }

    /** One line of COPY's text format: tab-separated, {@code \N} for NULL, backslash escapes undone. */
    static List<String> textRow(String line) {
        String text = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        List<String> fields = new ArrayList<>();
        for (String raw : text.split("\t", -1)) {
            fields.add(raw.equals("\\N") ? null : unescape(raw));
        }
        return fields;
    }

    private static String unescape(String raw) {
        if (raw.indexOf('\\') < 0) return raw;
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch != '\\' || i + 1 == raw.length()) {
                out.append(ch);
                continue;
            }
            char next = raw.charAt(++i);
            out.append(
                    switch (next) {
                        case 't' -> '\t';
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        case 'v' -> '\u000b';
                        default -> next;
                    });
        }
        return out.toString();
    }
}
