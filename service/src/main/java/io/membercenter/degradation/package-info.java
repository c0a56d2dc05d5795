/**
 * Degradation: every dependency behind a breaker, every pool behind a bulkhead, every request
 * under a deadline — so a failing store is cut off in milliseconds instead of holding request threads.
 *
 * <h2>The door</h2>
 * {@link io.membercenter.degradation.Breakers} hands each store adapter the
 * {@link io.membercenter.degradation.DependencyBreaker} of its server (by store name: {@code mysql-a},
 * {@code mysql-b}, {@code redis-a}, {@code redis-b}, {@code search-primary}, {@code search-backup},
 * {@code search-marketing}, {@code kafka}) and a {@link io.membercenter.degradation.TrafficBulkhead} per
 * database pool. Adapters wrap their lowest call ({@code ShardedDatabases}' pool borrow, {@code RedisNode}'s
 * command, {@code SearchCluster.send}, the outbox relay's publish) and turn
 * {@link io.membercenter.degradation.DependencyUnavailableException} into their own "unavailable"
 * (a 503 with Retry-After, a cache miss, the next cluster). Nothing else in the service sees Sentinel.
 *
 * <h2>Why Sentinel and not Resilience4j</h2>
 * Both have a breaker with slow-call and error-ratio signals. Sentinel's {@code DegradeRule} also has
 * the error-count signal of the reference write-ups, its rules are plain values loaded into one manager
 * at run time (what {@code PUT /admin/flow-rules} needs), and flow control (issue 13) uses Sentinel's
 * {@code FlowRule}/{@code limitApp} for the same resources: one library, one statistics pass per call,
 * one rules endpoint. The price: its managers are static (one per JVM) — this package is the only
 * place that touches them — and its clock is its own ticker, so breaker tests wait real time (about a
 * second) instead of advancing an injected clock; its open time is whole seconds ({@code timeWindow}).
 *
 * <h2>The state machine (per dependency; three Sentinel circuit breakers, one per signal)</h2>
 * <ul>
 *   <li><b>closed</b>: calls go through and are counted in a tumbling window of {@code statIntervalMillis}:
 *       slow calls (longer than {@code slowCallMillis}), failed calls (the adapter's predicate: a lost
 *       connection, a timeout, a refused connection — never a business refusal such as a duplicate key).
 *       More than {@code slowCallRatio} slow, more than {@code errorRatio} failed (both after
 *       {@code minimumCalls}), or more than {@code errorCount} failed: <b>open</b>.</li>
 *   <li><b>open</b>: every call is skipped at once ({@code DependencyUnavailableException}, no network,
 *       no pool wait) for {@code openSeconds}. A write whose master is open is a 503 + Retry-After in
 *       microseconds, not after a timeout.</li>
 *   <li><b>half-open</b>: the first call after the open time is the probe; the others are still
 *       skipped. Probe succeeds (fast): <b>closed</b>. Fails or is slow: <b>open</b> again. With
 *       {@code openSeconds = 1} traffic returns within about a second of the dependency's return.</li>
 * </ul>
 * The dependency's state is the worst of its three signals; it is the gauge
 * {@code dependency_breaker_state{store}} (0 closed, 1 half-open, 2 open; store names only, no PII),
 * {@code dependency_breaker_skipped_total{store}} counts skipped calls, and {@code GET /admin/topology}
 * shows {@code "breaker"} on each store.
 *
 * <h2>Bulkheads per traffic class</h2>
 * {@link io.membercenter.degradation.RequestScopeFilter} binds the caller's traffic class (and the
 * request deadline) in a {@code ScopedValue} right after authentication; {@code TrafficBulkhead} lets
 * MARKETING and DEFAULT calls hold at most their share of a pool (25 % and 50 % by default, together
 * below 100 %), so a MARKETING or DEFAULT flood never takes the connections ORDER needs. Why a semaphore
 * per class in front of one pool rather than a pool per class: see {@code TrafficBulkhead}.
 *
 * <h2>Deadlines</h2>
 * Each store call is bounded by its client's own timeouts, set in each capability's properties
 * (JDBC connect/socket and pool wait in {@code ShardProperties}, Redis connect and command in
 * {@code CacheProperties}, OpenSearch connect/socket/connection-request in {@code SearchProperties},
 * Kafka producer and admin in {@code ReplicationProperties}). On top, no store call starts once the
 * request is older than {@code request-deadline}: a request ends within that plus one store deadline.
 *
 * <h2>Rules at run time</h2>
 * Defaults and per-dependency rules come from {@link io.membercenter.degradation.DegradationProperties}
 * (validated at start). {@code GET/PUT /admin/flow-rules} shows and replaces them: all or nothing, a
 * bad rule is a 400 naming the field. The same endpoint carries flow control's {@code flow} section,
 * checked and applied through {@link io.membercenter.flow.FlowControl} (hence the dependency on
 * {@code flow}). Tests: {@code MasterBreakerTest} (open, skipped fast, visible in
 * topology and metrics, closes after the server returns; stopped and SIGSTOPped master),
 * {@code FlowRulesApiTest} (round trip, bad rules change nothing), {@code TrafficBulkheadTest}.
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.degradation.Breakers} (the one door to Sentinel: a breaker per dependency, the
 * rules, their states), {@link io.membercenter.degradation.DependencyBreaker} (what a store adapter
 * wraps its lowest call in) with {@link io.membercenter.degradation.DependencyUnavailableException}
 * (what it throws while open) and {@link io.membercenter.degradation.BreakerState} (what the console
 * shows), and {@link io.membercenter.degradation.TrafficBulkhead} (the traffic class's share of a
 * pool, which the shard package puts in front of each pool). Five, because four store packages and
 * the console each use a different part; the rules, the properties, the request scope and the admin
 * controller are package-private.
 */
@ApplicationModule(allowedDependencies = {"api", "traffic", "flow"})
package io.membercenter.degradation;

import org.springframework.modulith.ApplicationModule;
