package io.membercenter.governance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The door through which the migration lists a legacy row it quarantined (issue 16: "quarantined legacy rows from
 * the migration appear here"): a {@link AnomalyType#LEGACY_QUARANTINED} anomaly in review, evidence the legacy key and
 * the reason, listed by {@code GET /admin/governance/anomalies} and resolved or ignored like any other. Flagged at
 * quarantine time, by the migration (which may depend on governance; governance reads nothing of the migration).
 * One anomaly per legacy key: quarantined again, it is seen again (last seen, reason), not repeated; imported after
 * all, it is resolved by {@code migration}.
 */
public final class LegacyQuarantine {

    static final String ACTOR = "migration";

    private final Anomalies anomalies;
    private final Clock clock;

    LegacyQuarantine(Anomalies anomalies, Clock clock) {
        this.anomalies = anomalies;
        this.clock = clock;
    }

    /**
     * Lists (or sees again) the quarantine of a legacy row.
     *
     * @param reason the migration's reason: the field and the rule, a conflicting identifier only masked (the
     *     migration's quarantine list holds no value in clear), so it is evidence as it is
     * @return the anomaly's id
     */
    public long quarantined(long legacyKey, String reason) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("legacyKey", Long.toString(legacyKey));
        evidence.put("reason", reason);
        return anomalies.record(
                AnomalyType.LEGACY_QUARANTINED,
                fingerprint(legacyKey),
                sha256("legacy|" + legacyKey),
                List.of(),
                evidence,
                AnomalyStatus.REVIEW,
                0,
                clock.millis());
    }

    /** The row was imported after all (the legacy store fixed it): its anomaly is resolved. */
    public void imported(long legacyKey) {
        anomalies.resolveByFingerprint(fingerprint(legacyKey), ACTOR, "imported", clock.millis());
    }

    private static String fingerprint(long legacyKey) {
        return sha256(AnomalyType.LEGACY_QUARANTINED + "|" + legacyKey);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
