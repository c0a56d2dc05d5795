package io.membercenter.traffic;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The caller registry as configured: keys only as SHA-256 hex, never in clear. */
@ConfigurationProperties("member-center.traffic")
record CallerProperties(List<CallerEntry> callers) {

    public record CallerEntry(String name, String keySha256, TrafficClass trafficClass, List<String> scopes) {}

    public CallerProperties {
        callers = callers == null ? List.of() : List.copyOf(callers);
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (CallerEntry caller : callers) {
            if (caller.name() == null || !caller.name().matches("[a-z0-9][a-z0-9._-]{0,63}")) {
                throw new IllegalStateException(
                        "member-center.traffic.callers: invalid caller name '" + caller.name() + "'");
            }
            if (caller.keySha256() == null || !caller.keySha256().matches("[0-9a-f]{64}")) {
                throw new IllegalStateException("member-center.traffic.callers[" + caller.name()
                        + "].key-sha256 must be 64 lower-case hex characters");
            }
            if (!names.add(caller.name()) || !hashes.add(caller.keySha256())) {
                throw new IllegalStateException(
                        "member-center.traffic.callers: duplicate caller or key for " + caller.name());
            }
        }
    }
}
