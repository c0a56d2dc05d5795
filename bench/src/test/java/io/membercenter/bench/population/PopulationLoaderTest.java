package io.membercenter.bench.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.membercenter.member.Member;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class PopulationLoaderTest {

    @Test
    void everyMemberReachesTheSinkExactlyOnceInChunksFromSeveralThreads() throws Exception {
        Set<Long> loaded = ConcurrentHashMap.newKeySet();
        Set<String> threads = ConcurrentHashMap.newKeySet();

        new PopulationLoader(4, 100)
                .load(
                        "test",
                        10_050,
                        chunk -> {
                            assertThat(chunk.size()).isLessThanOrEqualTo(100);
                            threads.add(Thread.currentThread().getName());
                            chunk.forEach(member ->
                                    assertThat(loaded.add(member.memberId())).isTrue());
                            Thread.sleep(1);
                        },
                        message -> {});

        assertThat(loaded).hasSize(10_050).contains(SeedMembers.memberId(0), SeedMembers.memberId(10_049));
        assertThat(threads).hasSizeGreaterThan(1);
    }

    @Test
    void aFailedChunkFailsTheLoad() {
        assertThatThrownBy(() -> new PopulationLoader(2, 10)
                        .load(
                                "test",
                                100,
                                chunk -> {
                                    throw new IllegalStateException("duplicate");
                                },
                                message -> {}))
                .hasRootCauseMessage("duplicate");
    }

    @Test
    void aSeedBecomesALiveMemberAtVersionOneWithItsIdentity() {
        SeedMember seed = SeedMembers.member(42);

        Member member = PopulationLoader.toMember(seed);

        assertThat(member.memberId()).isEqualTo(seed.memberId());
        assertThat(member.mobile()).isEqualTo(seed.mobile());
        assertThat(member.version()).isEqualTo(1);
        assertThat(member.identities()).containsExactly(new Member.Identity("wechat", "wx-42"));
        assertThat(member.createdAt().toEpochMilli()).isEqualTo(seed.createdAtMillis());
        assertThat(PopulationLoader.seeds(5, 8))
                .extracting(SeedMember::memberId)
                .isEqualTo(List.of(SeedMembers.memberId(5), SeedMembers.memberId(6), SeedMembers.memberId(7)));
    }
}
