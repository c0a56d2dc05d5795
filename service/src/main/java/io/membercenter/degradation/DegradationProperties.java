package io.membercenter.degradation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Breakers, bulkheads and the request deadline, validated once at start (every problem named).
 *
 * @param defaults the rule of every dependency not named in {@code dependencies}
 * @param dependencies rules of single dependencies by store name ({@code mysql-a}, {@code redis-b}, ...)
 * @param bulkhead how much of each database pool the traffic classes below ORDER may hold
 * @param requestDeadline no store call is started for a request older than this; each call has its own
 *     deadline (the stores' timeouts), so a request ends within this plus one store deadline
 */
@ConfigurationProperties("member-center.degradation")
record DegradationProperties(
        @DefaultValue BreakerRule defaults,
        @DefaultValue Map<String, BreakerRule> dependencies,
        @DefaultValue Bulkhead bulkhead,
        @DefaultValue("5s") Duration requestDeadline) {

    /**
     * @param marketingShare share of a pool's connections MARKETING calls may hold at once
     * @param defaultShare share of a pool's connections DEFAULT calls may hold at once
     * @param maxWait how long a call waits for a share before it is refused (a 503 it can retry)
     */
    public record Bulkhead(
            @DefaultValue("0.25") double marketingShare,
            @DefaultValue("0.5") double defaultShare,
            @DefaultValue("1s") Duration maxWait) {}

    public DegradationProperties {
        dependencies = dependencies == null ? Map.of() : Map.copyOf(dependencies);
        List<String> problems = new ArrayList<>();
        defaults.problems("defaults.").forEach(p -> problems.add(p.field() + " " + p.message()));
        dependencies.forEach((name, rule) ->
                rule.problems("dependencies." + name + ".").forEach(p -> problems.add(p.field() + " " + p.message())));
        if (!(bulkhead.marketingShare() > 0 && bulkhead.marketingShare() < 1))
            problems.add("bulkhead.marketing-share must be above 0 and below 1");
        if (!(bulkhead.defaultShare() > 0 && bulkhead.defaultShare() < 1))
            problems.add("bulkhead.default-share must be above 0 and below 1");
        if (bulkhead.marketingShare() + bulkhead.defaultShare() >= 1)
            problems.add(
                    "bulkhead.marketing-share + default-share must be below 1: ORDER needs connections of its own");
        if (bulkhead.maxWait().isNegative() || bulkhead.maxWait().compareTo(Duration.ofSeconds(5)) > 0)
            problems.add("bulkhead.max-wait must be between 0 and 5s");
        if (requestDeadline.compareTo(Duration.ofMillis(100)) < 0)
            problems.add("request-deadline must be at least 100ms");
        if (!problems.isEmpty()) {
            throw new IllegalStateException("member-center.degradation is invalid: " + String.join("; ", problems));
        }
    }
}
