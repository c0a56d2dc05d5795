/**
 * Search: three OpenSearch clusters — primary (data center A), backup (B) and marketing (A, takes
 * campaign bursts so they never touch the order path) — fed from Kafka by one indexer (consumer
 * group) each, serving lookups by identifier and filtered search. Index design and the shard plan:
 * {@code src/main/resources/search/SHARDS.md}. Ordering and idempotence of indexing: see
 * {@link io.membercenter.search.SearchIndexer}; the path of a change: {@code io.membercenter.replication}.
 */
package io.membercenter.search;
