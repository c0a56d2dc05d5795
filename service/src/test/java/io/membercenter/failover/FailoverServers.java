package io.membercenter.failover;

import io.membercenter.support.ApiClient;
import io.membercenter.support.Sql;
import io.membercenter.topology.LocalTopology;
import io.membercenter.topology.StoreKind;
import io.membercenter.topology.TopologyOptions;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What the failover tests ask of the real servers and instances: one place, so each test reads as its story. */
final class FailoverServers {

    private FailoverServers() {}

    /** A three-node ZooKeeper ensemble of the test class's own, in {@code target/<folder>}. */
    static LocalTopology startEnsemble(String folder) {
        return LocalTopology.start(
                new TopologyOptions(Path.of("target", folder), List.of(), Set.of(StoreKind.COORDINATION)));
    }

    /**
     * A rejoining copy runs in GTID strict mode (see {@code DatabaseServers.follow}); the rest of the suite found the
     * shared servers without it and gets them back so.
     */
    static void gtidStrictModeOff() {
        LocalTopology topology = LocalTopology.shared();
        for (String server : List.of("mysql-a", "mysql-b")) {
            try (var c = DriverManager.getConnection(
                            topology.jdbcUrl(server, "member_0"), topology.adminUser(), topology.adminPassword());
                    var s = c.createStatement()) {
                s.execute("SET GLOBAL gtid_strict_mode = OFF");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static boolean readOnly(String server) {
        Object value = Sql.query(server, "member_0", "SELECT @@GLOBAL.read_only AS ro")
                .getFirst()
                .get("ro");
        return ((Number) value).intValue() == 1;
    }

    /** The members of {@code memberIds} that {@code server} does not hold. */
    static List<String> missingOn(String server, List<String> memberIds) {
        List<String> missing = new ArrayList<>();
        for (String id : memberIds) {
            if (Sql.everywhere(server, "SELECT member_id FROM member WHERE member_id = ?", Long.parseLong(id))
                    .isEmpty()) {
                missing.add(id);
            }
        }
        return missing;
    }

    /** The data center an instance routes its writes to, as it says. */
    static String writeRoute(ApiClient instance) {
        return instance.get("/admin/topology", ApiClient.ADMIN_KEY)
                .json()
                .path("routes")
                .path("db")
                .path("writes")
                .asString();
    }
}
