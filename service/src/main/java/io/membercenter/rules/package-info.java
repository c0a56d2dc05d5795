/**
 * Run-time rules, versioned: {@code GET/PUT /admin/flow-rules} and {@code GET /admin/flow-rules/history} (issue
 * 13, part 3). One document carries every kind of rule — {@code degradation} (breakers, checked and applied by
 * {@code degradation.DegradationRules}) and {@code flow} (flow control, {@code flow.FlowControl}) — so a change
 * touching both is checked, versioned and applied as one.
 *
 * <h2>A change</h2>
 * <ol>
 *   <li>checked whole: an unknown section, dependency or field, a value of the wrong type or out of range is a
 *       {@code 400} naming every bad field, and nothing changes anywhere;</li>
 *   <li>written as the next version of {@code flow_rule_version} ({@code V6__flow_rule_versions.sql}, control
 *       database): the whole document in force after it, who ({@code changedBy}: the admin caller's name),
 *       when, and the diff ({@code [{"path", "from", "to"}]}). It is built on the newest persisted document
 *       under that row's lock, so changes made at once on two instances are two versions, none lost. If the
 *       database cannot take it, the answer is a {@code 503} and nothing changed;</li>
 *   <li>applied on this instance at once, and on every other within one poll (250 ms,
 *       {@code member-center.flow-rules.poll}): each polls the newest version number on its local copy and
 *       applies a newer document whole.</li>
 * </ol>
 * At start, the newest document is applied after every store adapter has registered its breaker and before the
 * web server serves ({@code RulesConfiguration.ruleBookStart}): rules survive a restart. Rules for a dependency
 * an instance lacks are left out there; a dependency the document lacks keeps its configured rule. With nothing
 * persisted, configuration is in force and {@code GET} shows {@code "version": 0}.
 *
 * <h2>Invariants and the tests that prove them</h2>
 * {@code RuleVersionsTest}: a PUT on A is version n+1 with who, when and diff in the history, in force on the
 * instance in B within 1 s, and in force after a restart of B; a bad PUT changes neither the rules nor the
 * version. {@code FlowRulesApiTest} and {@code FlowControlTest} keep the endpoint's earlier contract.
 *
 * <h2>Public types</h2>
 * None: HTTP only.
 */
@ApplicationModule(allowedDependencies = {"api", "degradation", "flow", "shard", "traffic"})
package io.membercenter.rules;

import org.springframework.modulith.ApplicationModule;
