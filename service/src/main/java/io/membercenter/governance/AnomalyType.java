package io.membercenter.governance;

/**
 * What the relationship audit can find; stored in {@code governance_anomaly.type} as the constant's name.
 * The first five are breaches of an invariant of the claim protocol ({@code io.membercenter.member}), found by
 * the audit; the next three are abuse patterns the member write path refused and flagged ({@link AbuseFlags}); the
 * last is a legacy row the migration could not import ({@link LegacyQuarantine}).
 */
enum AnomalyType {
    /** Two LIVE members hold one identifier (the owner entry names one of them). */
    DOUBLE_OWNER,
    /** A settled owner entry whose member does not hold the identifier (or has no row at all). */
    ORPHAN_ENTRY,
    /** A LIVE member holds an identifier whose owner entry is missing or names someone else. */
    HELD_NOT_OWNED,
    /** A claim older than the sweeper's window: neither its operation nor the sweeper settled it. */
    DANGLING_CLAIM,
    /** A settled owner entry bound to a member that is not LIVE (pending or aborted) but whose row holds it. */
    BOUND_TO_NON_LIVE_MEMBER,
    /** Abuse flag: one identity bound to more distinct members within the window than the limit lets it. */
    IDENTITY_REBOUND,
    /** Abuse flag: a member whose identifiers changed more times in a day than the limit lets them. */
    IDENTIFIER_CHURN,
    /** Abuse flag: a caller that bound more identities in a minute than the limit lets it. */
    BIND_VELOCITY,
    /** A legacy row the migration quarantined (today's rules refuse it): its legacy key and reason ({@link LegacyQuarantine}). */
    LEGACY_QUARANTINED;

    static AnomalyType parse(String text) {
        for (AnomalyType type : values()) {
            if (type.name().equals(text)) return type;
        }
        return null;
    }
}
