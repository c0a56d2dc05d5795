package io.membercenter.traffic;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where authentication finds the caller of an API key: by the key's SHA-256, so no key is kept in clear
 * anywhere. Implemented by the caller registry ({@code io.membercenter.callers}), which keeps callers in the
 * database; the interface lives here so that authentication, the lowest layer of the request path, depends
 * on nothing above it.
 */
public interface CallerDirectory {

    /** The caller whose live key has this SHA-256 (lower-case hex), if any; answered from memory. */
    Optional<Caller> byKeyHash(String keySha256);

    /** The SHA-256 of an API key, lower-case hex: how keys are stored and looked up. */
    static String hashOf(String apiKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
