package io.membercenter.governance;

import io.membercenter.governance.AuditLedger.Cursor;
import io.membercenter.governance.AuditLedger.Phase;
import io.membercenter.governance.AuditLedger.Run;
import io.membercenter.governance.AuditLedger.StepTotals;
import io.membercenter.governance.RelationshipRows.MemberRow;
import io.membercenter.governance.RelationshipRows.OwnerRow;
import io.membercenter.shard.ShardedDatabases;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relationship audit, in steps. A run covers every logical shard, each in two phases — its member rows,
 * then its owner entries — in chunks in key order; after every chunk the shard's cursor is written, so a run
 * continues where the last step stopped, whichever instance runs the next step and however the last one
 * ended. A step works for at most {@code step-budget} (and, when asked, a number of rows), under the
 * throttle, on the thread of the request that asked for it: every statement goes through the master's
 * breaker and the requesting caller's share of the pool (the admin caller is DEFAULT-class), never ORDER's.
 */
final class RelationshipAudit {

    private static final Logger log = LoggerFactory.getLogger(RelationshipAudit.class);

    /** What a step did and where its run stands. */
    record Progress(Run run, int shardsDone, int shards, StepTotals step) {

        boolean done() {
            return run.finished();
        }
    }

    /** Two steps of one run at once: the second is refused, to be asked again. */
    static final class StepInProgress extends RuntimeException {
        StepInProgress() {
            super("An audit step is running.", null, false, false);
        }
    }

    private final ShardedDatabases databases;
    private final RelationshipRows rows;
    private final RelationshipChecks checks;
    private final RepairPolicy repairs;
    private final AuditLedger ledger;
    private final Anomalies anomalies;
    private final GovernanceProperties properties;
    private final Clock clock;

    RelationshipAudit(
            ShardedDatabases databases,
            RelationshipRows rows,
            RelationshipChecks checks,
            RepairPolicy repairs,
            AuditLedger ledger,
            Anomalies anomalies,
            GovernanceProperties properties,
            Clock clock) {
        this.databases = databases;
        this.rows = rows;
        this.checks = checks;
        this.repairs = repairs;
        this.ledger = ledger;
        this.anomalies = anomalies;
        this.properties = properties;
        this.clock = clock;
    }

    /** One step of the current run (a new run when the last one finished), at most {@code maxRows} rows. */
    Progress step(long maxRows) {
        long now = clock.millis();
        Run run = ledger.currentOrNew(now);
        long budgetMillis = properties.stepBudget().toMillis();
        if (!ledger.lease(run.id(), now, now + budgetMillis * 2)) {
            throw new StepInProgress();
        }
        StepCounter counter = new StepCounter();
        Long finishedAt = null;
        try {
            boolean complete = work(run.id(), maxRows, System.nanoTime() + budgetMillis * 1_000_000, counter);
            if (complete) {
                finishedAt = clock.millis();
                int gone = anomalies.resolveNotSeenBy(run.id(), finishedAt);
                log.info(
                        "event=audit_finished run={} steps={} anomaliesSeen={} repaired={} resolvedAsGone={}",
                        run.id(),
                        run.steps() + 1,
                        run.anomaliesSeen() + counter.anomalies,
                        run.repaired() + counter.repaired,
                        gone);
            }
        } finally {
            ledger.endStep(run.id(), counter.totals(), finishedAt);
        }
        return progress(run.id(), counter.totals());
    }

    /** Where the latest run stands, without doing anything. */
    Progress status() {
        Run run = ledger.latest().orElse(null);
        if (run == null) return null;
        return progress(run.id(), new StepTotals(0, 0, 0, 0));
    }

    /**
     * Audits one logical shard whole, now, judging ages as of {@code asOf}, outside any run (its findings
     * count as seen by no run). For tests: a finding the sweeper would settle within a second can be seen as
     * the sweeper's window ahead would see it.
     */
    StepTotals auditShard(int shard, long asOf) {
        StepCounter counter = new StepCounter();
        Cursor cursor = Cursor.start(shard);
        while (cursor.phase() != Phase.DONE) {
            cursor = chunk(0, cursor, properties.chunkSize(), asOf, counter);
        }
        return counter.totals();
    }

    /** True when every shard of the run is done. */
    private boolean work(long runId, long maxRows, long deadlineNanos, StepCounter counter) {
        Map<Integer, Cursor> cursors = ledger.cursors(runId);
        Throttle throttle = new Throttle(properties.rowsPerSecond(), properties.pauseBetweenChunks());
        for (int shard = 0; shard < databases.shardMap().logicalShards(); shard++) {
            Cursor cursor = cursors.getOrDefault(shard, Cursor.start(shard));
            while (cursor.phase() != Phase.DONE) {
                long rowsLeft = maxRows - counter.rows();
                if (rowsLeft <= 0 || System.nanoTime() > deadlineNanos) return false;
                int before = counter.rows();
                cursor =
                        chunk(runId, cursor, (int) Math.min(properties.chunkSize(), rowsLeft), clock.millis(), counter);
                int examined = counter.rows() - before;
                if (examined > 0 || cursor.phase() == Phase.DONE) {
                    ledger.save(runId, cursor, clock.millis()); // an empty phase is not worth a write: redone for free
                }
                if (examined > 0) throttle.afterChunk(examined);
            }
        }
        return true;
    }

    /** One chunk of a shard's current phase; returns the cursor after it. */
    private Cursor chunk(long runId, Cursor cursor, int limit, long asOf, StepCounter counter) {
        int shard = cursor.shard();
        if (cursor.phase() == Phase.MEMBERS) {
            List<MemberRow> chunk =
                    databases.onMaster(shard, c -> rows.membersAfter(c, shard, cursor.memberAfter(), limit));
            counter.members += chunk.size();
            record(checks.checkMembers(chunk), runId, asOf, counter);
            return chunk.size() < limit
                    ? new Cursor(shard, Phase.ENTRIES, 0, "", "")
                    : new Cursor(shard, Phase.MEMBERS, chunk.getLast().memberId(), "", "");
        }
        List<OwnerRow> chunk = databases.onMaster(
                shard, c -> RelationshipRows.entriesAfter(c, shard, cursor.kindAfter(), cursor.valueAfter(), limit));
        counter.entries += chunk.size();
        record(checks.checkEntries(chunk, asOf), runId, asOf, counter);
        if (chunk.size() < limit) return new Cursor(shard, Phase.DONE, 0, "", "");
        OwnerRow last = chunk.getLast();
        return new Cursor(shard, Phase.ENTRIES, 0, last.key().code(), last.key().value());
    }

    private void record(List<Finding> findings, long runId, long asOf, StepCounter counter) {
        for (Finding finding : findings) {
            counter.anomalies++;
            if (repairs.apply(finding, runId, asOf)) counter.repaired++;
            log.info(
                    "event=anomaly_seen type={} identifier={} members={}",
                    finding.type(),
                    finding.key(),
                    finding.memberIds());
            if (finding.type() == AnomalyType.HELD_NOT_OWNED) {
                record(twoHolders(finding, runId), runId, asOf, counter);
            }
        }
    }

    /**
     * Another member found by this run holding the same identifier without owning it: the two hold one
     * identifier whose entry names neither — a double owner, found across shards and steps.
     */
    private List<Finding> twoHolders(Finding held, long runId) {
        return anomalies.othersAbout(held, AnomalyType.HELD_NOT_OWNED, runId).stream()
                .filter(other -> !other.memberIds().equals(held.memberIds()))
                .map(other -> {
                    List<Long> members = new ArrayList<>(held.memberIds());
                    members.addAll(other.memberIds());
                    Map<String, Object> evidence = new LinkedHashMap<>();
                    evidence.put("reason", "two LIVE members hold the identifier; its owner entry names neither");
                    evidence.put("identifier", held.key().toString());
                    evidence.put("entry", held.evidence().get("entry"));
                    evidence.put("members", held.evidence().get("members"));
                    evidence.put(
                            "alsoHeldBy",
                            Map.of(
                                    "anomalyId", Long.toString(other.id()),
                                    "memberIds",
                                            other.memberIds().stream()
                                                    .map(String::valueOf)
                                                    .toList()));
                    return new Finding(AnomalyType.DOUBLE_OWNER, held.key(), members, evidence, held.entry());
                })
                .toList();
    }

    private Progress progress(long runId, StepTotals step) {
        Run run = ledger.run(runId).orElseThrow();
        int shards = databases.shardMap().logicalShards();
        int done = run.finished()
                ? shards
                : (int) ledger.cursors(runId).values().stream()
                        .filter(c -> c.phase() == Phase.DONE)
                        .count();
        return new Progress(run, done, shards, step);
    }

    /** The rows and findings of one step. */
    private static final class StepCounter {
        long members;
        long entries;
        long anomalies;
        long repaired;

        int rows() {
            return (int) (members + entries);
        }

        StepTotals totals() {
            return new StepTotals(members, entries, anomalies, repaired);
        }
    }
}
