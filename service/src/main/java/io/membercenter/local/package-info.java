/**
 * The {@code local} profile: the one-command demo and the tests. Before the application context
 * binds its configuration, {@link io.membercenter.local.LocalTopologyEnvironment} starts the real
 * servers of the local two-data-center topology (module {@code topology}) and publishes where they
 * listen as {@code local-topology.*} properties, which {@code application-local.yml} uses. Only this
 * profile can stop and start those servers through {@code /admin/local/stores/{name}/stop|start}.
 */
package io.membercenter.local;
