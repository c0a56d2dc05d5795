/**
 * Flow control: a caller that sends too much, or asks for one member too often, a traffic class over its cap
 * across all instances, or any class but ORDER while the instance is overloaded, is refused with a {@code 429}
 * before it reaches a store — so a buggy or abusive client, or a MARKETING burst, cannot take the capacity the
 * order path needs (issue 13: per-caller and hot-key limits, global caps per traffic class, system protection).
 *
 * <h2>One place in the request path</h2>
 * Every {@code /v1} request passes, in this order, through servlet filters ordered from
 * {@code HIGHEST_PRECEDENCE}:
 * <ol>
 *   <li>the body limit ({@code api.BodyLimitFilter}, {@code +10}): nothing over 64 KiB is read;</li>
 *   <li>authentication ({@code traffic.CallerAuthenticationFilter}, {@code +20}): the {@code Caller},
 *       with its name and traffic class, or a 401;</li>
 *   <li><b>flow control</b> ({@link io.membercenter.flow.FlowControlFilter}, {@code +25}): the caller rule,
 *       the hot-key rule, system protection, the global cap — or a 429;</li>
 *   <li>the request scope ({@code degradation.RequestScopeFilter}, {@code +30}: traffic class and deadline
 *       for bulkheads and breakers), then the route (Spring MVC: scopes, validation) and the stores.</li>
 * </ol>
 * Nothing else in the service limits rates. A request refused here has cost one Sentinel check, no
 * store call and no pool share. The admin API is not limited: an operator must be able to change a
 * rule in the middle of a flood.
 *
 * <h2>The rules</h2>
 * A quota per traffic class and, optionally, per caller (which replaces its class's quota whole):
 * <ul>
 *   <li><b>caller</b>: requests/s and concurrent requests of one caller in each endpoint group —
 *       {@code reads} (GET by id or identifier), {@code writes} (create, patch, bind, unbind),
 *       {@code search}, {@code batch} (batch-get);</li>
 *   <li><b>hot key</b>: requests/s of one caller for one key — {@code member:<id>}, {@code mobile:<E.164>},
 *       {@code email:<lower case>}, {@code identity:<platform>/<externalId>} — counted on reads: the key in
 *       the path of a GET, and every id of a batch-get body ({@code {"memberIds": [...]}}; an id listed
 *       twice counts twice). Per-value exceptions: a key that is never limited, or has a limit of its own.
 *       Writes are not hot-key limited: writes of one member are serialised by its row lock and bounded
 *       by the caller rule and the bulkheads, and the "account asked for abusively" of the reference
 *       system is a lookup.</li>
 * </ul>
 * Defaults ({@link io.membercenter.flow.FlowProperties}, application.yml, as ../shared/API.md's
 * "Local profile flow-control defaults"): MARKETING and DEFAULT 5,000 requests/s and 1,000 concurrent
 * per caller in each group and 50 requests/s per caller and key; ORDER 1,000,000/s and 100,000
 * concurrent (far above one machine) and no hot-key limit.
 *
 * <h2>Answers and metrics</h2>
 * A blocked request: {@code 429} problem+json, {@code type /problems/too-many-requests}, {@code Retry-After: 1}
 * (every window is one second), {@code "rule": "caller"}, {@code "hot-key"}, {@code "system"} or {@code "global"} —
 * the kind of rule,
 * never a limit, a resource name or the key. Counted as {@code flow_blocked_total{caller, rule,
 * traffic_class}}; caller names are service names, not personal data, and a key is never a label (nor in
 * any log or counter: the hot-key counters hold a salted hash of each key — {@code SentinelFlowGate.token}).
 *
 * <h2>Sentinel, behind one class</h2>
 * {@link io.membercenter.flow.SentinelFlowGate} is the only class that touches Sentinel's
 * {@code FlowRule} and {@code SphU} for flow control (degradation owns the {@code DegradeRule}s); it rebuilds
 * all rules of its instance's {@code SentinelScope} from our {@link io.membercenter.flow.FlowRules} when they
 * change or a caller is first seen. Why Sentinel: a per-resource QPS and thread limit on the same statistics
 * the breakers already use. The hot-key limits were Sentinel's {@code ParamFlowRule} too, until the JMH
 * benchmark ({@code ./mc bench flow}) put them at ~0.46 µs per key — a 20-id batch-get over the 5 µs
 * per request — so they are {@link io.membercenter.flow.HotKeys}, with Sentinel's semantics (a window opened by
 * a key's first request and refilled whole after a full second) at a hash-map lookup per key; the reasons and
 * the numbers are in that class.
 *
 * <h2>Rules at run time</h2>
 * {@code GET/PUT /admin/flow-rules} ({@code io.membercenter.rules}) carries a {@code flow} section next to
 * {@code degradation}; {@link io.membercenter.flow.FlowControl} shows it and checks a replacement
 * ({@code FlowRulesJson}: every bad field named, e.g. {@code flow.classes.MARKETING.hotKey.requestsPerSecond})
 * which is applied only if the whole PUT is valid, after it was persisted as the next version; every instance
 * applies the newest version within about 250 ms, and at start ({@code rules/package-info.java}). Callers' own
 * quotas come from the caller registry ({@code FlowControl.useCallerQuotas}); a quota in the rules'
 * {@code callers} section wins over them. The section also carries {@code global} and {@code system} (below); a PUT
 * without them puts the configured ones in force.
 *
 * <h2>Global caps per traffic class, across instances</h2>
 * {@code member-center.flow.global} (requests/s of ORDER, MARKETING, DEFAULT admitted by all instances together;
 * 1,000,000 / 20,000 / 20,000 by default) and {@code flow.global} in the rules. {@link io.membercenter.flow.GlobalCaps}
 * leases tokens per class and second from a token store every instance shares — in the local profile Redis A, which
 * both data centers' instances already reach ({@code member-center.flow.token-store.redis-url}) — through one Lua
 * script per lease ({@link io.membercenter.flow.RedisTokenStore}). While the store is unreachable, each instance keeps
 * to its local share, {@code cap / live instances} (the live count comes from the store's heartbeats; before any,
 * {@code token-store.instances}), and ORDER is not refused by the cap at all: never no limit, never ORDER blocked.
 *
 * <p>Why not Sentinel's cluster flow control (token server, embedded in one instance or standalone): its cluster
 * state is static per JVM — one mode (client or server), one token client, one set of cluster rules — and the local
 * profile and the tests run data center B's instance in the same JVM as A's, so one could not be the server and
 * the other its client; {@code SentinelScope} can separate rules but not that state. Its fallback
 * ({@code fallbackToLocalWhenFail}) checks the cluster rule's own count locally, which for a global threshold is the
 * whole cap on every instance — n × cap together, not the share the issue asks for; and an embedded server dies with
 * its instance, a standalone one is one more server to run and keep highly available (Sentinel #346, #3129). Redis A
 * is already run, watched and restarted by the topology; a lease is one short script; leasing in chunks (1/50 of
 * the cap) keeps the per-request cost to an atomic decrement, where asking a token server per request costs a round
 * trip. What this gives up: a second is this instance's clock's second (instances' clocks must agree to a few ms,
 * as NTP keeps them; skew shifts when a window starts, never how much it admits), and a chunk leased and not used
 * in its second is lost (at most 2 % of the cap per instance and class).
 *
 * <h2>System protection</h2>
 * {@link io.membercenter.flow.SystemProtection}, {@code member-center.flow.system} and {@code flow.system}: on this
 * instance's requests in flight (admitted and not answered), MARKETING is shed from {@code marketingShedAt ×
 * maxConcurrent} (0.5 × 2,000 by default), DEFAULT from {@code defaultShedAt × maxConcurrent} (0.75 ×), ORDER only
 * from {@code maxConcurrent}; optionally ({@code cpuShedAt} above 0; off by default, the shared cores of the local
 * topology are always busy) the machine's CPU sheds MARKETING and DEFAULT, never ORDER. Sentinel's
 * {@code SystemRule} is not used: it is one rule for the whole JVM (both local instances would count each other's
 * load) and refuses every inbound entry alike, ORDER included.
 *
 * <h2>Invariants and the tests that prove them</h2>
 * {@code FlowControlTest} (on the real service): a per-caller limit set low through the rules endpoint
 * blocks with {@code "rule": "caller"} and is lifted by restoring the rules; a hot key by path and inside
 * a batch-get body is blocked with {@code "rule": "hot-key"}; a key excepted as unlimited is never blocked
 * and one with its own limit is blocked at that limit; ORDER is not hot-key limited; the 429 carries
 * problem+json, {@code Retry-After} and the rule; blocks are counted in the metrics by caller, rule and
 * traffic class; a bad flow rule is a 400 naming the field and changes nothing; several threads
 * hammering one key get no more 200s than the limit allows in the time they ran.
 * {@code GlobalCapTest} (A and a second instance, B, in this JVM): flooded from both, the MARKETING requests they
 * admit together in each whole second are within 10 % of the cap, every refusal is {@code "rule": "global"} and
 * counted; with Redis A (the token store) stopped, each instance admits at most its share (cap / the live instances
 * it last knew) per second and refuses the rest, while ORDER floods of both are never refused; a bad cap or system
 * threshold is a 400 naming the field ({@code flow.global.MARKETING.requestsPerSecond}, {@code flow.global.VIP},
 * {@code flow.system.defaultShedAt}, ...) and changes nothing. {@code SystemProtectionTest}: with ORDER creates held in
 * flight (their bodies held back) between MARKETING's and ORDER's thresholds, MARKETING threads are all refused with
 * {@code "rule": "system"} while ORDER threads at the same time are all served; DEFAULT is served until the held
 * requests pass its threshold, then refused while ORDER is still served; every refusal is counted.
 *
 * <h2>Metrics</h2>
 * {@code flow_blocked_total{caller, rule, traffic_class}} for every 429 (rule: caller, hot-key, system, global);
 * {@code flow_system_in_flight}; {@code flow_global_token_store_reachable} (0 while on the local share);
 * {@code flow_global_instances}. No key, member or identifier in any label.
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.flow.FlowControl}: the rules endpoint shows and replaces the flow section
 * through it. {@link io.membercenter.flow.FlowCheck}: the bench's door ({@code ./mc bench flow}, the JMH figure of
 * issue 13), the gate's check of one request on a gate of its own with limits out of reach, outside Spring and HTTP.
 * Two because each has a different user outside. The filter, the Sentinel gate, the global caps and their token
 * store, system protection, the rules and their JSON, the properties are package-private.
 */
@ApplicationModule(allowedDependencies = {"api", "traffic", "sentinel"})
package io.membercenter.flow;

import org.springframework.modulith.ApplicationModule;
