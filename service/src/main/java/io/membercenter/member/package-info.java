/**
 * The member API and the member store, including the protocol that keeps every identifier owned by
 * at most one member across shards.
 *
 * <h2>Why a protocol</h2>
 * A member lives in the shard of its id; each of its identifiers (mobile, e-mail, each third-party
 * identity) has an owner entry in the shard of the identifier's own hash, so a lookup touches one
 * shard. A create or an identifier change therefore writes several shards, often several physical
 * databases, with no distributed transaction. The protocol below makes the member row the single
 * commit point and the owner entries claims around it.
 *
 * <h2>Where each part lives</h2>
 * <ul>
 *   <li>{@link io.membercenter.member.MemberWrites}: create and change — pending row, claims (and, for
 *       a change, the reclaim of every entry it removes), the one commit statement, confirm, release — and
 *       why {@code version} grows by exactly one per change.</li>
 *   <li>{@link io.membercenter.member.IdentifierClaims}: claiming an identifier, the race the
 *       owner table's primary key decides, reclaiming a removed one's entry, confirm/release/undo by token,
 *       and settling a stale claim (fence the member, then let its row decide).</li>
 *   <li>{@link io.membercenter.member.PostCommitSteps}: what a committed write does before it is
 *       acknowledged (cache invalidation in both data centers, the local replica wait).</li>
 *   <li>{@link io.membercenter.member.ClaimSweeper}: what a crash leaves behind and how the sweeper
 *       finishes it.</li>
 *   <li>{@link io.membercenter.member.MemberStore}: reads, which trust only the member row;
 *       {@link io.membercenter.member.MemberScans}: full scans for a search rebuild.</li>
 *   <li>{@link io.membercenter.member.MemberRows} and {@link io.membercenter.member.OwnerEntries}:
 *       the two tables' rows; {@link io.membercenter.member.Lifecycle} and
 *       {@link io.membercenter.member.ClaimState}: the states a row and an entry can be in.</li>
 * </ul>
 *
 * <h2>Where a read is answered, and when it says it may be stale</h2>
 * By id ({@link io.membercenter.member.MemberLookups}): the local data center's Redis, then the other's (both
 * get every invalidation before a write is acknowledged, so neither answer is stale), then MySQL — the local
 * copy, the master, the other data center's replica ({@code X-Member-Stale: true}: it may lag) — and, when no
 * copy of the member's shard can answer, the member's search document (verified by id, {@code X-Member-Stale:
 * true}, never written back). By identifier: the cache, then search when it is provably fresh (not stale), then
 * MySQL as above, then any reachable cluster's document (stale). By ids (batch-get): the by-id chain per physical
 * database — one MGET, one query per database through its copies, and for a database no copy can answer one
 * multi-get per cluster (verified by id, stale, never written back); the other databases' members are kept.
 * Search's "not found" is never an answer when MySQL failed (search may not have indexed the member yet): that
 * read — or the batch naming it — is MySQL's 503, never "missing". Each store is skipped at
 * once while its breaker is open, and search's reads on the request path wait at most {@code read-timeout}
 * ({@code MysqlOutageSearchReadsTest}, {@code DependencyOutageTest}, {@code MasterBreakerTest}).
 *
 * <h2>Invariants, and the tests that prove them</h2>
 * <ul>
 *   <li>No identifier has two owners ({@code IdentifierClaims}; {@code MemberConcurrencyTest}: 50
 *       rounds of 16 threads creating with one mobile and binding one identity).</li>
 *   <li>Reads trust only the member row, so a stale entry can cause a 404, never another member's
 *       data ({@code MemberStore}).</li>
 *   <li>Crash between the writes of a create: the identifier is free again after the sweep and no
 *       half-member is visible ({@code ClaimSweeper}; {@code MemberCrashRecoveryTest}).</li>
 *   <li>Crash between the writes of a change (unbind, mobile or e-mail change or removal, an import's replace —
 *       every change goes through {@code MemberWrites.update}; there is no member delete): a change reclaims each
 *       owner entry it removes ({@code CONFIRMED -> CLAIMED} under its token) before its commit, so whatever a crash
 *       cuts off, every entry it touched is a claim, and the sweeper fences the member and lets the row decide —
 *       removed and committed: the entry is deleted and the identifier free; not committed: the entry is confirmed
 *       back to the member. So no crash leaves a settled entry for a member that does not hold it
 *       ({@code MemberCrashRecoveryTest}: crashes right after the commit ({@code change.after-commit}) and at the
 *       release ({@code after-commit.release}) for an unbind and a mobile change — the identifier is claimable by
 *       another member after the sweep, the row is as committed, the audit finds 0 anomalies for either member;
 *       crashes before the commit ({@code change.after-claims}) — the identifier stays the member's, another member
 *       waiting on the claim loses, 0 anomalies; {@code governance.CrashStormTest}: 0 anomalies after five
 *       SIGKILLs under 16 threads).</li>
 *   <li>What it costs: before the commit, one statement per physical database holding a removed entry (an unbind
 *       or a mobile or e-mail change removes one identifier: one statement; a PATCH of both mobile and e-mail, two
 *       or one); after the commit, the release is as many (one {@code DELETE} by token each, where it was a read of
 *       the entry, a read of the member row and a delete per identifier); a commit that fails puts them back with as
 *       many. An entry the one statement does not take (another operation of the member holds it claimed) is read
 *       and waited for like any claim, and a change still blocked after {@code claim-wait} answers 503 with
 *       {@code Retry-After} having put back what it took.</li>
 *   <li>{@code version} grows by exactly one per committed change, in the same statement as the
 *       change; a change that changes nothing commits nothing ({@code MemberWrites}).</li>
 * </ul>
 *
 * <h2>Abuse limits ({@link io.membercenter.member.AbuseLimits}, issue 16 part 3)</h2>
 * Takeover and abuse patterns are refused on the write path, before any claim: an identity bound to more than
 * {@code identity-members} distinct members within {@code identity-window} (409 {@code identity-rebound}, since only
 * a review answers a takeover), a member committing more than {@code identifier-changes} identifier changes per
 * {@code identifier-window} (429 {@code identifier-churn}, {@code Retry-After}), a caller making more than
 * {@code binds-per-caller} binds per {@code bind-window} (429 {@code bind-velocity}, {@code Retry-After}); each
 * problem names {@code rule}, {@code limit} and {@code window}. The counts are in the home database (V10), shared by
 * every instance, raised only below the limit in one statement (the identity rule under the identity's row lock),
 * so races never pass a limit; a write that does not commit gives its slot back (a crash in between keeps it: a
 * limit can only get stricter). Each refusal is counted ({@code member_abuse_refused_total{rule}}) and flagged
 * through {@code governance.AbuseFlags} as an open anomaly with masked evidence. Configuration only: the flow-rules
 * machinery versions flow control's rules, and these limits guard accounts, not capacity. Imports
 * ({@link io.membercenter.member.MemberImport}) are not counted: they carry the legacy store's history.
 * <ul>
 *   <li>Each limit refuses beyond its value with its status and body, changes nothing, holds on the other instance,
 *       and is listed as an anomaly ({@code AbuseLimitsTest}: {@code anIdentityBoundToThreeMembers...},
 *       {@code aMembersSixthIdentifierChange...}, {@code aCallersBindsBeyondItsVelocity...}).</li>
 *   <li>16 threads on two instances rebinding one identity never bind it to more distinct members than the limit
 *       ({@code AbuseLimitsTest#sixteenThreadsRebindingOneIdentityNeverBindItToMoreMembersThanTheLimit}).</li>
 *   <li>A limit below 1 or a window outside 1 s to 30 d stops the start naming the setting
 *       ({@code AbusePropertiesTest}).</li>
 * </ul>
 * <h2>Merges ({@link io.membercenter.member.MemberMerge}, issue 16 part 4)</h2>
 * Two members who are one person become one: the merged member's identifiers pass to the survivor through the claim
 * protocol, and the merged member is closed — lifecycle {@link io.membercenter.member.Lifecycle#MERGED} (never read,
 * so every read of it answers 404; never purged), {@code merged_into} (V11), status CLOSED, no identifiers. The steps:
 * an intent record in the home database ({@link io.membercenter.member.MergeRecords}: token, plan, lease); the merged
 * member's entries taken as this merge's claims (still naming it); the merged row closed in one statement at the
 * version and fence read (version + 1, its change in the outbox); the claims handed over to the survivor (same token,
 * aged from now) and the survivor committed at its version and fence (every identity; the mobile and the e-mail only
 * when it has none of that kind, else released; version + 1); confirm, release, finish the record. The merged row
 * loses the identifiers before the survivor's gains them, so at no moment do two rows hold one identifier, and every
 * crash point leaves claims the {@link io.membercenter.member.ClaimSweeper} settles by the usual rule (the member row
 * decides): before the close they roll forward to the still-LIVE merged member, after it they are deleted (no LIVE row
 * holds them), after the survivor's commit they are confirmed. A retry of the same pair (after the lease, a claim's
 * TTL) finishes a stopped merge, claiming afresh what the sweeper freed ("lost" if another member took it). A merge
 * raced by a change of the merged member re-plans at its new version; a survivor merged away meanwhile hands over to
 * its own survivor. Merges are not counted by the abuse limits (an operator's decision, recorded with its reason).
 * Governance calls it through {@code governance.MemberMerges}, an interface governance declares and this package
 * implements (the only direction the module graph allows). Tests: {@code MemberMergeTest} (governance), including ten
 * threads merging and binding one pair's identities at once.
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.member.Member} (the value; the bench builds members to load),
 * {@link io.membercenter.member.MemberBulkLoad} (the bench's door: a million members without the API),
 * {@link io.membercenter.member.MemberImport} (the migration's door: members from the legacy store, one by one
 * through the claim protocol, under their legacy ids, validated by the API's rules),
 * {@link io.membercenter.member.MemberReadRoute} (the migration's door into reads by id: its gray read switch
 * answers a share of them from the legacy store; member-center's store is read first in every case, and without
 * a migration the route is absent) and
 * {@link io.membercenter.member.SearchRebuild} (the console's door: rebuild a search cluster from
 * MySQL). Five because each has a different user outside; the API, the store, the claim protocol,
 * the sweeper and the lookups are package-private.
 */
@ApplicationModule(allowedDependencies = {"api", "cache", "governance", "replication", "search", "shard", "traffic"})
package io.membercenter.member;

import org.springframework.modulith.ApplicationModule;
