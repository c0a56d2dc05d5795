package io.membercenter.topology;

import static io.membercenter.topology.LocalTopology.LEGACY_DB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The legacy PostgreSQL, alone in a topology of its own. */
class LegacyPostgresTest {

    @RegisterExtension
    static final TopologyExtension legacy =
            TopologyExtension.ofKinds(Path.of("target", "test-legacy"), StoreKind.LEGACY);

    private final LocalTopology topology = legacy.topology();

    @Test
    void legacyStoreIsAPostgresOfItsOwnReadyForLogicalDecoding() throws SQLException {
        StoreInfo info = topology.store(LEGACY_DB);
        assertThat(info.kind()).isEqualTo(StoreKind.LEGACY);
        assertThat(info.port()).isNotEqualTo(5432);
        assertThat(topology.legacyJdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:" + info.port() + "/");
        try (Connection c = DriverManager.getConnection(topology.legacyJdbcUrl());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW wal_level")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("logical");
        }
    }

    @Test
    void restartedLegacyStoreKeepsItsDataOnTheSamePort() throws SQLException {
        int port = topology.store(LEGACY_DB).port();
        try (Connection c = DriverManager.getConnection(topology.legacyJdbcUrl());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id int primary key)");
            s.execute("INSERT INTO kept VALUES (7)");
        }

        topology.kill(LEGACY_DB);
        assertThatThrownBy(() -> DriverManager.getConnection(topology.legacyJdbcUrl()))
                .isInstanceOf(SQLException.class);
        topology.start(LEGACY_DB);

        assertThat(topology.store(LEGACY_DB).port()).isEqualTo(port);
        try (Connection c = DriverManager.getConnection(topology.legacyJdbcUrl());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(7);
        }
    }
}
