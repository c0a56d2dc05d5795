package io.membercenter.member;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The abuse limits of the member write path ({@link AbuseLimits}); application.yml gives each its reason.
 *
 * @param enabled off, no write is counted or refused (and the home database is not written)
 * @param identityMembers how many distinct members one identity (platform + external id) may be bound to within
 *     {@code identityWindow}; a bind to one more is refused (409 {@code identity-rebound})
 * @param identityWindow the sliding window of {@code identityMembers}
 * @param identifierChanges how many identifier changes (mobile, e-mail, identities) one member may commit per
 *     {@code identifierWindow}; one more is refused (429 {@code identifier-churn})
 * @param identifierWindow the fixed window (aligned on the epoch, so UTC days for 24 h) of {@code identifierChanges}
 * @param bindsPerCaller how many binds one caller may make per {@code bindWindow}; one more is refused (429
 *     {@code bind-velocity})
 * @param bindWindow the fixed window (aligned on the epoch) of {@code bindsPerCaller}
 */
@ConfigurationProperties("member-center.abuse")
record AbuseProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("3") int identityMembers,
        @DefaultValue("24h") Duration identityWindow,
        @DefaultValue("20") int identifierChanges,
        @DefaultValue("24h") Duration identifierWindow,
        @DefaultValue("600") int bindsPerCaller,
        @DefaultValue("1m") Duration bindWindow) {

    public AbuseProperties {
        positive("identity-members", identityMembers);
        positive("identifier-changes", identifierChanges);
        positive("binds-per-caller", bindsPerCaller);
        window("identity-window", identityWindow);
        window("identifier-window", identifierWindow);
        window("bind-window", bindWindow);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalStateException("member-center.abuse." + name + " must be at least 1, not " + value);
        }
    }

    /** At least a second (Retry-After counts seconds), at most 30 days (the counts are kept that long). */
    private static void window(String name, Duration value) {
        if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalStateException("member-center.abuse." + name + " must be 1s to 30d, not " + value);
        }
    }
}
