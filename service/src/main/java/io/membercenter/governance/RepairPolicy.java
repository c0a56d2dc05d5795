package io.membercenter.governance;

import io.membercenter.shard.ShardedDatabases;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What happens to each finding. Only one repair is automatic, because only one is provably safe: deleting
 * an orphan owner entry (settled, its member's row does not hold the identifier, older than the sweeper's
 * window), as read — same member, state and token. That is the very step the claim protocol takes itself
 * whenever a claim meets such an entry ({@code IdentifierClaims}: "a leftover of a removal"), so the repair
 * changes no outcome the protocol could reach; and any operation that has since claimed the identifier has
 * changed the token, so the delete matches nothing and the entry is judged again next audit. Everything
 * else goes to review: which of two members keeps an identifier, whether a member that holds an identifier
 * without an entry should get one, what a dangling claim or a binding to a pending or aborted member was
 * meant to be — those need a person, or the operation's own protocol (a dangling claim is the sweeper's;
 * settling it needs the member fenced first, which only the member package does).
 */
final class RepairPolicy {

    static final String ACTOR = "audit";

    private final ShardedDatabases databases;
    private final Anomalies anomalies;
    private final RelationshipChecks checks;
    private final Clock clock;

    RepairPolicy(ShardedDatabases databases, Anomalies anomalies, RelationshipChecks checks, Clock clock) {
        this.databases = databases;
        this.anomalies = anomalies;
        this.checks = checks;
        this.clock = clock;
    }

    /**
     * Records a finding of a run and repairs it when that is safe; true when it was repaired. Ages are judged
     * as of {@code asOf} (the step's start); what is recorded is dated by the clock.
     */
    boolean apply(Finding finding, long runId, long asOf) {
        if (finding.type() != AnomalyType.ORPHAN_ENTRY) {
            anomalies.record(finding, AnomalyStatus.REVIEW, runId, clock.millis());
            return false;
        }
        long id = anomalies.record(finding, AnomalyStatus.OPEN, runId, clock.millis());
        if (!checks.isOld(finding.entry(), asOf)) {
            return false; // possibly the moment between a removal's commit and its release: judged next audit
        }
        int deleted =
                databases.onMaster(finding.entry().shard(), c -> RelationshipRows.deleteAsRead(c, finding.entry()));
        if (deleted == 1) {
            Map<String, Object> before = new LinkedHashMap<>(finding.evidence());
            anomalies.repaired(id, ACTOR, before, Map.of("entry", "deleted"), clock.millis());
            return true;
        }
        return false;
    }
}
