/**
 * The naive member service: the member API as a team would first write it, on one MariaDB database with no
 * cache, no shards, no search and no outbox. Benchmarks run it in their own JVM beside the real service, over
 * the same population and the same MariaDB servers, so "how much do the cache, the shards and the rest buy"
 * is measured rather than assumed.
 *
 * <p>Nothing here carries a stereotype annotation: the real service component-scans all of
 * {@code io.membercenter}, this package included whenever the bench jar is on its classpath. See
 * {@link io.membercenter.bench.naive.NaiveMemberService}.
 */
package io.membercenter.bench.naive;
