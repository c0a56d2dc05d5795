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
 * The door through which the member write path flags an abuse pattern it refused (issue 16, part 3): an open
 * anomaly of {@link AnomalyType#IDENTITY_REBOUND}, {@link AnomalyType#IDENTIFIER_CHURN} or
 * {@link AnomalyType#BIND_VELOCITY}, listed by {@code GET /admin/governance/anomalies} with the audit's findings and
 * closed the same way. One anomaly per subject and window: refused again in the same window, the anomaly is seen
 * again (last seen, evidence), not repeated. The subject and the evidence come masked (no identifier in clear).
 */
public final class AbuseFlags {

    /** The patterns, each an {@link AnomalyType} of its own. */
    public enum Pattern {
        IDENTITY_REBOUND(AnomalyType.IDENTITY_REBOUND),
        IDENTIFIER_CHURN(AnomalyType.IDENTIFIER_CHURN),
        BIND_VELOCITY(AnomalyType.BIND_VELOCITY);

        private final AnomalyType type;

        Pattern(AnomalyType type) {
            this.type = type;
        }
    }

    private final Anomalies anomalies;
    private final Clock clock;

    AbuseFlags(Anomalies anomalies, Clock clock) {
        this.anomalies = anomalies;
        this.clock = clock;
    }

    /**
     * Flags (or sees again) the pattern of {@code subject} in the window starting at {@code windowStart}.
     *
     * @param subject what the pattern is about, already free of PII (an identifier's hash key, a member id, a
     *     caller's name): it names the anomaly, through a hash
     * @return the anomaly's id
     */
    public long flag(
            Pattern pattern, String subject, long windowStart, List<Long> memberIds, Map<String, Object> evidence) {
        String fingerprint = sha256(pattern + "|" + subject + "|" + windowStart);
        Map<String, Object> stored = new LinkedHashMap<>(evidence);
        stored.put("windowStart", windowStart);
        return anomalies.record(
                pattern.type,
                fingerprint,
                sha256(subject),
                memberIds.stream().distinct().sorted().toList(),
                stored,
                AnomalyStatus.OPEN,
                0,
                clock.millis());
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
