package io.membercenter.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardMapTest {

    private static ShardProperties twoDatabases(String firstRange, String secondRange) {
        return new ShardProperties(
                1024,
                "A",
                "u",
                "p",
                4,
                Duration.ofSeconds(1),
                List.of(
                        new ShardProperties.PhysicalDatabase("member_0", firstRange, List.of(master())),
                        new ShardProperties.PhysicalDatabase("member_1", secondRange, List.of(master()))));
    }

    private static ShardProperties.Copy master() {
        return new ShardProperties.Copy("A", ShardProperties.Role.MASTER, "jdbc:mariadb://127.0.0.1:1/x");
    }

    @Test
    void sequentialMemberIdsSpreadEvenlyOverAllShards() {
        ShardMap map = new ShardMap(twoDatabases("0-511", "512-1023"));
        int[] counts = new int[1024];
        for (long id = 1; id <= 1_024_000; id++) counts[map.shardOfMember(id)]++;

        for (int count : counts) assertThat(count).isBetween(850, 1150);
    }

    @Test
    void identifierShardsAreStableAndSpread() {
        ShardMap map = new ShardMap(twoDatabases("0-511", "512-1023"));
        int[] perDatabase = new int[2];
        for (int i = 0; i < 100_000; i++) {
            String key = "M:+86138" + String.format("%08d", i);
            int shard = map.shardOfIdentifier(key);
            assertThat(map.shardOfIdentifier(key)).isEqualTo(shard);
            perDatabase[map.databaseOf(shard).equals("member_0") ? 0 : 1]++;
        }
        assertThat(perDatabase[0]).isBetween(48_000, 52_000);
    }

    @Test
    void shardRangesMustCoverEveryShardExactlyOnce() {
        assertThatThrownBy(() -> twoDatabases("0-511", "513-1023"))
                .hasMessageContaining("logical shard 512 is not mapped");
        assertThatThrownBy(() -> twoDatabases("0-600", "512-1023")).hasMessageContaining("mapped twice");
        assertThatThrownBy(() -> twoDatabases("0-511", "512-2000")).hasMessageContaining("outside");
        assertThatThrownBy(() -> twoDatabases("zero", "512-1023")).hasMessageContaining("expected a range");
    }

    @Test
    void everyDatabaseNeedsExactlyOneMaster() {
        var replicaOnly = new ShardProperties.Copy("B", ShardProperties.Role.REPLICA, "jdbc:mariadb://127.0.0.1:1/x");
        assertThatThrownBy(() -> new ShardProperties(
                        4,
                        "A",
                        "u",
                        "p",
                        4,
                        Duration.ofSeconds(1),
                        List.of(new ShardProperties.PhysicalDatabase("member_0", "0-3", List.of(replicaOnly)))))
                .hasMessageContaining("exactly one master");
    }
}
