/**
 * Search: three OpenSearch clusters — primary (data center A), backup (B) and marketing (A, takes
 * campaign bursts so they never touch the order path) — fed from Kafka by one indexer (consumer
 * group) each, serving lookups by identifier and filtered search. Index design and the shard plan:
 * {@code src/main/resources/search/SHARDS.md}. Ordering and idempotence of indexing: see
 * {@link io.membercenter.search.SearchIndexer}; the path of a change: {@code io.membercenter.replication}.
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.search.MemberSearch}, the door: named operations — lookup by identifier,
 * filtered search, routes, rebuild — so no caller ever sees a cluster or writes a request; with
 * search or change capture off it answers "not available". {@link io.membercenter.search.SearchFilter}
 * and {@link io.membercenter.search.SearchedMember} are the values its operations take and return (a
 * second and third public type because member, which depends on search, builds the one and reads the
 * other). Clusters, indexers, the loader, freshness and properties are package-private.
 */
@ApplicationModule(allowedDependencies = {"cache", "replication"})
package io.membercenter.search;

import org.springframework.modulith.ApplicationModule;
