/**
 * Governance of member relationships: an audit that checks the claim protocol's invariants over every
 * logical shard, the anomalies it finds (stored, with evidence), the one repair that is provably safe, and a
 * review queue and an audit trail for everything else; and a consistency checker that measures, in nines per
 * store, how often the cache and search copies of a member disagree with MySQL after the replication window.
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
 * Three more types are not the audit's: {@code IDENTITY_REBOUND}, {@code IDENTIFIER_CHURN} and {@code BIND_VELOCITY}
 * are abuse patterns the member write path refused ({@code member.AbuseLimits}) and flagged through
 * {@link io.membercenter.governance.AbuseFlags}: open anomalies, one per subject (the identity's hash, the member,
 * the caller) and window, stored with run 0, so a complete audit run never resolves them (it did not look for them);
 * an operator resolves or ignores them as any other.
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
 * ORDER's. One statement at a time, so an audit holds at most one connection of a pool. The rows a chunk needs
 * from the other table (each member's owner entries, each entry's member) are read {@code IN_LIST} (500) at a time
 * per database and kind, a primary-key lookup each ({@link io.membercenter.governance.RelationshipRows}): one
 * statement per row cost a round trip per row examined and set the audit's pace far below the throttle (under a
 * hundred rows a second on the loaded reference machine). A run's lease
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
 * ({@link io.membercenter.governance.Anomalies}).
 *
 * <h2>Merges of two members who are one person</h2>
 * {@code POST /admin/governance/merges} {@code {"survivor", "merged", "reason", "anomalyId"?}} (admin key,
 * {@link io.membercenter.governance.MergeController}). The work is the claim protocol's, so it is the member
 * package's ({@code member.MemberMerge}); governance may not depend on member (member depends on governance, for
 * {@link io.membercenter.governance.AbuseFlags}), so the door is an interface declared here,
 * {@link io.membercenter.governance.MemberMerges}, which member implements: the dependency keeps pointing
 * member → governance and the graph stays acyclic. Governance adds what is its own: validation, the anomaly the merge
 * resolves and the trail row ({@code governance_action} with {@code merge_id}, one per merge, in the transaction that
 * resolves the anomaly). Everything that can be refused is refused before anything is written: a bad body is a 400
 * naming the field, an unknown member or anomaly a 404, a member that is not LIVE, the same id twice or a closed
 * anomaly a 409. The merged member's identities go to the survivor (every identity; its mobile and e-mail only where
 * the survivor has none — otherwise released: free for anyone, named in the record), the survivor's version + 1, the
 * merged member closed ({@code MERGED}, {@code merged_into}, status CLOSED, no identifiers, version + 1). Reads of the
 * merged id answer 404: ../shared/API.md's error list has 404 "no such member" and no 410, and a caller integrated
 * against the contract handles 404 already; who it went to is in the merge record. The record (V11
 * {@code member_merge}: pair, moved / released / lost masked, versions before and after, who, when, why) is listed by
 * {@code GET /admin/governance/merges?memberId=}. The same pair again answers 200 with the same record and moves
 * nothing (a stopped merge is finished by that retry); one request at a time per pair (409 {@code merge-in-progress},
 * {@code Retry-After}). A MERGED member's search document stays, CLOSED and without identifiers (the change contract
 * has no delete), so the consistency checker compares MERGED rows as the master holds them
 * ({@link io.membercenter.governance.ChangeSamples}).
 *
 * <h2>Quarantined legacy rows</h2>
 * Each row the migration quarantines is flagged at that moment through {@link io.membercenter.governance.LegacyQuarantine}
 * (migration may depend on governance; governance reads nothing of the migration): a {@code LEGACY_QUARANTINED}
 * anomaly in review, evidence the legacy key and the reason (field and rule; a conflicting identifier only masked),
 * one per legacy key (quarantined again: seen again), resolved by {@code migration} when the row is imported after
 * all, resolvable or ignorable by an operator like any other; run 0, so no audit run resolves it.
 *
 * <h2>Invariants, and the tests that prove them ({@code RelationshipAuditTest})</h2>
 * <ul>
 *   <li>Every injected anomaly of every type is found, with its type and exactly its members
 *       ({@code everyInjectedAnomalyIsFoundWithItsTypeAndMembersAndOnlyTheSafeRepairIsMade}).</li>
 *   <li>The safe repair deletes exactly the old orphan; a young orphan, the double owner's entry, the
 *       non-live binding and the unowned row are left as they were, waiting (same test).</li>
 *   <li>A population built through the API (200 members, bindings, unbindings, mobile changes) has no anomaly
 *       ({@code aPopulationBuiltThroughTheApiHasNoAnomaly}).</li>
 *   <li>A clean population of 100,000 members loaded in bulk (LIVE rows and their owner entries: mobile, e-mail, every
 *       second one a third-party identity) and 300 built through the API (binds, unbinds, mobile changes), audited
 *       whole, has no anomaly of any of the audit's types, and the run examined every member row and owner entry of
 *       the databases, the population's among them ({@code CleanPopulationAuditTest}; the population is deleted
 *       afterwards and never replicated, so later tests neither read nor wait for it).</li>
 *   <li>A run stopped midway continues from its cursors: the shards it finished are not read again, and it
 *       examines as many rows as an uninterrupted run ({@code aRunStoppedMidwayContinuesFromItsCursors}).</li>
 *   <li>An anomaly is closed once: resolve or ignore, then 409; unknown ids 404; each action in the trail;
 *       ignored stays ignored when seen again ({@code anOperatorResolvesOrIgnoresAnAnomalyOnce}).</li>
 *   <li>Bad filters are a 400 naming the field; only the admin key gets in
 *       ({@code badFiltersAreRefusedNamingTheFieldAndOnlyTheAdminKeyIsLetIn}).</li>
 *   <li>After a crash storm — the service, an OS process of its own on the shared topology, killed with SIGKILL
 *       five times in the middle of 16 threads' creates, binds, unbinds, mobile changes and e-mail changes and
 *       removals (some racing for one mobile or one identity) and restarted each time — once the claim sweepers
 *       have settled every claim and pending create the crashes left, every write it acknowledged is on the master
 *       (each created member LIVE; each member's mobile and e-mail what its last acknowledged change left, owned
 *       by it; each mobile or e-mail it surely gave up not owned by it; each pair whose last request was an
 *       acknowledged bind held and owned, each acknowledged unbind gone), and the audit finds 0 anomalies in the
 *       members the process wrote — issue 16's goal, met since a change reclaims the entries it removes before its
 *       commit, so a removal a crash cuts off between its commit and its release leaves a claim the sweeper
 *       settles by the member row, not an {@code ORPHAN_ENTRY} ({@code CrashStormTest};
 *       {@code member.MemberCrashRecoveryTest} for the single crash at each side of a change's commit).</li>
 *   <li>A merge moves the identities and closes the merged member: the survivor gains them at version + 1, the merged
 *       member answers 404 and its row is MERGED at version + 1, lookups by a moved identifier answer the survivor, a
 *       released mobile is free, the record and one trail row are written, the anomaly is resolved, and the same pair
 *       again answers the same record and moves nothing
 *       ({@code MemberMergeTest#aMergeMovesTheIdentitiesClosesTheMergedMemberAndARetryMovesNothingAgain}).</li>
 *   <li>Bad bodies are a 400 naming the field, unknown ids 404, non-LIVE or the same member 409, and none changes
 *       anything ({@code MemberMergeTest#badMergeRequestsAreRefusedNamingTheFieldAndChangeNothing}).</li>
 *   <li>Ten threads merging one pair and binding the same identities to both members and a third: one merge, no
 *       identifier held by two LIVE members, each held one owned by its holder, and the audit finds no anomaly
 *       ({@code MemberMergeTest#mergesRacingBindsOfTheSameIdentitiesNeverGiveAnIdentifierTwoOwners}).</li>
 *   <li>Every row a full sync quarantines is a {@code LEGACY_QUARANTINED} anomaly in review with its reason, no
 *       identifier in clear
 *       ({@code MigrationTest#refusedRowsAreQuarantinedWithTheirReasonAndNoIdentifierGetsTwoOwners}).</li>
 * </ul>
 *
 * <h2>Measured: {@code ./mc bench audit} (BENCHMARKS.md, section {@code audit})</h2>
 * The audit's rate over a whole population and its cost to a concurrent ORDER mix (p99 with and without it, in slices
 * taking turns in one run), and the checker's nines per store during the DEFAULT mix. On 100,000 members at the
 * default throttle (2,000 rows/s): 1,775 rows/s — the throttle's pace less each chunk's own work, which
 * {@link io.membercenter.governance.Throttle} adds on top of the rate — and no cost to ORDER's p99 above the run's
 * noise; 0 inconsistencies in 632 checks per store (2.8 nines, all such a sample can show). A million members at that
 * setting take about 33 minutes (extrapolated: the million-member run did not fit the session's window).
 *
 * <h2>Consistency checker (Polaris-style): what it measures</h2>
 * The claim protocol keeps MySQL right; the cache and the three search clusters are copies, and a copy that stays
 * wrong answers a read wrongly for as long as it lives. {@link io.membercenter.governance.ConsistencyChecker}
 * measures how often that happens, as Meta's Polaris does for its caches: it takes committed changes as they come
 * and, once each is older than the <em>replication window</em>, compares every store's copy of that member with the
 * master's row.
 * <ul>
 *   <li><b>Sample</b>: each physical database's {@code member_outbox}, by id after a cursor (one primary-key range
 *       of {@code chunk-size} rows a pass, {@link io.membercenter.governance.ChangeSamples}). Rows younger than the
 *       window stop the chunk (the cursor waits before them). A member changed several times in a chunk is checked
 *       once, against its latest change; of the chunk's members {@code members-per-pass} are picked uniformly at
 *       random and the rest counted ({@code consistency_skipped_total{reason="unsampled"}}): the cost is fixed however
 *       fast members change, and the ratio stays an unbiased estimate. Further behind than {@code max-lag} the
 *       checker jumps to the newest change ({@code reason="lag"}). The cursor lives in memory: an instance that
 *       starts begins at the newest change. Honest limits: a transaction that commits a row with a lower id after
 *       the cursor passed it (open longer than the window) is not sampled; reads are sampled only through the
 *       changes they follow (a cache entry written back long after its change is checked when the member changes
 *       again, not before).</li>
 *   <li><b>Window</b>: {@code replication-window}, validated longer than the cache's {@code marker-ttl} plus
 *       search's {@code refresh-interval} (a change is not expected anywhere before both); 30 s by default (a relay
 *       batch, Kafka and a bulk index under load), 4 s in tests.</li>
 *   <li><b>Compare</b> ({@link io.membercenter.governance.StoreComparison}), against the master's row read with SQL
 *       of its own (a missing or non-LIVE row: no store may hold the member): Redis A and Redis B, each trusted
 *       Redis, one MGET of the member entry and the identifier entries, as the cache writes them
 *       ({@code MemberCache.heldEverywhere}) — a missing entry is consistent (a cache may miss), a member entry must
 *       be the master's member at its version field for field, an identifier entry of a held identifier must name
 *       the member at its version, and one naming the member for an identifier it lost is stale; each search
 *       cluster, by real-time gets ({@code MemberSearch.indexedEverywhere}) — the member document and the lookup
 *       document of every held identifier must be there at the master's version, a lookup document of a lost
 *       identifier must be gone. The identifiers compared are the master's and the sampled change's (held and
 *       removed). A store that cannot be read (down, not trusted, being rebuilt) is not checked, not counted. A
 *       cluster that is not fresh (its indexer behind, as in a Kafka outage) is checked all the same: filtered search
 *       and the last-resort reads are served from it, so its stale copies are what those readers get. An unreadable
 *       cache entry is an inconsistency ({@code unreadable}); a search document the service cannot read fails the
 *       check instead ({@code reason="failed"}, logged): the strict mapping makes one all but impossible.</li>
 *   <li><b>In flight is never reported</b>: a member whose master version is above the sample's has changed again
 *       (the newer change is sampled in its turn); when a copy differs, the master is read again, and a version
 *       that moved between the two reads means the copy may be on its way: the check is dropped
 *       ({@code reason="changed"}), nothing is counted.</li>
 *   <li><b>Results</b> ({@link io.membercenter.governance.ConsistencyResults}): per store (its name, no PII)
 *       {@code consistency_checked_total{store}}, {@code consistency_inconsistent_total{store}} (a member counted once
 *       per store, inconsistent when any part differed) and the gauge {@code consistency_nines{store}} =
 *       {@code -log10(inconsistent / checked)}, capped at {@code log10(checked)} while none is inconsistent (what the
 *       sample can show; 0 before any check). {@code GET /admin/governance/consistency} (admin key) shows the same
 *       per store and the newest {@code recent-limit} inconsistencies: store, member, part (the member, or
 *       {@code identifier KIND:masked}), the fields that differ, what the store held and what MySQL holds
 *       (identifiers masked as {@link io.membercenter.replication.IdentifierKey} masks them, no nickname), and when.
 *       Each inconsistency is also logged ({@code event=consistency_inconsistent}, store, member id, part, fields).
 *       They are not written as anomalies: a stale copy has no repair to review (its member's next change, or the
 *       entry's TTL, replaces it), and a store that drifts would fill the review queue.</li>
 * </ul>
 *
 * <h2>Consistency checker: where it runs, and out of ORDER's way</h2>
 * In the background, on every instance, one pass at a time ({@link io.membercenter.governance.ConsistencySchedule},
 * a thread of its own: a pass sleeps to keep {@code members-per-second}, which on the shared scheduler would delay
 * the sweeper). Per instance rather than one leader: nothing to elect or fail over, and each instance's counts are
 * a valid sample on their own (the nines of a sum over instances are as valid); the price is that k instances check
 * the same changes k times, each within its own throttle. Every store call of a check is made as a DEFAULT-class
 * caller ({@code RequestScopes.runAs} of {@code degradation}): from DEFAULT's share of each pool, never ORDER's, and
 * no call after {@code check-deadline}. The audit gets the same by running inside the admin's request; background
 * work has no request, and unbound it would draw from the whole pool. One statement at a time: at most one
 * connection of a pool.
 *
 * <h2>Consistency checker: invariants, and the tests that prove them ({@code ConsistencyCheckerTest})</h2>
 * <ul>
 *   <li>A population written through the API (creates, renames, mobile changes, bindings, each read back so the cache
 *       holds it) has no inconsistency in any of the five stores
 *       ({@code aPopulationWrittenThroughTheApiHasNoInconsistencyInAnyStore}).</li>
 *   <li>A copy corrupted straight in one store — the member entry, then an identifier entry naming someone else, in
 *       Redis A and in Redis B; the member document, then a deleted lookup document, in each search cluster — is
 *       found, 10 of 10, in that store and part only, with its member, counted in each store's inconsistent total,
 *       and listed by the admin API without an identifier in clear
 *       ({@code aCopyCorruptedStraightInAnyStoreIsFoundInThatStoreWithItsMember}).</li>
 *   <li>A member changed between the master's read and the stores' (every store then newer than that read), or since
 *       the sample, is not reported ({@code aMemberThatChangesWhileItIsCheckedIsNotReported}).</li>
 *   <li>Background passes sample the changes written through the API and count every store; only the admin key
 *       reads the results ({@code ConsistencyCheckerBackgroundTest}: its own instance, since the shared test
 *       context runs no background passes — outage tests reason about who calls a store).</li>
 *   <li>A member is counted once per store, inconsistent only where its copy differed; nines are
 *       {@code -log10(inconsistent / checked)}, capped at {@code log10(checked)}; labels are store names and skip
 *       reasons only ({@code ConsistencyResultsTest}).</li>
 *   <li>A window not longer than {@code marker-ttl} plus {@code refresh-interval}, and settings that make no sense,
 *       stop the start naming the setting ({@code ConsistencyPropertiesTest}).</li>
 *   <li>{@code RequestScopes.runAs(DEFAULT, ...)} takes DEFAULT's share of a pool
 *       ({@code TrafficBulkheadTest#backgroundWorkRunAsAClassDrawsFromThatClassesShare}).</li>
 * </ul>
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.governance.AbuseFlags}, the member write path's door for flagging the abuse patterns it
 * refuses (the member package may use governance; governance uses nothing of member);
 * {@link io.membercenter.governance.MemberMerges}, the merge door member implements (above);
 * {@link io.membercenter.governance.LegacyQuarantine}, the migration's door for its quarantined rows. Otherwise the
 * admin API is the package's only surface. It uses {@code shard} (the pools, the shard map),
 * {@code replication} (identifiers and their masking, the change contract), {@code api} (problem answers),
 * {@code traffic} (the admin scope and the traffic classes), and for the consistency checker the doors of
 * {@code cache} ({@code MemberCache.heldEverywhere}), {@code search} ({@code MemberSearch.indexedEverywhere}) and
 * {@code degradation} ({@code RequestScopes.runAs}).
 */
@ApplicationModule(allowedDependencies = {"api", "cache", "degradation", "replication", "search", "shard", "traffic"})
package io.membercenter.governance;

import org.springframework.modulith.ApplicationModule;
