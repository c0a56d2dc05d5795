package io.membercenter.cache;

import io.membercenter.replication.IdentifierKey;
import java.util.List;
import java.util.Optional;

/**
 * The reader's side of pending-change markers (written by {@link MemberCache#invalidate}): whether
 * a change of a member or identifier was acknowledged less than {@code marker-ttl} ago, so that
 * copies refreshing later (search) may not show it yet. Offered outside through
 * {@link MemberCache#identifierPending}.
 */
final class PendingMarkers {

    private final List<RedisNode> nodes;
    private final String localDataCenter;

    PendingMarkers(List<RedisNode> nodes, String localDataCenter) {
        this.nodes = List.copyOf(nodes);
        this.localDataCenter = localDataCenter;
    }

    /**
     * Whether a change of this identifier may not have reached search yet: empty when no trusted
     * Redis can tell (callers then treat it as pending).
     */
    Optional<Boolean> identifierPending(IdentifierKey identifierKey) {
        return pending(identifierMarkerKey(identifierKey));
    }

    private Optional<Boolean> pending(String key) {
        for (RedisNode node : RedisNode.localFirst(nodes, localDataCenter)) {
            if (!node.trusted()) continue;
            Long exists = node.read(redis -> redis.exists(key));
            if (exists != null) return Optional.of(exists > 0);
        }
        return Optional.empty();
    }

    static String memberMarkerKey(long memberId) {
        return "mc:pending:m:" + memberId;
    }

    static String identifierMarkerKey(IdentifierKey identifierKey) {
        return "mc:pending:i:" + identifierKey.searchKey();
    }

    void probeAll() {
        nodes.forEach(RedisNode::probe);
    }
}
