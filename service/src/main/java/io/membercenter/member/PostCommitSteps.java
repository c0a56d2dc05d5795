package io.membercenter.member;

import io.membercenter.cache.MemberCache;
import io.membercenter.shard.ShardMap;
import io.membercenter.shard.ShardedDatabases;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a committed write does before it is acknowledged, besides settling its claims: both data
 * centers' caches drop the member and raise its pending marker and version floor (so neither a cache
 * nor a search cluster that refreshes later can answer with anything older), and the local replicas
 * of every database it touched are waited for (so local reads that follow see it).
 */
final class PostCommitSteps {

    private final ShardedDatabases databases;
    private final ShardMap shards;
    private final MemberCache cache;

    PostCommitSteps(ShardedDatabases databases, MemberCache cache) {
        this.databases = databases;
        this.shards = databases.shardMap();
        this.cache = cache;
    }

    /** Drops the member's cache entries and raises its markers, for the identifiers it holds and those it touched. */
    void markPending(Member committed, Collection<IdentifierKey> touched) {
        if (cache != null) {
            Set<String> keys = new LinkedHashSet<>();
            committed.identifiers().forEach(k -> keys.add(k.searchKey()));
            touched.forEach(k -> keys.add(k.searchKey()));
            cache.invalidate(committed.memberId(), committed.version(), keys);
        }
    }

    void awaitLocalCopies(int memberShard, Collection<IdentifierKey> identifiers) {
        Set<String> touched = new HashSet<>();
        touched.add(databases.databaseOf(memberShard));
        identifiers.forEach(k -> touched.add(databases.databaseOf(shards.shardOfIdentifier(k.hashKey()))));
        databases.awaitLocalCopies(touched);
    }
}
