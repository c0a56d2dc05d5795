/**
 * Benchmarks of member-center against same-run baselines: {@code ./mc bench <scenario>} (see
 * {@link io.membercenter.bench.BenchMain}) starts the local topology and the service in this JVM, drives
 * them with the generator of {@code load}, and writes what it measured into {@code BENCHMARKS.md}.
 *
 * <p>Every comparison is made inside one run: the service and its baseline hit the same MariaDB on the same
 * machine minutes apart, so a ratio means something even where absolute numbers move from machine to machine.
 */
package io.membercenter.bench;
