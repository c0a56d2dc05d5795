/**
 * Sentinel, shared by the instances of one JVM.
 *
 * <p>Alibaba Sentinel (breakers in {@code degradation}, flow and hot-key limits in {@code flow}) keeps its
 * rules, its per-resource statistics and its breaker observers in static managers, and every
 * {@code loadRules} replaces all rules of its kind. One service per JVM never notices; two do — the local
 * profile runs data center B's instance in the same JVM as A's, and the test suite keeps a Spring context
 * per set of properties alive. They shared the counters of {@code mysql-a}, and the instance started last
 * replaced the other's rules and its state observer, so the first instance's breaker looked closed
 * whatever happened ({@code MasterBreakerTest} failed after the rest of the suite, passed alone).
 *
 * <p>{@link io.membercenter.sentinel.SentinelScope} is one instance's part: a prefix on each of its
 * resources, its rules kept per scope and loaded as the union of all open scopes, an observer that hears
 * its own breakers only, all taken out when the instance's context closes. The only public type;
 * {@code SentinelConfiguration} makes one scope per Spring context. Tests: {@code SentinelScopeTest}.
 */
@ApplicationModule(allowedDependencies = {})
package io.membercenter.sentinel;

import org.springframework.modulith.ApplicationModule;
