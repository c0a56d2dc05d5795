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
 * <h2>Not yet</h2>
 * Automatic failover (the leader promoting B when A is unreachable), search and cache failover, and an instance
 * that starts while the record names B (its schema migration runs on the configured master; harmless while no
 * migration is pending, since Flyway then only reads) are open. The hard part of the automatic case: after a
 * kill -9, A may hold a transaction it synced to its binlog but B never received (AFTER_SYNC acknowledges nothing
 * before B has it, so it was never acknowledged, but it is in A's binlog). A then cannot follow B by GTID until that
 * transaction is removed ({@code --init-rpl-role=SLAVE} semi-sync crash recovery at A's restart, or a rebuild of A
 * from B); and B may be promoted without A only if A had not fallen back to asynchronous replication since B was
 * last proven complete (see the topology module's essay).
 *
 * <h2>Public types</h2>
 * None: the capability is reached through {@code /admin/failover}, and drives {@code shard} through
 * {@code ShardedDatabases}' routing and write gate.
 */
@ApplicationModule(allowedDependencies = {"api", "shard", "traffic"})
package io.membercenter.failover;

import org.springframework.modulith.ApplicationModule;
