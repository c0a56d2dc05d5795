/**
 * Failover of the database master between data centers, coordinated in ZooKeeper (through Apache Curator), not in
 * the database being failed over.
 *
 * <h2>The topology record</h2>
 * One znode ({@code <root>/record}, {@code member-center.failover.root}) holds {@code {"master": "A", "epoch": 7,
 * "holding": false}}: the data center whose copy is the master of every physical database, an epoch that grows by
 * one on every change of the record, and whether writes are held for a switch. It is created on the first start with
 * the configured master ({@code member-center.shard}, epoch 1) and changed only by the failover leader, with a
 * version check ({@code setData().withVersion}), so two writers can never both believe they changed it. Every
 * instance follows it ({@code CuratorCache} on the one node; {@code Coordination}) on one thread, in epoch order, and
 * routes its writes by the record it holds ({@code ShardedDatabases.routeWritesTo}): an instance writes only to the
 * master named by its epoch. An instance that cannot be sure of the current epoch — its ZooKeeper connection is
 * suspended or its session lost — refuses every write with 503 + Retry-After and goes on reading
 * ({@code ShardedDatabases.refuseWrites}); on reconnection it reads the record again (after a sync) and routes by it.
 * Each instance announces itself with an ephemeral node ({@code <root>/instances/<dc>-<uuid>}, a Curator
 * {@code PersistentNode}, re-created after a session loss) whose data says up to which held epoch it has no write in
 * flight. The one instance that may run a switch is the holder of a {@code LeaderLatch} ({@code <root>/leader}); a
 * switch request sent to another instance is a 503 naming the leader.
 *
 * <h2>A planned switch ({@code POST /admin/failover/db {"to": "B"}}, {@code POST /admin/failback/db})</h2>
 * {@code MasterSwitch}, on the leader:
 * <ol>
 *   <li>record {@code (A, e+1, holding)}: every instance holds new writes (each waits at most {@code write-hold}, 3 s,
 *       from its arrival, then 503), lets the ones in flight finish, and announces "drained e+1";</li>
 *   <li>the leader waits until every announced instance has drained (else: abandon), then until B has applied A's
 *       whole {@code gtid_binlog_pos} ({@code MASTER_GTID_WAIT} on B: its {@code gtid_slave_pos} covers it);</li>
 *   <li>fences A: {@code read_only=ON} (the service's user cannot bypass it), no semi-synchronous master role, every
 *       connection of the service's user killed; then checks again that B has A's now final position;</li>
 *   <li>promotes B ({@code STOP SLAVE}, {@code RESET SLAVE ALL}, semi-synchronous master, {@code read_only=OFF});</li>
 *   <li>record {@code (B, e+2)}: every instance routes writes to B and lets the held ones go, to B;</li>
 *   <li>A follows B ({@code gtid_slave_pos} set to its own binlog position, {@code CHANGE MASTER TO ...
 *       MASTER_USE_GTID=slave_pos}); the switch is appended to the history ({@code <root>/history}, persistent
 *       sequential nodes: kind, from, to, epoch, reason, by, at), read by {@code GET /admin/failover/history}.</li>
 * </ol>
 * Measured in {@code DatabaseSwitchoverTest} (2 shared cores, 4 writers, log line {@code event=db_master_switched}):
 * writes are held about 0.6 s per switch — every instance drained after ~0.25 s, B caught up ~0.06 s later, fenced
 * and promoted by ~0.5 s — well inside the 3 s a held write may wait, so callers see no error.
 *
 * <p>Anything failing before the promotion abandons the switch: A is unfenced and stays master, the record moves to
 * {@code (A, e+2)} and writes go on; the caller gets a 503 and nothing changed. Bad input (a kind other than
 * {@code db}, a target that is not a data center with a copy, the current master as target, an unknown field) is a
 * 400 before anything moves.
 *
 * <h2>Invariants and the tests that prove them</h2>
 * {@code DatabaseSwitchoverTest}, on the real MariaDB pair and a real three-node ZooKeeper ensemble, with the service
 * in A and a second instance in B:
 * <ul>
 *   <li>A planned switchover and the failback under concurrent writers through both instances answer every request
 *       2xx, and every acknowledged write is on the new master, checked write by write, after each switch
 *       ({@code plannedSwitchoverAndFailbackUnderConcurrentWritersFailNoRequestAndLoseNoAcknowledgedWrite}); the
 *       old master is read-only after the switch, and the history shows both switches, newest first.</li>
 *   <li>Bad kind or target: 400, history and servers unchanged ({@code aBadKindOrTargetIsA400AndChangesNothing}).</li>
 *   <li>With the ensemble cut off, both instances refuse writes (503 + Retry-After), reads go on, no switch can run
 *       and B stays read-only: never two masters; writes return with the ensemble
 *       ({@code cutOffFromZooKeeperAnInstanceRefusesWritesKeepsReadingAndNoSecondMasterAppears}).</li>
 * </ul>
 *
 * <h2>Off</h2>
 * Without {@code member-center.failover.zookeeper-connect} (every profile but {@code ./mc run}'s, and the service's
 * test suite, which does not start the ensemble) nothing here runs: the configured master takes writes, writes are
 * never held or refused, the switch endpoints answer 503 naming the missing setting, the history is empty.
 *
 * <h2>Automatic failover ({@code MasterWatch}, on the leader)</h2>
 * Every {@code watch-interval} (200 ms) the leader reads the master (deadline {@code probe-deadline}, 300 ms).
 * <ul>
 *   <li><b>Who may be promoted.</b> A promotion without the old master is safe only if the replica has every
 *       acknowledged write, and after a kill -9 nobody can ask the old master. So the master is not allowed to
 *       decide on its own that it will acknowledge without the replica: while a leader guards it, its
 *       semi-synchronous timeout is {@code guarded-semi-sync-timeout} (1 h). When a commit has waited
 *       {@code replica-ack-timeout} (1 s; {@code information_schema.PROCESSLIST.TIME_MS} of the sessions waiting
 *       for the ACK) or no replica has been connected for as long, the leader first writes {@code stale: "B"} into
 *       the record (version-checked) and only then switches the master's semi-synchronous role off, which wakes the
 *       waiting commits (MariaDB's {@code disable_master}). Hence: a replica the record does not call stale has
 *       every acknowledged write. Writes with the replica down wait at most ~1 s once, as with the server's own
 *       timeout before.</li>
 *   <li><b>Master lost</b> (no answer for {@code master-lost-after}, 500 ms): if the record does not call the
 *       replica stale, the replica stops receiving, applies its relay log ({@code MASTER_GTID_WAIT} on its
 *       {@code Gtid_IO_Pos}), forgets replication and becomes writable; the record moves to
 *       {@code (B, e+1, stale: "A")} and the history gets an entry by {@code failover-leader <instance>}. A stale
 *       replica is never promoted automatically (log {@code event=db_failover_refused reason=replica_stale}).</li>
 *   <li><b>The old master returns</b> (writable, or following no one): every instance routes by the record, so no
 *       write of ours reaches it; the watch fences it (read-only, connections killed) and makes it follow the new
 *       master by GTID. MariaDB's semi-synchronous replica recovery (every server runs with
 *       {@code rpl_semi_sync_slave_enabled}) rolls back at its restart the transactions it had synced to its binlog
 *       but never had acknowledged, so it holds nothing the new master lacks. Once it follows and has applied the
 *       master's position, the master's semi-synchronous role goes on again; once it has applied the position read
 *       after that, the record stops calling it stale, and it may be promoted again.</li>
 * </ul>
 * {@code DatabaseSwitchoverTest#killingTheMasterUnderConcurrentWritersPromotesBLosesNoAcknowledgedWriteAndTheOldMasterRejoinsAsReplica}:
 * four writers through both instances, kill -9 of {@code mysql-a}; B is promoted, every acknowledged write is on
 * B (checked write by write), what callers saw meanwhile is 503 only, the history names the leader and the reason,
 * and the restarted A is read-only, follows B, and ends with exactly B's members (so it took no write after the
 * promotion).
 * {@code DatabaseSwitchoverTest#aReplicaThatMissedWritesIsRecordedStaleAndNeverPromotedWhenTheMasterDiesUntilItHasCaughtUp}:
 * with B stopped, B is recorded stale and writes go on; with A then killed and B back, B stays a read-only replica
 * (writes 503 + Retry-After, no switch in the history) until A returns, B catches up and stops being stale.
 * Measured under the ORDER mix ({@code ./mc bench failover}, BENCHMARKS.md "failover"): writes acknowledged again
 * 947 ms after the kill -9, 0 read errors, 0 acknowledged writes lost of 878 members written, the failback by hand
 * 227 ms with no request failed.
 *
 * <h2>Search failover by hand ({@code POST /admin/failover/search {"to": "B"}}, {@code POST /admin/failback/search})</h2>
 * The record's {@code searchFrom} names the data center whose cluster every traffic class is searched in first
 * (its backup); every instance applies it with the rest of the record ({@code MemberSearch.serveFrom}), and
 * {@code GET /admin/topology} shows the routes it gives. Without a failover the search package already reads around
 * a failed cluster per request (breakers; lookups only from clusters proven fresh), so an automatic search failover
 * is that, and a returned cluster takes lookups again only once its checkpoint proves it caught up. The failback by
 * hand follows the same rule: it is refused (503 naming the clusters) while a configured cluster has not caught up.
 * {@code DatabaseSwitchoverTest#searchFailsOverToBByHandOnEveryInstanceAndFailsBackOnlyOnceTheConfiguredClustersHaveCaughtUp}:
 * both instances route every traffic class to search-backup, an ORDER lookup is answered by {@code search-backup@B},
 * a failback with search-primary stopped is a 503 naming it, and succeeds once it is back and fresh.
 *
 * <h2>Cache failover by hand ({@code POST /admin/failover/cache {"to": "B"}}, {@code POST /admin/failback/cache})</h2>
 * Without a switch each data center reads its own Redis first, invalidates both before a write is acknowledged, and
 * reads around a failed one (the cache package). The record's {@code cacheFrom} moves every instance's reads and
 * write-backs to the Redis of one data center ({@code MemberCache.serveFrom}) — for work on a Redis, or a Redis that
 * answers but slowly. Invalidations still go to every Redis, so the Redis left behind stays correct. The failback is
 * refused (503 naming them) while a Redis is not trusted: down, or back but still inside the wait in which it replays
 * what it missed. Both read switches are one {@code ReadRoute} each, run by {@code MasterSwitch.switchReads}.
 * {@code DatabaseSwitchoverTest#cacheFailsOverToBByHandOnEveryInstanceAndFailsBackOnlyOnceEveryRedisIsTrustedAgain}:
 * reads by id on both instances answered by {@code cache@B}; with redis-a stopped, writes and reads go on and the
 * failback is a 503 naming redis-a; once it is trusted again the failback answers 200, the instance in A reads
 * {@code cache@A} again and sees the write made while redis-a was away.
 *
 * <h2>The whole data center A lost ({@code ./mc drill dc-a})</h2>
 * Every server of A at once — the instance in A, mysql-a, redis-a, Kafka, search-primary, search-marketing and
 * zk-1 — while the instance in B serves. ZooKeeper keeps its quorum (its third node is in a third site); the leader,
 * if it was in B, sees the master silent and promotes B as after a kill -9 of mysql-a alone; a leader lost with A
 * hands over only when its session ends ({@code session-timeout}, 4 s), which adds that much to the write gap. Reads
 * in B never needed A: B's Redis, B's copy, search-backup (an ORDER lookup reads around the dead primary). Writes in B
 * go on into B's outbox while Kafka is away and reach the clusters when it returns. An instance that starts while
 * the record names B — A's new instance after the drill — must not migrate or seed callers on the configured master
 * (fenced, or dead): {@code RecordAtStart} reads the record once before the databases are routed and migrated
 * ({@code ShardedDatabases.MasterAtStart}).
 * {@code DataCenterDrillTest#losingDataCenterAUnderLoadBServesEveryReadTakesWritesAfterThePromotionAndFailsBackByHand}:
 * ORDER reads by id and by mobile and registrations through B; 0 reads failed, writes acknowledged in B again ~1.3 s
 * after the loss, the writes meanwhile a clean 503; A back as a read-only replica that stops being stale, a new
 * instance in A starts, the failback by hand answers 200, and every acknowledged write is on A and B. The history
 * answer names the {@code leader}, the instance a switch by hand must be sent to.
 *
 * <h2>Not yet</h2>
 * A master that is not dead but hung (SIGSTOP) or cut off from the leader only is promoted away
 * from too; a commit it had synced and that is killed while it waits for the ACK when it is fenced would be in its
 * binlog but not in B's, and it could then not follow B by GTID until rebuilt from B (no test yet, and no rebuild).
 * A leader lost with its data center hands over only at its session's end (4 s): the drill keeps the leader in B, so
 * its 1.1-1.6 s do not include that wait. After a failback to a restarted master an instance's pool may still hold
 * connections the kill broke, and its first writes wait for new ones.
 *
 * <h2>Public types</h2>
 * None: the capability is reached through {@code /admin/failover}, and drives {@code shard} through
 * {@code ShardedDatabases}' routing and write gate.
 */
@ApplicationModule(allowedDependencies = {"api", "cache", "search", "shard", "traffic"})
package io.membercenter.failover;

import org.springframework.modulith.ApplicationModule;
