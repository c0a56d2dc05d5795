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
 * <h2>Claim, commit, confirm</h2>
 * <ol>
 *   <li><b>Create</b> first inserts the member row as {@code PENDING} (invisible to every read).</li>
 *   <li><b>Claim</b>: for each identifier the operation adds, insert an owner entry
 *       {@code (identifier -> memberId, CLAIMED, token)}. The primary key decides races: exactly one
 *       insert wins. A loser finds the entry and waits (up to {@code claim-wait}) for it to settle;
 *       if it settles to another member that really holds the identifier, the loser answers 409.</li>
 *   <li><b>Commit</b>: one statement on the member row — {@code PENDING -> LIVE} for a create,
 *       the new fields with {@code version = version + 1} for a change — guarded by the version and
 *       the {@code fence} read before claiming. Before this point nothing is visible; after it, the
 *       change is durable and is what every read returns.</li>
 *   <li><b>Confirm</b> the claims ({@code CLAIMED -> CONFIRMED}, matched by token), then delete the
 *       entries of identifiers the change removed (again matched by the token read, so an entry
 *       another operation took over meanwhile is left alone).</li>
 * </ol>
 * On a conflict or an error before the commit, the operation deletes its own claims (by token) and
 * aborts its pending row; nothing it wrote remains visible.
 *
 * <h2>Crashes and the sweeper</h2>
 * A crash can leave a claim unconfirmed or a row pending. A claim older than {@code claim-ttl} is
 * swept (by the sweeper every {@code sweep-interval}, or at once by a request that needs the
 * identifier): the sweeper first <em>fences</em> the member (a transaction that bumps its
 * {@code fence} and aborts it if still pending), so the crashed operation — should it be merely
 * slow — can no longer commit; then it reads the member row, which is now final: if the member is
 * live and holds the identifier the claim is confirmed (roll forward), otherwise it is deleted
 * (roll back). So an identifier is never blocked longer than {@code claim-ttl} plus one sweep, and a
 * half-created member is never visible (a pending row is never read, and is aborted).
 *
 * <h2>Invariants, and the tests that prove them</h2>
 * <ul>
 *   <li>No identifier has two owners: the owner table's primary key, plus the rule that an entry is
 *       deleted only by token after the member row says it is not held ({@code MemberConcurrencyTest}:
 *       50 rounds of 16 threads creating with one mobile and binding one identity).</li>
 *   <li>Reads trust only the member row: a lookup follows the owner entry and then checks that the
 *       member it points to is live and holds the identifier, so a stale entry can cause a 404,
 *       never another member's data.</li>
 *   <li>Crash between the writes of a create: the identifier is free again after the sweep and no
 *       half-member is visible ({@code MemberCrashRecoveryTest}).</li>
 *   <li>{@code version} grows by exactly one per committed change, in the same statement as the
 *       change; a change that changes nothing commits nothing.</li>
 * </ul>
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.member.Member} (the value; the bench builds members to load),
 * {@link io.membercenter.member.MemberBulkLoad} (the bench's door: a million members without the API) and
 * {@link io.membercenter.member.SearchRebuild} (the console's door: rebuild a search cluster from
 * MySQL). Three because each has a different user outside; the API, the store, the claim protocol,
 * the sweeper and the lookups are package-private.
 */
@ApplicationModule(allowedDependencies = {"api", "cache", "replication", "search", "shard", "traffic"})
package io.membercenter.member;

import org.springframework.modulith.ApplicationModule;
