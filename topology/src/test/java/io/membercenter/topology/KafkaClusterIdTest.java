package io.membercenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KafkaClusterIdTest {

    @Test
    void noClusterIdStartsWithADashWhichTheFormatToolWouldTakeForAnOption() {
        Random random = new Random(42);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = KafkaServer.newClusterId(random);
            assertThat(id).hasSize(22).matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}");
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }
}
