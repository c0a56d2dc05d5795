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
 * {@code incremental-sync}, {@code verify}, {@code reset}. A full sync begins the change capture before it reads
 * its first row; incremental sync and verify run only once the full sync is done; a step out of order is a 409
 * that changes nothing. Each step works for at most {@code step-budget} under one lease in the home database
 * ({@code migration_run}, V8), answers 202 while it has more to do and 200 when done.
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
 *   <li>Full sync, then incremental sync, with the legacy writer running throughout: verify finds 0 mismatches;
 *       a member corrupted afterwards is listed by id with the differing field
 *       ({@code MigrationTest#fullAndIncrementalSyncWithTheLegacyWriterRunningVerifyWithZeroMismatches},
 *       {@code MigrationTest#verifyListsACorruptedAndAMissingMemberByIdWithTheDifferingFields}).</li>
 *   <li>Steps out of order are refused with 409, unknown steps with 400
 *       ({@code MigrationTest#stepsOutOfOrderAreRefusedAndChangeNothing}).</li>
 * </ul>
 *
 * <h2>Public types</h2>
 * None: the migration is reached through its admin API only.
 */
@ApplicationModule(allowedDependencies = {"api", "degradation", "member", "replication", "shard", "traffic"})
package io.membercenter.migration;

import org.springframework.modulith.ApplicationModule;
