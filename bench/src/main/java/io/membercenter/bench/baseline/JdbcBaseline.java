package io.membercenter.bench.baseline;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.membercenter.bench.api.MemberApi;
import io.membercenter.topology.LocalTopology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor under the service: single statements through HikariCP and MariaDB Connector/J, pooled and
 * configured as the service's own pools are (ShardedDatabases), against the same master {@code mysql-a}.
 * Whatever the service adds on top (HTTP, JSON, auth, the create protocol's extra statements) is the gap.
 */
public final class JdbcBaseline implements AutoCloseable {

    public static final List<String> MEMBER_DATABASES = List.of("member_0", "member_1");
    private static final String MASTER = "mysql-a";
    private static final String MEMBER_COLUMNS =
            "member_id, lifecycle, fence, mobile, email, nickname, level, status, identities, version, created_at, updated_at";
    private static final String INSERT = "INSERT INTO bench_member (member_id, shard, lifecycle, fence, mobile, email, "
            + "nickname, level, status, identities, version, created_at, updated_at) "
            + "VALUES (?, ?, 'LIVE', 0, ?, NULL, 'bench', 'NORMAL', 'ACTIVE', '[]', 1, ?, ?)";
    private static final String UPDATE =
            "UPDATE bench_member SET nickname = ?, version = version + 1, updated_at = ? WHERE member_id = ?";
    private static final String SELECT_BY_ID = "SELECT " + MEMBER_COLUMNS + " FROM member WHERE member_id = ?";

    /** One pool per member database, as the service has. */
    private final Map<String, HikariDataSource> pools = new HashMap<>();
    /** Above every id a loaded or copied member can have (those of node 511 in 2026's first seconds). */
    private final AtomicLong nextBenchMemberId = new AtomicLong(1L << 40);

    private final MemberApi.MobileNumbers mobiles = new MemberApi.MobileNumbers();

    public JdbcBaseline(LocalTopology topology, int poolSize) {
        for (String database : MEMBER_DATABASES) {
            pools.put(database, pool(topology, database, poolSize));
        }
    }

    /** bench_member: the columns and keys of member, empty, in member_0; made by the app user like the service's tables. */
    public void createBenchTable() throws SQLException {
        try (Connection c = pools.get("member_0").getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_member");
            s.execute("CREATE TABLE bench_member LIKE member");
        }
    }

    /** One autocommitted single-row INSERT into bench_member, with the values a create writes. */
    public void insert() throws SQLException {
        long memberId = nextBenchMemberId.incrementAndGet();
        long now = System.currentTimeMillis();
        try (Connection c = pools.get("member_0").getConnection();
                PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setLong(1, memberId);
            ps.setInt(2, (int) (memberId % 1024));
            ps.setString(3, mobiles.next());
            ps.setLong(4, now);
            ps.setLong(5, now);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("INSERT of bench member " + memberId + " wrote no row");
            }
        }
    }

    /**
     * Copies up to {@code rows} live members of member_0 into bench_member, the rows {@link #update} changes: the
     * baseline must not bump versions of the service's own members behind its back.
     */
    public List<Long> copyMembersForUpdates(int rows) throws SQLException {
        try (Connection c = pools.get("member_0").getConnection();
                Statement s = c.createStatement()) {
            s.execute("INSERT IGNORE INTO bench_member SELECT * FROM member WHERE lifecycle = 'LIVE' LIMIT " + rows);
        }
        List<Long> ids = new ArrayList<>();
        try (Connection c = pools.get("member_0").getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT member_id FROM bench_member LIMIT " + rows);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) ids.add(rs.getLong(1));
        }
        return ids;
    }

    /** A single-row update transaction, as a PATCH commits it: new nickname, version + 1, updated_at. */
    public void update(long benchMemberId) throws SQLException {
        try (Connection c = pools.get("member_0").getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                ps.setString(1, "n" + System.nanoTime() % 1_000_000);
                ps.setLong(2, System.currentTimeMillis());
                ps.setLong(3, benchMemberId);
                if (ps.executeUpdate() != 1)
                    throw new SQLException("UPDATE of bench member " + benchMemberId + " changed no row");
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** SELECT of one member row by primary key, every column read, as the service reads it. */
    public void select(String database, long memberId) throws SQLException {
        try (Connection c = pools.get(database).getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT_BY_ID)) {
            ps.setLong(1, memberId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("No member " + memberId + " in " + database);
                }
                readRow(rs);
            }
        }
    }

    public String serverVersion() throws SQLException {
        try (Connection c = pools.get("member_0").getConnection()) {
            return c.getMetaData().getDatabaseProductVersion();
        }
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
    }

    private static void readRow(ResultSet rs) throws SQLException {
        rs.getLong(1);
        rs.getString(2);
        rs.getInt(3);
        for (int column = 4; column <= 9; column++) {
            rs.getString(column);
        }
        rs.getLong(10);
        rs.getLong(11);
        rs.getLong(12);
    }

    /** The settings of ShardedDatabases' pools (its factory is private to the service), so both sides match. */
    private static HikariDataSource pool(LocalTopology topology, String database, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench-" + database);
        config.setJdbcUrl(topology.jdbcUrl(MASTER, database));
        config.setUsername(topology.appUser());
        config.setPassword(topology.appPassword());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(4, poolSize));
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        config.addDataSourceProperty("connectTimeout", "2000");
        config.addDataSourceProperty("socketTimeout", "15000");
        return new HikariDataSource(config);
    }
}
