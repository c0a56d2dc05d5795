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
 */
record TopologyRecord(String master, long epoch, boolean holding, String stale, String searchFrom) {

    TopologyRecord next(String newMaster, boolean hold) {
        return new TopologyRecord(newMaster, epoch + 1, hold, stale, searchFrom);
    }

    /** The same master, a new epoch, {@code dataCenter} (or nobody) stale. */
    TopologyRecord withStale(String dataCenter) {
        return new TopologyRecord(master, epoch + 1, holding, dataCenter, searchFrom);
    }

    /** A new epoch in which every traffic class is searched in {@code dataCenter} (null: as configured). */
    TopologyRecord withSearchFrom(String dataCenter) {
        return new TopologyRecord(master, epoch + 1, holding, stale, dataCenter);
    }

    boolean isStale(String dataCenter) {
        return dataCenter.equals(stale);
    }
}
