package io.membercenter.support;

import io.membercenter.topology.LocalTopology;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Direct SQL on the real servers, to check what the API cannot show (owner entries, replicas). */
public final class Sql {

    public static final List<String> DATABASES = List.of("member_0", "member_1");

    private Sql() {}

    /** Rows of a query run on every physical database of one server ("mysql-a" or "mysql-b"). */
    public static List<Map<String, Object>> everywhere(String server, String sql, Object... parameters) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String database : DATABASES) {
            rows.addAll(query(server, database, sql, parameters));
        }
        return rows;
    }

    public static List<Map<String, Object>> query(String server, String database, String sql, Object... parameters) {
        LocalTopology topology = LocalTopologyExtension.topology();
        try (Connection c = DriverManager.getConnection(
                        topology.jdbcUrl(server, database), topology.appUser(), topology.appPassword());
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) ps.setObject(i + 1, parameters[i]);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int col = 1; col <= rs.getMetaData().getColumnCount(); col++) {
                        row.put(rs.getMetaData().getColumnLabel(col), rs.getObject(col));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A data-changing statement on one database of one server; returns the affected row count. */
    public static int update(String server, String database, String sql, Object... parameters) {
        LocalTopology topology = LocalTopologyExtension.topology();
        try (Connection c = DriverManager.getConnection(
                        topology.jdbcUrl(server, database), topology.appUser(), topology.appPassword());
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) ps.setObject(i + 1, parameters[i]);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The owner entries of a mobile on the master (0 or 1 rows, by the primary key). */
    public static List<Map<String, Object>> ownersOfMobile(String mobile) {
        return everywhere(
                "mysql-a", "SELECT member_id, state FROM identifier_owner WHERE kind = 'M' AND value = ?", mobile);
    }

    /** Member rows holding a mobile on the master, whatever their lifecycle. */
    public static List<Map<String, Object>> memberRowsWithMobile(String mobile) {
        return everywhere("mysql-a", "SELECT member_id, lifecycle, version FROM member WHERE mobile = ?", mobile);
    }
}
