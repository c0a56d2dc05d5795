/**
 * Governance of member relationships: an audit that checks the claim protocol's invariants over every
 * logical shard, the anomalies it finds (stored, with evidence), the one repair that is provably safe, and a
 * review queue and an audit trail for everything else.
 *
 * <h2>Why an audit, when the protocol prevents anomalies</h2>
 * The claim protocol ({@code io.membercenter.member}) keeps every identifier owned by at most one member by
 * construction. Nothing checked that it does: a bug, a hand-made fix in a database, or a migration's rows
 * can break it silently, and a broken ownership is one person's account reachable by another. The audit
 * reads the two tables of the protocol raw ({@link io.membercenter.governance.RelationshipRows}, SQL of its
 * own, sharing only the schema with the code it checks) and compares them.
 *
 * <h2>What it finds ({@link io.membercenter.governance.AnomalyType})</h2>
 * <ul>
 *   <li>{@code DOUBLE_OWNER}: two LIVE members hold one identifier (the owner table's key allows one entry,
 *       so the second holder is found from its member row: its entry names the other, who holds it too; or,
 *       when the entry names neither, as two {@code HELD_NOT_OWNED} findings of one run about one identifier,
 *       matched by the identifier's hash);</li>
 *   <li>{@code ORPHAN_ENTRY}: a settled entry whose member's row does not hold the identifier, or is gone;</li>
 *   <li>{@code HELD_NOT_OWNED}: a LIVE member holds an identifier whose entry is missing or names someone
 *       else who does not hold it;</li>
 *   <li>{@code DANGLING_CLAIM}: a claim older than the sweeper's window ({@code sweeper-window}, validated
 *       longer than {@code claim-ttl} plus two sweep intervals);</li>
 *   <li>{@code BOUND_TO_NON_LIVE_MEMBER}: a settled entry of a PENDING or ABORTED member whose row holds it.</li>
 * </ul>
 * Each check works on a chunk of rows, on the master (a replica behind it would show anomalies that are not
 * there), and reports a suspicion only when a second read shows the same rows — the member at the same
 * version, the entry with the same token — so an operation in flight between two reads is not an anomaly
 * ({@link io.membercenter.governance.RelationshipChecks}).
 *
 * <h2>Incremental, resumable, throttled, out of ORDER's way</h2>
 * A run visits the 1024 logical shards, each in two phases (member rows by id, then owner entries by key),
 * in chunks of {@code chunk-size}; after every chunk the shard's cursor is written to
 * {@code governance_audit_cursor}, so a run continues where it stopped, in any instance, after any crash
 * ({@link io.membercenter.governance.RelationshipAudit}, {@link io.membercenter.governance.AuditLedger}). The
 * work is done in steps: {@code POST /admin/governance/audit} runs one step of at most {@code step-budget}
 * (validated below the request deadline) on the request's own thread, under {@code rows-per-second} and
 * {@code pause-between-chunks} ({@link io.membercenter.governance.Throttle}). Running inside the admin's
 * request is what puts every statement through the master's breaker <em>and</em> the admin caller's
 * (DEFAULT-class) share of each pool: background threads carry no traffic class, and the degradation
 * package gives no way to lend them one, so a background audit would draw from the whole pool, which is
 * ORDER's. One statement at a time, so an audit holds at most one connection of a pool. A run's lease
 * ({@code lease_until}) keeps two steps of one run from working at once (409, {@code Retry-After}).
 * {@code ./mc audit} steps a run to its end with a progress bar.
 *
 * <h2>Anomalies, repair, review, trail</h2>
 * An anomaly ({@code governance_anomaly}, in the home database: the one holding shard 0, since findings span
 * shards) has a type, member ids, evidence (the rows with ids, versions, states and times; identifiers masked
 * as {@link io.membercenter.replication.IdentifierKey} masks them), first and last seen, and a status: open,
 * review, resolved, ignored. Seen again, it is the same row (a fingerprint of type, identifier and members);
 * ignored stays ignored; seen again after it was resolved, it is a new anomaly. A complete run resolves the
 * open and review anomalies it did not see again (the sweeper or an operator fixed the rows).
 * {@link io.membercenter.governance.RepairPolicy} repairs one type by itself — an orphan older than the
 * sweeper's window, deleted as read (same member, state and token): the step the protocol itself takes when a
 * claim meets such an entry — and sends the rest to review. Every status change and every repair is written
 * with its trail row ({@code governance_action}: who, when, what, before, after) in one transaction
 * ({@link io.membercenter.governance.Anomalies}). A merge workflow for two members who are one person is not
 * built.
 *
 * <h2>Invariants, and the tests that prove them ({@code RelationshipAuditTest})</h2>
 * <ul>
 *   <li>Every injected anomaly of every type is found, with its type and exactly its members
 *       ({@code everyInjectedAnomalyIsFoundWithItsTypeAndMembersAndOnlyTheSafeRepairIsMade}).</li>
 *   <li>The safe repair deletes exactly the old orphan; a young orphan, the double owner's entry, the
 *       non-live binding and the unowned row are left as they were, waiting (same test).</li>
 *   <li>A population built through the API (200 members, bindings, unbindings, mobile changes) has no anomaly
 *       ({@code aPopulationBuiltThroughTheApiHasNoAnomaly}).</li>
 *   <li>A run stopped midway continues from its cursors: the shards it finished are not read again, and it
 *       examines as many rows as an uninterrupted run ({@code aRunStoppedMidwayContinuesFromItsCursors}).</li>
 *   <li>An anomaly is closed once: resolve or ignore, then 409; unknown ids 404; each action in the trail;
 *       ignored stays ignored when seen again ({@code anOperatorResolvesOrIgnoresAnAnomalyOnce}).</li>
 *   <li>Bad filters are a 400 naming the field; only the admin key gets in
 *       ({@code badFiltersAreRefusedNamingTheFieldAndOnlyTheAdminKeyIsLetIn}).</li>
 * </ul>
 *
 * <h2>Public types</h2>
 * None: the admin API is the package's only surface. It uses {@code shard} (the pools, the shard map),
 * {@code replication} (identifiers and their masking), {@code api} (problem answers) and {@code traffic} (the
 * admin scope).
 */
@ApplicationModule(allowedDependencies = {"api", "replication", "shard", "traffic"})
package io.membercenter.governance;

import org.springframework.modulith.ApplicationModule;
