/**
 * The {@code local} profile: the one-command demo and the tests. Before the application context
 * binds its configuration, {@link io.membercenter.local.LocalTopologyEnvironment} starts the real
 * servers of the local two-data-center topology (module {@code topology}) and publishes where they
 * listen as {@code local-topology.*} properties, which {@code application-local.yml} uses. Only this
 * profile can stop and start those servers through {@code /admin/local/stores/{name}/stop|start}.
 * The addresses are those seen from the instance's data center, so with links between the data centers
 * ({@code --dc-rtt}) an instance in B pays the round trip to A's master and Redis. With
 * {@code member-center.local.data-center-b.enabled=true} ({@code ./mc run}),
 * {@link io.membercenter.local.LocalDataCenterBInstance} starts the instance of data center B on {@code :8081} in the
 * same JVM, on the same servers.
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.local.LocalTopologyEnvironment}, public because Spring instantiates it from
 * {@code META-INF/spring.factories} and the bench's naive service starts the topology through it. The
 * banner, the store directory and the stop/start controller are package-private.
 */
@ApplicationModule(allowedDependencies = {"api", "console", "topology", "traffic"})
package io.membercenter.local;

import org.springframework.modulith.ApplicationModule;
