package io.membercenter.governance;

import io.membercenter.governance.RelationshipRows.OwnerRow;
import io.membercenter.replication.IdentifierKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One anomaly as one check saw it: its type, the identifier and members it is about, the evidence (rows,
 * identifiers masked), and the owner entry as read, which a repair must match to change anything.
 *
 * @param entry the owner entry involved, as read (null when there is none)
 */
record Finding(
        AnomalyType type, IdentifierKey key, List<Long> memberIds, Map<String, Object> evidence, OwnerRow entry) {

    Finding {
        memberIds = memberIds.stream().distinct().sorted().toList();
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    /**
     * Names the anomaly across audits: the same type, identifier and members is the same anomaly, seen again.
     * A hash, so the anomaly table's key holds no identifier in clear.
     */
    String fingerprint() {
        return sha256(type + "|" + key.hashKey() + "|"
                + memberIds.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }

    /** Names the identifier without holding it in clear: two findings about one identifier share it. */
    String identifierHash() {
        return sha256(key.hashKey());
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
