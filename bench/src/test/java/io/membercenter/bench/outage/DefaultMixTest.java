package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.membercenter.bench.outage.Sample.Kind;
import io.membercenter.bench.suite.Population;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DefaultMixTest {

    @Test
    void drawsTheSuitesDefaultSharesAndCountsBatchReadsAsReadsAndRegistrationsAsWrites() {
        SplittableRandom random = new SplittableRandom(16);
        Map<DefaultMix.Call, Integer> drawn = new EnumMap<>(DefaultMix.Call.class);
        int draws = 200_000;
        for (int i = 0; i < draws; i++) drawn.merge(DefaultMix.draw(random), 1, Integer::sum);

        assertThat(drawn.get(DefaultMix.Call.GET) / (double) draws).isCloseTo(0.60, within(0.01));
        assertThat(drawn.get(DefaultMix.Call.BY_MOBILE) / (double) draws).isCloseTo(0.20, within(0.01));
        assertThat(drawn.get(DefaultMix.Call.BATCH_GET) / (double) draws).isCloseTo(0.10, within(0.01));
        assertThat(drawn.get(DefaultMix.Call.PATCH) / (double) draws).isCloseTo(0.08, within(0.01));
        assertThat(drawn.get(DefaultMix.Call.CREATE) / (double) draws).isCloseTo(0.02, within(0.005));
        assertThat(DefaultMix.Call.BATCH_GET.kind()).isEqualTo(Kind.READ_BY_ID);
        assertThat(DefaultMix.Call.CREATE.kind()).isEqualTo(Kind.WRITE);
    }

    @Test
    void aBatchReadAsksForTwentyDistinctMembersOfThePopulationAsStrings() {
        Population keys = new Population(1_000, 0.99);

        JsonNode body = JsonMapper.builder().build().readTree(DefaultMix.batchBody(keys, new SplittableRandom(3)));

        assertThat(body.path("memberIds")).hasSize(DefaultMix.BATCH_SIZE);
        assertThat(StreamSupport.stream(body.path("memberIds").spliterator(), false)
                        .map(JsonNode::asString)
                        .distinct())
                .hasSize(DefaultMix.BATCH_SIZE);
        assertThat(body.path("memberIds").get(0).isString()).isTrue();
    }
}
