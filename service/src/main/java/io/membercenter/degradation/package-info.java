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
 * one rules endpoint. The price: its managers are static (one per JVM) — {@code SentinelScope} keeps
 * each instance's rules and breakers apart from another instance's in the same JVM — and its clock is its own ticker, so breaker tests wait real time (about a
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
 * A fourth signal is ours: <b>hung</b>. Sentinel counts a call when it ends, and the calls to a server that
 * stopped answering (SIGSTOPped, a proxy holding the connection) end together at their socket timeout:
 * until then the breaker stayed closed and every new request joined the wait. {@code HangDetector} watches
 * the calls while they are out: when the oldest has waited twice {@code slowCallMillis} and nothing has
 * come back since, the dependency is open for {@code openSeconds}, then probed by one call; any call that
 * comes back answered closes it ({@code HangDetectorTest}, {@code MasterBreakerTest}'s hung master).
 * The dependency's state is the worst of its four signals; it is the gauge
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
 * Work a request hands to other threads carries the scope with it through
 * {@link io.membercenter.degradation.RequestScopes} (the migration's parallel import of a chunk): a door of its own,
 * so that such work cannot draw from the whole pool, ORDER's included, just because it left the request's thread.
 * Background work that must stay out of ORDER's way asks for a class itself through the same door
 * ({@code RequestScopes.runAs}: governance's consistency checker runs its store calls as DEFAULT, under a deadline).
 *
 * <h2>Deadlines</h2>
 * Each store call is bounded by its client's own timeouts, set in each capability's properties
 * (JDBC connect/socket and pool wait in {@code ShardProperties}, Redis connect and command in
 * {@code CacheProperties}, OpenSearch connect/socket/connection-request in {@code SearchProperties},
 * Kafka producer and admin in {@code ReplicationProperties}; search's reads on the request path have their own
 * {@code read-timeout}, shorter than the socket timeout bulk indexing needs). A breaker sees a failure only when
 * the call ends, so these deadlines are also how fast a hung server's breaker can open; dependencies called
 * rarely once failing (a down Redis only by its probe, Kafka only by the relays) need fewer calls per window
 * to open ({@code minimum-calls} in {@code application.yml}). On top, no store call starts once the
 * request is older than {@code request-deadline}: a request ends within that plus one store deadline.
 *
 * <h2>Rules at run time</h2>
 * Defaults and per-dependency rules come from {@link io.membercenter.degradation.DegradationProperties}
 * (validated at start). {@code GET/PUT /admin/flow-rules} ({@code io.membercenter.rules}: versioned in the
 * database, applied on every instance) shows and changes them through
 * {@link io.membercenter.degradation.DegradationRules}: a section is checked whole first (a bad rule is a 400
 * naming the field) and applied only once every section of the change has been checked. Tests: {@code MasterBreakerTest} (open, skipped fast, visible in
 * topology and metrics, closes after the server returns; stopped and SIGSTOPped master),
 * {@code DependencyOutageTest} (the same for both Redis, mysql-b — those of B under the instance in B —, search-primary,
 * search-marketing and Kafka, each stopped and SIGSTOPped, under ORDER load: no failed read, writes 2xx while Kafka is
 * down, search catches up), {@code MysqlOutageSearchReadsTest} (both MySQL copies down: reads by id, by
 * identifier and batch reads from search, stale),
 * {@code FlowRulesApiTest} (round trip, bad rules change nothing), {@code TrafficBulkheadTest}.
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.degradation.Breakers} (the one door to Sentinel: a breaker per dependency, the
 * rules, their states), {@link io.membercenter.degradation.DependencyBreaker} (what a store adapter
 * wraps its lowest call in) with {@link io.membercenter.degradation.DependencyUnavailableException}
 * (what it throws while open) and {@link io.membercenter.degradation.BreakerState} (what the console
 * shows), {@link io.membercenter.degradation.TrafficBulkhead} (the traffic class's share of a
 * pool, which the shard package puts in front of each pool), and {@link io.membercenter.degradation.DegradationRules}
 * (the degradation section of the rules endpoint, which lives above {@code shard} in {@code rules}, since its
 * versions are stored in the database). Six, because four store packages, the console and the rules endpoint
 * each use a different part; the rules, the properties and the request scope are package-private.
 */
@ApplicationModule(allowedDependencies = {"api", "traffic", "sentinel"})
package io.membercenter.degradation;

import org.springframework.modulith.ApplicationModule;
