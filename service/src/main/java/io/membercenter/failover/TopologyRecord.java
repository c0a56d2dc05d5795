package io.membercenter.failover;

/**
 * The topology record: which data center's copy is the database master, under which epoch, and whether writes are
 * held for a switch. Every change of the record has a higher epoch than the one before, so an instance never goes
 * back to an older record it sees late, and "the master named by the epoch I hold" is one value.
 */
record TopologyRecord(String master, long epoch, boolean holding) {

    TopologyRecord next(String newMaster, boolean hold) {
        return new TopologyRecord(newMaster, epoch + 1, hold);
    }
}
