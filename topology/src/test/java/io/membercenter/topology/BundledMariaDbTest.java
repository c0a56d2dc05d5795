package io.membercenter.topology;

import static io.membercenter.topology.LocalTopology.MASTER;
import static io.membercenter.topology.LocalTopology.REPLICA;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Proves the fallback for machines without an installed MariaDB. Slow the first time (it unpacks ~340 MB),
 * so it runs only when asked:
 * {@code ./mvnw -B -q -pl topology verify -Pbundled-mariadb -Dmembercenter.topology.mariadb=bundled};
 * the other test classes then run against the bundled server too.
 */
@EnabledIfSystemProperty(named = MariaDbBinaries.SOURCE_PROPERTY, matches = "bundled")
class BundledMariaDbTest {

    @Test
    void bundledBinariesAreUnpackedIntoTheCacheAndExecutable() {
        MariaDbBinaries binaries = MariaDbBinaries.locate();

        assertThat(binaries.isBundled()).isTrue();
        assertThat(binaries.server()).startsWith(Folders.cache()).isExecutable();
        assertThat(binaries.installer()).isExecutable();
        assertThat(binaries.baseDir().orElseThrow().resolve("share/english/errmsg.sys"))
                .isRegularFile();
    }

    @Test
    void theTopologyRunsOnTheBundledServer() throws SQLException {
        LocalTopology topology = LocalTopology.shared();

        for (String store : new String[] {MASTER, REPLICA}) {
            try (Connection connection = DriverManager.getConnection(
                            topology.jdbcUrl(store, "member_0"), topology.appUser(), topology.appPassword());
                    Statement statement = connection.createStatement();
                    ResultSet version = statement.executeQuery("SELECT VERSION()")) {
                version.next();
                assertThat(version.getString(1)).startsWith(BundledMariaDb.VERSION);
            }
        }
        assertThat(topology.workDir().storeDir(MASTER).resolve("error.log"))
                .content()
                .contains(BundledMariaDb.VERSION);
    }
}
