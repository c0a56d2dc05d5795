/**
 * The caller registry: who may call member-center, with which scopes, in which traffic class, under which
 * flow-control quota — in the database instead of configuration, changeable at run time, and in force on
 * every instance within a second (issue 13, part 4).
 *
 * <h2>What is stored</h2>
 * Tables {@code caller}, {@code caller_key} and {@code caller_registry_version} ({@code V5__caller_registry.sql})
 * in the control database, the first physical database (the schema has one migration path, so the tables exist
 * in every physical database; only the first holds rows). A caller has a name, a traffic class (null for an
 * admin-only caller, which authenticates as DEFAULT), scopes, and optionally its own quota (the shape of a
 * quota of {@code /admin/flow-rules}, checked by {@code flow.FlowControl}; a quota in the rules' {@code callers}
 * section still wins, as the operator's override during an incident). A key is stored only as its SHA-256.
 *
 * <h2>Why an unsalted SHA-256 and not a salted, slow hash</h2>
 * Slow salted hashes protect low-entropy secrets (passwords) against guessing after a leak of the table. Our
 * keys are 256 random bits ({@code CallersController.newKey}): no guessing succeeds, salted or not. An unsalted
 * hash lets authentication find the caller by one map lookup on the key's hash; a salt per key would need a
 * trial per caller, and a slow hash would cost milliseconds on every request. The demo keys of the local profile
 * are guessable on purpose — they are printed in the README — and exist only there.
 *
 * <h2>Keys, rotation, revocation</h2>
 * At most two live keys per caller: {@code PATCH {"rotateKey": true}} adds the second (the answer shows it once,
 * as {@code "key"}); the caller's clients move to it; {@code PATCH {"revokeKey": "<id>"}} revokes the old one. A
 * third live key is refused (400 on {@code rotateKey}); the check runs under the row lock of
 * {@code caller_registry_version}, which every change takes first, so concurrent rotations cannot both pass.
 * Revoked keys stay listed (with {@code revokedAt}) for the audit trail; they never authenticate again.
 *
 * <h2>In force on every instance within 1 s</h2>
 * Authentication never calls a store: {@link io.membercenter.traffic.CallerDirectory} is answered by
 * {@code CallerSnapshot}, an immutable map replaced whole. Every change bumps {@code caller_registry_version} in
 * its own transaction; each instance polls that one row every 250 ms ({@code member-center.callers.poll}) on
 * its local copy (B reads its replica, falling back to the master) and reloads the registry when it moved. The
 * instance that made the change reloads at once. Why a poll and not an event: see {@code CallerSnapshot}.
 *
 * <h2>Seeds</h2>
 * {@code member-center.traffic.callers} (key hashes only) seeds callers that do not exist yet: the local profile
 * seeds the README's demo callers; a deployment seeds its first admin the same way. No key is compiled in.
 *
 * <h2>Access audit</h2>
 * {@code AccessAuditFilter} (after authentication, around flow control, so it sees 429s too) records every
 * answered {@code /v1} request of a caller in {@code AccessAudit}: reads and writes by endpoint pattern, answers
 * that carried raw mobiles or e-mails (2xx member answers to a caller with {@code pii:read}), 404s and 429s, on
 * {@code GET /admin/callers/{name}/usage} (this instance's counts since it started) and as metrics
 * {@code caller_requests_total{caller, kind, endpoint, outcome}}, {@code caller_pii_returned_total{caller}},
 * {@code caller_distinct_members{caller}}, {@code caller_flagged{caller, reason}}. Per minute it estimates how
 * many distinct members or identifiers a caller asked for (a HyperLogLog of salted hashes, {@code DistinctCounter}:
 * the keys themselves are personal data and are never kept) and its 404 share; over either threshold
 * ({@code member-center.callers.audit.*}: 1,000 distinct a minute, more than half 404s of at least 100 requests)
 * the caller is flagged ({@code many-distinct-members}, {@code high-not-found-share}) for this and the next minute.
 *
 * <h2>Invariants and the tests that prove them</h2>
 * {@code CallerRegistryTest} (the real service and a second instance in data center B): a created caller's key
 * works at once; rotation leaves both keys live, then the revoked old key is a 401 on both instances within 1 s
 * (measured); a scope or class change is applied; bad input is a 400 naming the field and changes nothing;
 * keys are shown once and then only as hashes. {@code AccessAuditTest}: a known sequence of requests is counted
 * exactly in the usage and the metrics; an enumerating caller is flagged, a steady one is not.
 *
 * <h2>Public types</h2>
 * None: the registry serves authentication through {@code traffic.CallerDirectory}, and the admin API over HTTP.
 */
@ApplicationModule(allowedDependencies = {"api", "flow", "shard", "traffic"})
package io.membercenter.callers;

import org.springframework.modulith.ApplicationModule;
