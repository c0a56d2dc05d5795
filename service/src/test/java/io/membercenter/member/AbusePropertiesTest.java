package io.membercenter.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A limit that makes no sense stops the start naming the setting (no server needed). */
class AbusePropertiesTest {

    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void theDefaultsOfApplicationYmlAreValid() {
        AbuseProperties limits = new AbuseProperties(true, 3, DAY, 20, DAY, 600, MINUTE);
        assertThat(limits.identityMembers()).isEqualTo(3);
    }

    @Test
    void aLimitBelowOneIsRefusedNamingIt() {
        assertThatThrownBy(() -> new AbuseProperties(true, 0, DAY, 20, DAY, 600, MINUTE))
                .hasMessageContaining("member-center.abuse.identity-members");
        assertThatThrownBy(() -> new AbuseProperties(true, 3, DAY, -1, DAY, 600, MINUTE))
                .hasMessageContaining("member-center.abuse.identifier-changes");
        assertThatThrownBy(() -> new AbuseProperties(true, 3, DAY, 20, DAY, 0, MINUTE))
                .hasMessageContaining("member-center.abuse.binds-per-caller");
    }

    @Test
    void aWindowOutsideOneSecondToThirtyDaysIsRefusedNamingIt() {
        assertThatThrownBy(() -> new AbuseProperties(true, 3, Duration.ofMillis(500), 20, DAY, 600, MINUTE))
                .hasMessageContaining("member-center.abuse.identity-window");
        assertThatThrownBy(() -> new AbuseProperties(true, 3, DAY, 20, Duration.ofDays(31), 600, MINUTE))
                .hasMessageContaining("member-center.abuse.identifier-window");
        assertThatThrownBy(() -> new AbuseProperties(true, 3, DAY, 20, DAY, 600, Duration.ZERO))
                .hasMessageContaining("member-center.abuse.bind-window");
    }
}
