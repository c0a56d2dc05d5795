package io.membercenter.member;

import io.membercenter.replication.MemberChange;
import io.membercenter.shard.ShardedDatabases;
import java.util.Collection;
import java.util.List;

/**
 * Full scans of the live members, database by database on the masters, for a search rebuild
 * ({@link SearchRebuild}): chunks in member-id order, so a scan needs no cursor held open.
 */
final class MemberScans {

    private final ShardedDatabases databases;
    private final MemberRows rows;
    private final MemberChangeEvents changeEvents;

    MemberScans(ShardedDatabases databases, MemberRows rows, MemberChangeEvents changeEvents) {
        this.databases = databases;
        this.rows = rows;
        this.changeEvents = changeEvents;
    }

    Collection<String> databaseNames() {
        return databases.databaseNames();
    }

    /** Live members of one physical database after a member id, in id order: a chunk of a full scan. */
    List<Member> scanLive(String database, long afterMemberId, int limit) {
        return databases.onMaster(database, c -> rows.selectLive(c, afterMemberId, limit));
    }

    long countLive(String database) {
        return databases.onMaster(database, MemberRows::countLive);
    }

    MemberChange changeEventOf(Member member) {
        return changeEvents.of(member, List.of());
    }
}
