/**
 * The migration from the legacy member database into the sharded store, in steps an operator runs
 * ({@code POST /admin/migration/{step}}, {@code ./mc migrate <step>}) and watches ({@code GET /admin/migration}).
 *
 * <h2>The legacy side, behind one interface</h2>
 * {@link io.membercenter.migration.LegacySource} is everything the migration asks of the old store: rows in key
 * ranges, a change stream with positions it acknowledges, writes. {@code PostgresLegacySource} is the one built
 * (the topology's own PostgreSQL, {@code legacy-pg}); a SQL Server source would be another implementation reading
 * its CDC tables. {@code LegacyMapping} is the schema mapping (the wide {@code t_user_info} and its side table
 * {@code t_user_bind} onto member-center's member), the one place that knows legacy columns and forms.
 * {@code LegacyPopulation} loads a population with COPY (a million members for the bench; a few hundred in
 * tests); {@code LegacyWriter} plays the old system's callers, inserting and changing members while the
 * migration runs.
 *
 * <h2>Steps and their order</h2>
 * {@code load}, {@code writer-start}/{@code writer-stop} (the local legacy store only), {@code full-sync},
 * {@code incremental-sync}, {@code verify}, {@code dual-write-start}/{@code dual-write-stop},
 * {@code gray-reads?percent=&callers=}, {@code cutover}, {@code rollback}, {@code finish}, {@code reset}. A full
 * sync begins the change capture before it reads its first row; incremental sync, verify and the dual write run
 * only once the full sync is done; the gray reads only with the dual write on; the cutover only with the dual write
 * on, owing nothing, and the legacy writer stopped; the finish only after the cutover; a rollback from any phase but
 * FINISHED. A step out of order is a 409 that changes nothing. Each step works for at most {@code step-budget}
 * under one lease in the home database ({@code migration_run}, V8 and V9), answers 202 while it has more to do
 * and 200 when done.
 *
 * <h2>The way back: dual write, gray reads, cutover, rollback</h2>
 * {@code DualWrite} reads member-center's change stream (the outbox's Kafka topic, a consumer group per switch-on)
 * and writes each committed member back through {@link io.membercenter.migration.LegacySource#writeBack}, mapped
 * by {@code LegacyMapping#toLegacy}; what it cannot write after a retry goes to the failure log
 * ({@code migration_dual_write_failure}, V9), which a repair job pays once a second from the member's current
 * state. Since the stream holds every committed change, a member write is acknowledged whatever the legacy store's
 * state, and none is lost while it is down. A write-back is skipped when the row holds that version or a newer one,
 * or already maps to the member; a row written back is marked ({@code ext_2 = 'mc:' || last_mod_time}) and the
 * incremental sync skips marked rows: no change loops. {@code GrayReads} is the member API's
 * {@code MemberReadRoute} (the member package's door into reads by id): the share of ids and the chosen callers
 * are answered from member-center and compared with the legacy store off the request path (a difference is
 * compared again a second later, so a write on its way is not a finding), the others from the legacy store — but
 * only a legacy row that matches member-center's member: member-center is written first and the dual write is
 * asynchronous, so a differing legacy row may be behind a write member-center acknowledged; serving it would break
 * the consistency promise, so member-center answers and the difference is compared and listed. The
 * cutover sends every read to member-center and keeps the dual write; a rollback waits until the dual write has
 * applied every change committed before it was asked for ({@code ReplicationProgress#appliedBefore}) and owes
 * nothing, then switches the dual write and the gray reads off (CUTOVER goes back to INCREMENTAL); the finish stops
 * the dual write and drops the change capture.
 *
 * <h2>Invariants, and the tests that prove them</h2>
 * <ul>
 *   <li>Every legacy row ends as exactly one member (id = legacy key) or one quarantine entry with its reason,
 *       never dropped, and no identifier gets two owners: members are created through the claim protocol
 *       ({@code MemberImport}) ({@code MigrationTest#refusedRowsAreQuarantinedWithTheirReasonAndNoIdentifierGetsTwoOwners}).</li>
 *   <li>A chunk is imported by {@code import-threads} threads with the one-thread outcome: rows sharing an
 *       identifier are imported in key order on one thread, so of two legacy rows with one mobile the lower key
 *       owns it; no group starts after the step's deadline; a failed import is thrown only once the others
 *       ended, and the cursor covers only the handled rows from the chunk's start ({@code ChunkImportTest}; the
 *       quarantine test above runs with four threads). The threads carry the operator's request scope
 *       ({@code io.membercenter.degradation.RequestScopes}), so they draw from the DEFAULT share of each pool,
 *       never ORDER's.</li>
 *   <li>A full sync that dies mid-chunk resumes from its saved cursor with no member lost and none created twice
 *       ({@code MigrationTest#crashInTheMiddleOfTheFullSyncResumesWithNoLossAndNoDuplicate}).</li>
 *   <li>A service killed with SIGKILL (a process of its own, {@code support.ServiceProcess}) while an
 *       incremental-sync step applies a backlog of the legacy writer's changes, the writer running on throughout:
 *       the killed step acknowledged nothing, and after the restart the sync goes on from the last acknowledged
 *       position; verify finds 0 mismatches, every legacy row is one member or quarantined, and no member's version
 *       rose by more than the legacy transactions that touched its row (counted from a logical slot of the test's
 *       own): no change lost, none applied twice
 *       ({@code MigrationTest#killingTheServiceInTheMiddleOfTheIncrementalSyncResumesWithNoLossAndNoChangeAppliedTwice}).</li>
 *   <li>Full sync, then incremental sync, with the legacy writer running throughout: verify finds 0 mismatches;
 *       a member corrupted afterwards is listed by id with the differing field
 *       ({@code MigrationTest#fullAndIncrementalSyncWithTheLegacyWriterRunningVerifyWithZeroMismatches},
 *       {@code MigrationTest#verifyListsACorruptedAndAMissingMemberByIdWithTheDifferingFields}).</li>
 *   <li>With the dual write on, member-center's acknowledged writes reach the legacy store; with the legacy
 *       store stopped they are still acknowledged, logged as owed, and repaired once it is back; the incremental
 *       sync then sees the write-backs and changes no member (no loop), and verify finds 0 mismatches
 *       ({@code MigrationTest#dualWriteSendsAcknowledgedWritesToTheLegacyStoreAndRepairsThoseMadeWhileItWasDown}).</li>
 *   <li>Gray reads at 10 %, 50 % and 100 %: exactly the ids in the share are answered by member-center and compared,
 *       the others by the legacy store, no new mismatch in steady state; at each of the three a legacy row in the
 *       share corrupted by hand is listed with the differing field; a differing legacy row is never served, even outside the share (member-center
 *       answers, the difference is listed); a chosen caller's reads go to member-center
 *       ({@code MigrationTest#grayReadsServeTheirShareFromMemberCenterComparedWithTheLegacyStoreAndFindACorruptedLegacyRow}).</li>
 *   <li>Rollback from every phase (IDLE, FULL_SYNC, FULL_SYNC_DONE, INCREMENTAL with dual write and gray reads,
 *       CUTOVER) leaves the legacy store with every acknowledged write; cut over, every read is member-center's and
 *       the dual write cannot be stopped; finish stops it and nothing rolls back after it
 *       ({@code MigrationTest#cutoverKeepsTheDualWriteRollbackFromEveryPhaseLeavesTheLegacyStoreCompleteFinishStopsIt}).</li>
 *   <li>Steps out of order are refused with 409, unknown steps with 400
 *       ({@code MigrationTest#stepsOutOfOrderAreRefusedAndChangeNothing}).</li>
 * </ul>
 *
 * <h2>Quarantine as governance anomalies</h2>
 * {@code MigrationLedger.quarantine} lists each quarantined row through {@code governance.LegacyQuarantine} as well:
 * a {@code LEGACY_QUARANTINED} anomaly in review (evidence: legacy key and reason, which hold no value in clear), the
 * same anomaly when the row is quarantined again, resolved when it is imported after all
 * ({@code unquarantine}). Flagged at quarantine time rather than read by governance, because migration may depend on
 * governance and governance on nothing of the migration. After the ledger's insert, not in its transaction (the two
 * tables are written by two packages): a crash in between leaves a row quarantined without its anomaly until it is
 * quarantined again by the next sync. Proved in
 * {@code MigrationTest#refusedRowsAreQuarantinedWithTheirReasonAndNoIdentifierGetsTwoOwners}: each quarantined row
 * is an anomaly with its reason.
 *
 * <h2>How fast</h2>
 * {@code ./mc bench migration} (module bench, section "migration" of BENCHMARKS.md, chart
 * benchmarks/migration.svg) measures in one run the full sync against a raw bulk copy of the same rows between the
 * same two databases, the incremental sync's end-to-end lag under the legacy writer, and the verify's rate. The full
 * sync is far below the raw copy: each member costs some eight write statements in as many transactions (claims
 * per identifier, member row and outbox, confirmation), where the copy writes a thousand rows per statement; only
 * claims batched per physical database (the member write path) would close that gap.
 *
 * <h2>Public types</h2>
 * None: the migration is reached through its admin API only.
 */
@ApplicationModule(
        allowedDependencies = {"api", "degradation", "governance", "member", "replication", "shard", "traffic"})
package io.membercenter.migration;

import org.springframework.modulith.ApplicationModule;
