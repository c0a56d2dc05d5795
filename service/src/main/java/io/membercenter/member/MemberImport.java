package io.membercenter.member;

import io.membercenter.api.ConflictException;
import io.membercenter.shard.ShardMap;
import io.membercenter.shard.ShardedDatabases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The migration's door: members brought in from another store, one at a time, through the same claim protocol
 * and outbox as an API create ({@link MemberWrites}), so identifier uniqueness holds against every member already
 * here and every cluster indexes them through replication. The member keeps the id it is given (the migration
 * derives it from the legacy key, so a re-run finds what an earlier run created instead of creating it again)
 * and its own creation time.
 *
 * <p>Validation is today's rules, the API's ({@link MemberRequests}): what they refuse comes back as reasons, and
 * nothing is written.
 */
public final class MemberImport {

    /** A member as the other store has it, already normalised to today's forms. */
    public record Imported(
            long memberId,
            String mobile,
            String email,
            String nickname,
            Member.Level level,
            Member.Status status,
            List<Member.Identity> identities,
            Instant createdAt) {

        public Imported {
            identities = List.copyOf(identities);
        }
    }

    /** What an import did. */
    public sealed interface Outcome {}

    /** Created now, through the claim protocol. */
    public record Created(Member member) implements Outcome {}

    /** A live member with this id was there already (an earlier run created it); nothing written. */
    public record AlreadyThere(Member member) implements Outcome {}

    /** Changed to the imported fields (or unchanged when they were equal). */
    public record Replaced(Member member) implements Outcome {}

    /** Refused by today's rules or by another member's identifier; nothing written. No identifier in clear. */
    public record Refused(String reason) implements Outcome {}

    private final ShardedDatabases databases;
    private final ShardMap shards;
    private final MemberRows rows;
    private final MemberWrites writes;
    private final java.time.Clock clock;

    MemberImport(ShardedDatabases databases, MemberRows rows, MemberWrites writes, java.time.Clock clock) {
        this.clock = clock;
        this.databases = databases;
        this.shards = databases.shardMap();
        this.rows = rows;
        this.writes = writes;
    }

    /** Today's rules on these fields: one reason per broken rule, none when the member may be imported. */
    public List<String> problems(Imported member) {
        return MemberRequests.importProblems(member.mobile(), member.email(), member.nickname(), member.identities());
    }

    /**
     * Creates the member unless a live one with its id exists. A create that an earlier attempt left unfinished (a
     * pending row) is settled first: committed, it is the member. A fenced one (a refused duplicate, or a create cut
     * short) is deleted and the create runs again: the id is reused only by the same legacy row, which is what makes
     * a re-run find its members; a claim the cut-short create left is settled by the claim protocol itself (at worst
     * fencing this attempt, which the next run repeats).
     */
    public Outcome create(Imported member) {
        List<String> problems = problems(member);
        if (!problems.isEmpty()) {
            return new Refused(String.join("; ", problems));
        }
        Optional<MemberRows.Row> existing = masterRow(member.memberId());
        if (existing.isPresent()) {
            if (existing.get().live()) {
                return new AlreadyThere(existing.get().member());
            }
            Optional<Member> settled = writes.settleCreate(member.memberId());
            if (settled.isPresent()) {
                return new AlreadyThere(settled.get());
            }
            databases.onMaster(
                    shards.shardOfMember(member.memberId()),
                    c -> Statements.update(
                            c,
                            "DELETE FROM member WHERE member_id = ? AND lifecycle = ?",
                            member.memberId(),
                            Lifecycle.ABORTED));
        }
        try {
            return new Created(writes.create(toMember(member, clock.instant())));
        } catch (ConflictException e) {
            return new Refused("duplicate: " + e.getMessage());
        }
    }

    /**
     * Makes the member hold exactly the imported fields: created when missing, changed through the claim
     * protocol when it differs (a change of identifiers claims and releases like an API change).
     */
    public Outcome replace(Imported member) {
        List<String> problems = problems(member);
        if (!problems.isEmpty()) {
            return new Refused(String.join("; ", problems));
        }
        Optional<MemberRows.Row> existing = masterRow(member.memberId());
        if (existing.isEmpty() || !existing.get().live()) {
            return create(member);
        }
        try {
            return new Replaced(writes.update(
                    member.memberId(),
                    current -> current.withMobile(member.mobile())
                            .withEmail(member.email())
                            .withNickname(member.nickname())
                            .withLevel(member.level())
                            .withStatus(member.status())
                            .withIdentities(member.identities()),
                    java.util.OptionalLong.empty()));
        } catch (ConflictException e) {
            return new Refused("duplicate: " + e.getMessage());
        }
    }

    /** Live members with {@code from < id <= to}, in id order, read on the master of every physical database. */
    public List<Member> liveInRange(long from, long to) {
        List<Member> found = new ArrayList<>();
        for (String database : databases.databaseNames()) {
            found.addAll(databases.onMaster(database, c -> rows.selectLiveInRange(c, from, to)));
        }
        found.sort(Comparator.comparingLong(Member::memberId));
        return found;
    }

    /** The live member with this id, read on its master. */
    public Optional<Member> find(long memberId) {
        return masterRow(memberId).filter(MemberRows.Row::live).map(MemberRows.Row::member);
    }

    private Optional<MemberRows.Row> masterRow(long memberId) {
        return databases.onMaster(shards.shardOfMember(memberId), c -> rows.select(c, memberId));
    }

    /**
     * Created when the other store says, updated now: {@code updated_at} is what the claim sweeper ages a pending
     * row by, and a pending row dated years ago would be fenced the moment the sweeper saw it.
     */
    private static Member toMember(Imported m, Instant now) {
        Set<Member.Identity> unique = new TreeSet<>(
                Comparator.comparing(Member.Identity::platform).thenComparing(Member.Identity::externalId));
        unique.addAll(m.identities());
        return new Member(
                m.memberId(),
                m.mobile(),
                m.email(),
                m.nickname(),
                m.level(),
                m.status(),
                List.copyOf(unique),
                1,
                m.createdAt(),
                now);
    }
}
