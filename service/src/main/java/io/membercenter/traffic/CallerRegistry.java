package io.membercenter.traffic;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Finds the caller of an API key by the key's SHA-256, so no key is kept in clear anywhere. */
@Component
final class CallerRegistry {

    private final Map<String, Caller> callersByKeyHash;

    CallerRegistry(CallerProperties properties) {
        this.callersByKeyHash = properties.callers().stream()
                .collect(Collectors.toUnmodifiableMap(
                        CallerProperties.CallerEntry::keySha256, CallerRegistry::toCaller));
    }

    public Optional<Caller> authenticate(String apiKey) {
        return Optional.ofNullable(callersByKeyHash.get(sha256(apiKey)));
    }

    private static Caller toCaller(CallerProperties.CallerEntry entry) {
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        entry.scopes().forEach(label -> scopes.add(Scope.ofLabel(label)));
        TrafficClass trafficClass = entry.trafficClass() == null ? TrafficClass.DEFAULT : entry.trafficClass();
        return new Caller(entry.name(), trafficClass, scopes);
    }

    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
