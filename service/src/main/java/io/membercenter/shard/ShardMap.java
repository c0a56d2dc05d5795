package io.membercenter.shard;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Maps member ids and identifiers to logical shards, and logical shards to physical databases.
 * Immutable; built once from {@link ShardProperties}.
 */
public final class ShardMap {

    private final int logicalShards;
    private final String[] databaseOfShard;

    ShardMap(ShardProperties properties) {
        this.logicalShards = properties.logicalShards();
        this.databaseOfShard = new String[logicalShards];
        for (ShardProperties.PhysicalDatabase db : properties.databases()) {
            for (int shard = db.firstShard(); shard <= db.lastShard(); shard++) {
                databaseOfShard[shard] = db.name();
            }
        }
    }

    public int logicalShards() {
        return logicalShards;
    }

    /** The shard of a member: a 64-bit mix of the id, so sequential ids spread over all shards. */
    public int shardOfMember(long memberId) {
        return (int) Long.remainderUnsigned(mix64(memberId), logicalShards);
    }

    /**
     * The shard of an identifier's normalized form. CRC32C rather than String.hashCode: it is
     * defined over bytes, so any other language or tool that must find the shard computes the same.
     */
    public int shardOfIdentifier(String normalizedKey) {
        CRC32C crc = new CRC32C();
        crc.update(normalizedKey.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % logicalShards);
    }

    public String databaseOf(int shard) {
        return databaseOfShard[shard];
    }

    /** The finalizer of SplitMix64 / MurmurHash3: every input bit affects every output bit. */
    static long mix64(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
