/**
 * Search: three OpenSearch clusters — primary (data center A), backup (B) and marketing (A, takes
 * campaign bursts so they never touch the order path) — fed from Kafka by one indexer (consumer
 * group) each, serving lookups by identifier and filtered search. Index design and the shard plan:
 * {@code src/main/resources/search/SHARDS.md}. Ordering and idempotence of indexing: see
 * {@link io.membercenter.search.SearchIndexer}; the path of a change: {@code io.membercenter.replication}.
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.search.MemberSearch}, the door: named operations — lookup by identifier,
 * filtered search, routes, rebuild, and what every cluster holds of one member by real-time gets
 * ({@code indexedEverywhere}, for governance's consistency checker) — so no caller ever sees a cluster or writes a
 * request; with
 * search or change capture off it answers "not available". {@link io.membercenter.search.SearchFilter}
 * is the value its filtered search takes (a second public type because member, which depends on
 * search, builds it); members come back as {@link io.membercenter.replication.MemberChange}, the one
 * shape of a member outside member. Clusters, indexers, the loader, freshness and properties are
 * package-private.
 */
@ApplicationModule(allowedDependencies = {"cache", "degradation", "replication", "traffic"})
package io.membercenter.search;

import org.springframework.modulith.ApplicationModule;
