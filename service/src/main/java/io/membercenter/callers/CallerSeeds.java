package io.membercenter.callers;

import io.membercenter.traffic.TrafficClass;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Callers the registry is seeded with at start, when no caller of that name exists yet: the demo callers of
 * the local profile (application-local.yml), or a deployment's first admin. Keys only as SHA-256 hex, never
 * in clear, so no key is compiled in; outside the local profile there are none unless a deployment sets them.
 * A seed never undoes a change made through the admin API: a seeded caller that exists is left alone.
 */
@ConfigurationProperties("member-center.traffic")
record CallerSeeds(List<Seed> callers) {

    record Seed(String name, String keySha256, TrafficClass trafficClass, List<String> scopes) {}

    CallerSeeds {
        callers = callers == null ? List.of() : List.copyOf(callers);
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (Seed caller : callers) {
            if (caller.name() == null
                    || !CallerRequests.NAME.matcher(caller.name()).matches()) {
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
