/**
 * The operators' surface: the {@code /admin} API (topology now; failover, flow rules, migration and
 * governance as those capabilities arrive) and, later, the browser console.
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.console.StoreDirectory}: what stores a deployment has; the {@code local} profile
 * supplies its own. The controllers are package-private.
 */
@ApplicationModule(allowedDependencies = {"api", "cache", "degradation", "member", "search", "shard", "traffic"})
package io.membercenter.console;

import org.springframework.modulith.ApplicationModule;
