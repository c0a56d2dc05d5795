package io.membercenter.governance;

import io.membercenter.governance.RelationshipRows.MemberRow;
import io.membercenter.governance.RelationshipRows.OwnerRow;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.shard.ShardMap;
import io.membercenter.shard.ShardedDatabases;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The invariants of the claim protocol, checked over a chunk of rows. Every lookup is on the master (a
 * replica behind it would show anomalies that are not there), grouped by physical database, one connection
 * per group. A suspicion is reported only after a second read shows the same rows (the member at the same
 * version, the entry with the same token): an operation in flight between the two reads moves one of them,
 * and then the next audit judges the rows it left.
 */
final class RelationshipChecks {

    private final ShardedDatabases databases;
    private final ShardMap shards;
    private final RelationshipRows rows;
    private final long sweeperWindowMillis;

    RelationshipChecks(ShardedDatabases databases, RelationshipRows rows, GovernanceProperties properties) {
        this.databases = databases;
        this.shards = databases.shardMap();
        this.rows = rows;
        this.sweeperWindowMillis = properties.sweeperWindow().toMillis();
    }

    /** Member side: every identifier a LIVE member holds must have an owner entry naming that member. */
    List<Finding> checkMembers(List<MemberRow> chunk) {
        List<MemberRow> live = chunk.stream().filter(MemberRow::live).toList();
        List<IdentifierKey> held =
                live.stream().flatMap(m -> m.identifiers().stream()).distinct().toList();
        Map<IdentifierKey, OwnerRow> entries = entriesOf(held);
        List<Long> otherOwners = new ArrayList<>();
        for (MemberRow member : live) {
            for (IdentifierKey key : member.identifiers()) {
                OwnerRow entry = entries.get(key);
                if (entry != null && entry.memberId() != member.memberId()) otherOwners.add(entry.memberId());
            }
        }
        Map<Long, MemberRow> owners = membersOf(otherOwners);
        List<Finding> suspects = new ArrayList<>();
        for (MemberRow member : live) {
            for (IdentifierKey key : member.identifiers()) {
                OwnerRow entry = entries.get(key);
                if (entry == null) {
                    suspects.add(heldNotOwned(member, key, null, null));
                } else if (entry.memberId() != member.memberId()) {
                    MemberRow owner = owners.get(entry.memberId());
                    suspects.add(
                            owner != null && owner.live() && owner.holds(key)
                                    ? doubleOwner(member, owner, entry)
                                    : heldNotOwned(member, key, entry, owner));
                }
            }
        }
        return confirmMemberSide(suspects, live);
    }

    /**
     * Owner side: a claim must be settled within the sweeper's window; a settled entry must name a LIVE
     * member that holds the identifier.
     */
    List<Finding> checkEntries(List<OwnerRow> chunk, long asOf) {
        List<Long> memberIds = chunk.stream()
                .filter(e -> !e.claimed() || isOld(e, asOf))
                .map(OwnerRow::memberId)
                .toList();
        Map<Long, MemberRow> members = membersOf(memberIds);
        List<Finding> suspects = new ArrayList<>();
        for (OwnerRow entry : chunk) {
            MemberRow member = members.get(entry.memberId());
            if (entry.claimed()) {
                if (isOld(entry, asOf)) suspects.add(danglingClaim(entry, member));
            } else if (member == null || !member.holds(entry.key())) {
                suspects.add(orphan(entry, member));
            } else if (!member.live()) {
                suspects.add(boundToNonLive(entry, member));
            }
        }
        return confirmEntrySide(suspects);
    }

    /** Older than the sweeper's window: its operation and the sweeper had their chance. */
    boolean isOld(OwnerRow entry, long asOf) {
        return asOf - entry.changedAt() > sweeperWindowMillis;
    }

    /** Keeps the member-side suspicions whose member row is still at the version first read. */
    private List<Finding> confirmMemberSide(List<Finding> suspects, List<MemberRow> readFirst) {
        if (suspects.isEmpty()) return suspects;
        Map<Long, MemberRow> first = new LinkedHashMap<>();
        readFirst.forEach(m -> first.put(m.memberId(), m));
        List<Long> ids = suspects.stream()
                .map(f -> (Long) f.evidence().get("subject"))
                .distinct()
                .toList();
        Map<Long, MemberRow> again = membersOf(ids);
        Map<IdentifierKey, OwnerRow> entriesAgain =
                entriesOf(suspects.stream().map(Finding::key).distinct().toList());
        return suspects.stream()
                .filter(f -> {
                    long subject = (Long) f.evidence().get("subject");
                    MemberRow now = again.get(subject);
                    OwnerRow entryNow = entriesAgain.get(f.key());
                    boolean entryUnchanged =
                            f.entry() == null ? entryNow == null : f.entry().sameAs(entryNow);
                    return now != null && now.version() == first.get(subject).version() && entryUnchanged;
                })
                .map(RelationshipChecks::withoutSubject)
                .toList();
    }

    /** Keeps the owner-side suspicions whose entry is still the one first read. */
    private List<Finding> confirmEntrySide(List<Finding> suspects) {
        if (suspects.isEmpty()) return suspects;
        Map<IdentifierKey, OwnerRow> again =
                entriesOf(suspects.stream().map(Finding::key).toList());
        return suspects.stream()
                .filter(f -> f.entry().sameAs(again.get(f.key())))
                .map(RelationshipChecks::withoutSubject)
                .toList();
    }

    private Map<IdentifierKey, OwnerRow> entriesOf(List<IdentifierKey> keys) {
        Map<String, List<IdentifierKey>> byDatabase = new LinkedHashMap<>();
        for (IdentifierKey key : keys) {
            byDatabase
                    .computeIfAbsent(shards.databaseOf(shards.shardOfIdentifier(key.hashKey())), d -> new ArrayList<>())
                    .add(key);
        }
        Map<IdentifierKey, OwnerRow> found = new LinkedHashMap<>();
        byDatabase.forEach((database, group) ->
                found.putAll(databases.onMaster(database, c -> RelationshipRows.entries(c, group))));
        return found;
    }

    private Map<Long, MemberRow> membersOf(List<Long> memberIds) {
        Map<String, List<Long>> byDatabase = new LinkedHashMap<>();
        for (long memberId : memberIds.stream().distinct().toList()) {
            byDatabase
                    .computeIfAbsent(shards.databaseOf(shards.shardOfMember(memberId)), d -> new ArrayList<>())
                    .add(memberId);
        }
        Map<Long, MemberRow> found = new LinkedHashMap<>();
        byDatabase.forEach(
                (database, group) -> found.putAll(databases.onMaster(database, c -> rows.members(c, group))));
        return found;
    }

    private static Finding heldNotOwned(MemberRow member, IdentifierKey key, OwnerRow entry, MemberRow entryMember) {
        Map<String, Object> evidence = evidence(
                "the LIVE member holds the identifier but "
                        + (entry == null ? "it has no owner entry" : "its owner entry names another member"),
                key,
                entry);
        evidence.put(
                "members",
                entryMember == null ? List.of(member.evidence()) : List.of(member.evidence(), entryMember.evidence()));
        evidence.put("subject", member.memberId());
        return new Finding(AnomalyType.HELD_NOT_OWNED, key, List.of(member.memberId()), evidence, entry);
    }

    private static Finding doubleOwner(MemberRow member, MemberRow owner, OwnerRow entry) {
        Map<String, Object> evidence =
                evidence("two LIVE members hold the identifier; its owner entry names one", entry.key(), entry);
        evidence.put("members", List.of(member.evidence(), owner.evidence()));
        evidence.put("subject", member.memberId());
        return new Finding(
                AnomalyType.DOUBLE_OWNER, entry.key(), List.of(member.memberId(), owner.memberId()), evidence, entry);
    }

    private static Finding danglingClaim(OwnerRow entry, MemberRow member) {
        Map<String, Object> evidence = evidence("a claim older than the sweeper's window", entry.key(), entry);
        evidence.put("members", member == null ? List.of() : List.of(member.evidence()));
        return new Finding(AnomalyType.DANGLING_CLAIM, entry.key(), List.of(entry.memberId()), evidence, entry);
    }

    private static Finding orphan(OwnerRow entry, MemberRow member) {
        Map<String, Object> evidence = evidence(
                member == null ? "the entry's member has no row" : "the entry's member does not hold the identifier",
                entry.key(),
                entry);
        evidence.put("members", member == null ? List.of() : List.of(member.evidence()));
        return new Finding(AnomalyType.ORPHAN_ENTRY, entry.key(), List.of(entry.memberId()), evidence, entry);
    }

    private static Finding boundToNonLive(OwnerRow entry, MemberRow member) {
        Map<String, Object> evidence = evidence(
                "the entry is settled but its member is " + member.lifecycle() + ", not LIVE", entry.key(), entry);
        evidence.put("members", List.of(member.evidence()));
        return new Finding(
                AnomalyType.BOUND_TO_NON_LIVE_MEMBER, entry.key(), List.of(entry.memberId()), evidence, entry);
    }

    private static Map<String, Object> evidence(String reason, IdentifierKey key, OwnerRow entry) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("reason", reason);
        evidence.put("identifier", key.toString());
        evidence.put("entry", entry == null ? null : entry.evidence());
        return evidence;
    }

    /** The subject (whose row the second read compares) is the check's own bookkeeping, not evidence. */
    private static Finding withoutSubject(Finding f) {
        Map<String, Object> evidence = new LinkedHashMap<>(f.evidence());
        evidence.remove("subject");
        return new Finding(f.type(), f.key(), f.memberIds(), evidence, f.entry());
    }
}
