package io.membercenter.member;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param nodeId this instance's number within its data center (0-511), part of every member id; required
 *     (no default outside the {@code local} profile): two instances with one node id would hand out the same
 *     member ids, so each deployment must give every instance its own
 * @param claimTtl after this, a claim whose operation has not settled it is swept
 * @param claimWait how long a request waits for someone else's in-flight claim to settle
 * @param sweepInterval how often the sweeper looks for stale claims and pending creates
 * @param idempotencyRetention how long an Idempotency-Key's first answer is kept
 * @param crashPointsEnabled lets tests simulate a crash between the writes of an operation
 */
@ConfigurationProperties("member-center.member")
record MemberProperties(
        Integer nodeId,
        @DefaultValue("10s") Duration claimTtl,
        @DefaultValue("1s") Duration claimWait,
        @DefaultValue("2s") Duration sweepInterval,
        @DefaultValue("24h") Duration idempotencyRetention,
        @DefaultValue("false") boolean crashPointsEnabled) {

    public MemberProperties {
        if (nodeId == null) {
            throw new IllegalStateException("member-center.member.node-id is required: give every instance of a data"
                    + " center its own number 0-" + MemberIdGenerator.MAX_NODE_ID
                    + " (only the local profile has a default)");
        }
        if (nodeId < 0 || nodeId > MemberIdGenerator.MAX_NODE_ID) {
            throw new IllegalStateException("member-center.member.node-id must be 0-" + MemberIdGenerator.MAX_NODE_ID);
        }
        if (!sweepInterval.isPositive()) {
            throw new IllegalStateException("member-center.member.sweep-interval must be positive");
        }
        if (claimTtl.compareTo(claimWait) <= 0) {
            throw new IllegalStateException("member-center.member.claim-ttl must be longer than claim-wait");
        }
    }
}
