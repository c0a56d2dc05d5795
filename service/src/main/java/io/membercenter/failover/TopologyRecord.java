package io.membercenter.failover;

/**
 * The topology record: which data center's copy is the database master, under which epoch, whether writes are held
 * for a switch, and which copy (if any) may lack acknowledged writes. Every change of the record has a higher epoch
 * than the one before, so an instance never goes back to an older record it sees late, and "the master named by the
 * epoch I hold" is one value.
 *
 * @param stale the data center whose copy the master stopped waiting for (its acknowledgements are asynchronous
 *     since then), or null when the replica has every acknowledged write. A stale copy is never promoted
 *     automatically; a planned switch to it first proves it caught up.
 * @param searchFrom the data center whose search cluster serves every traffic class after a search failover, or null
 *     for the configured routes
 * @param cacheFrom the data center whose Redis every instance reads first and writes back into after a cache
 *     failover, or null for each instance's own (a record written before this field existed reads as null)
 */
record TopologyRecord(String master, long epoch, boolean holding, String stale, String searchFrom, String cacheFrom) {

    TopologyRecord next(String newMaster, boolean hold) {
        return new TopologyRecord(newMaster, epoch + 1, hold, stale, searchFrom, cacheFrom);
    }

    /** A new epoch with {@code newMaster}, writes open, {@code stale} the copy that may lack writes (or null). */
    TopologyRecord promoted(String newMaster, String stale) {
        return new TopologyRecord(newMaster, epoch + 1, false, stale, searchFrom, cacheFrom);
    }

    /** The same master, a new epoch, {@code dataCenter} (or nobody) stale. */
    TopologyRecord withStale(String dataCenter) {
        return new TopologyRecord(master, epoch + 1, holding, dataCenter, searchFrom, cacheFrom);
    }

    /** A new epoch in which every traffic class is searched in {@code dataCenter} (null: as configured). */
    TopologyRecord withSearchFrom(String dataCenter) {
        return new TopologyRecord(master, epoch + 1, holding, stale, dataCenter, cacheFrom);
    }

    /** A new epoch in which every instance reads the Redis of {@code dataCenter} first (null: its own). */
    TopologyRecord withCacheFrom(String dataCenter) {
        return new TopologyRecord(master, epoch + 1, holding, stale, searchFrom, dataCenter);
    }

    boolean isStale(String dataCenter) {
        return dataCenter.equals(stale);
    }
}
