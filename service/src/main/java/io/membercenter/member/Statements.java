package io.membercenter.member;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** One way to run a data-changing statement on the member tables. */
final class Statements {

    private Statements() {}

    /**
     * Binds the parameters in order and returns the affected row count. An enum is bound as its
     * name, which is how {@link Lifecycle} and {@link ClaimState} are stored.
     */
    static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i] instanceof Enum<?> e ? e.name() : parameters[i]);
            }
            return ps.executeUpdate();
        }
    }
}
