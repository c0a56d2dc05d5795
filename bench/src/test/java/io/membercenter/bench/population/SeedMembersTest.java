package io.membercenter.bench.population;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SeedMembersTest {

    /** The service's own validation of a mobile (MemberRequests.MOBILE). */
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");

    @Test
    void everyMemberIsTheSameEachTimeItIsAskedFor() {
        assertThat(SeedMembers.member(123_456)).isEqualTo(SeedMembers.member(123_456));
    }

    @Test
    void idsMobilesAndEmailsAreUniqueAndValid() {
        Set<Long> ids = new HashSet<>();
        Set<String> mobiles = new HashSet<>();
        Set<String> emails = new HashSet<>();
        for (int i = 0; i < 200_000; i += 7) {
            SeedMember member = SeedMembers.member(i);
            assertThat(ids.add(member.memberId())).isTrue();
            assertThat(mobiles.add(member.mobile())).isTrue();
            assertThat(emails.add(member.email())).isTrue();
            assertThat(member.mobile()).matches(E164);
            assertThat(member.memberId()).isPositive();
        }
    }

    @Test
    void idsCarryTheLoaderNodeSoNoServiceInstanceCanIssueThem() {
        for (int i : new int[] {0, 1, 4095, 4096, 999_999}) {
            long id = SeedMembers.memberId(i);
            assertThat((id >>> 12) & 0x1FF).isEqualTo(SeedMembers.LOADER_NODE);
            assertThat(id & 0xFFF).isEqualTo(i % 4096);
        }
    }

    @Test
    void everySecondMemberHoldsAnIdentityAndCreationTimesSpreadOverTheYear() {
        assertThat(SeedMembers.member(0).identity()).isPresent();
        assertThat(SeedMembers.member(1).identity()).isEmpty();
        long first = SeedMembers.createdAt(0);
        long spread = 0;
        for (int i = 1; i < 1000; i++) spread = Math.max(spread, Math.abs(SeedMembers.createdAt(i) - first));
        assertThat(spread).isGreaterThan(200L * 24 * 3600 * 1000);
    }
}
