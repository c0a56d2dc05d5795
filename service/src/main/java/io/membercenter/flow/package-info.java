/**
 * Flow control: a caller that sends too much, or asks for one member too often, is refused with a
 * {@code 429} before it reaches a store — so a buggy or abusive client cannot take the capacity the
 * order path needs (issue 13, first part: per-caller and hot-key limits).
 *
 * <h2>One place in the request path</h2>
 * Every {@code /v1} request passes, in this order, through servlet filters ordered from
 * {@code HIGHEST_PRECEDENCE}:
 * <ol>
 *   <li>the body limit ({@code api.BodyLimitFilter}, {@code +10}): nothing over 64 KiB is read;</li>
 *   <li>authentication ({@code traffic.CallerAuthenticationFilter}, {@code +20}): the {@code Caller},
 *       with its name and traffic class, or a 401;</li>
 *   <li><b>flow control</b> ({@link io.membercenter.flow.FlowControlFilter}, {@code +25}): the caller rule,
 *       then the hot-key rule, or a 429;</li>
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
 * (Sentinel's windows are one second), {@code "rule": "caller"} or {@code "hot-key"} — the kind of rule,
 * never a limit, a resource name or the key. Counted as {@code flow_blocked_total{caller, rule,
 * traffic_class}}; caller names are service names, not personal data, and a key is never a label (nor in
 * any log: Sentinel's counters hold a salted hash of each key, since its own logs write parameter
 * values and rules — {@code SentinelFlowGate.token}).
 *
 * <h2>Sentinel, behind one class</h2>
 * {@link io.membercenter.flow.SentinelFlowGate} is the only class that touches Sentinel's
 * {@code FlowRuleManager}, {@code ParamFlowRuleManager} and {@code SphU} for flow control (degradation
 * owns the {@code DegradeRuleManager}); it rebuilds all rules of the JVM from our
 * {@link io.membercenter.flow.FlowRules} when they change or a caller is first seen. Why Sentinel: it is
 * the one library here with both a per-resource QPS/thread limit and a per-parameter-value limit with
 * per-value exceptions ({@code ParamFlowRule}/{@code ParamFlowItem}), the same statistics pass the
 * breakers already use. Its hot-parameter module keeps counters in concurrentlinkedhashmap, which uses
 * {@code sun.misc.Unsafe}: the JVM must run with {@code --sun-misc-unsafe-memory-access=allow} (the test
 * JVM and {@code ./mc} do); under {@code deny} it silently lets every call through, which the hot-key
 * tests would show as no 429 at all.
 *
 * <h2>Rules at run time</h2>
 * {@code GET/PUT /admin/flow-rules} (degradation's controller) carries a {@code flow} section next to
 * {@code degradation}; {@link io.membercenter.flow.FlowControl} shows it and checks a replacement
 * ({@code FlowRulesJson}: every bad field named, e.g. {@code flow.classes.MARKETING.hotKey.requestsPerSecond})
 * which is applied at once, only if the whole PUT is valid. <b>Later parts of issue 13 go here</b>:
 * versioned rules persisted in a store and applied on every instance within 1 s with a change log
 * (in {@code FlowControl.prepare}'s apply step, the one place a rule set takes effect); global caps per
 * traffic class across instances (Sentinel's cluster flow control or a store-backed counter, falling back
 * to a local share of the cap) and system protection ({@code "rule": "global"} and {@code "system"}) as
 * further checks in {@code SentinelFlowGate.enter}, after the caller rule; callers and their own limits
 * from the caller registry instead of configuration.
 *
 * <h2>Invariants and the tests that prove them</h2>
 * {@code FlowControlTest} (on the real service): a per-caller limit set low through the rules endpoint
 * blocks with {@code "rule": "caller"} and is lifted by restoring the rules; a hot key by path and inside
 * a batch-get body is blocked with {@code "rule": "hot-key"}; a key excepted as unlimited is never blocked
 * and one with its own limit is blocked at that limit; ORDER is not hot-key limited; the 429 carries
 * problem+json, {@code Retry-After} and the rule; blocks are counted in the metrics by caller, rule and
 * traffic class; a bad flow rule is a 400 naming the field and changes nothing; several threads
 * hammering one key get no more 200s than the limit allows in the time they ran.
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.flow.FlowControl} only: the rules endpoint shows and replaces the flow section
 * through it. The filter, the Sentinel gate, the rules and their JSON, the properties are package-private.
 */
@ApplicationModule(allowedDependencies = {"api", "traffic"})
package io.membercenter.flow;

import org.springframework.modulith.ApplicationModule;
