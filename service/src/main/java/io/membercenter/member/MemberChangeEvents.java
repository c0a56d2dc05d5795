package io.membercenter.member;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.MemberChange;
import java.util.Collection;
import java.util.List;

/**
 * A member as the change contract ({@link MemberChange}) carries it, and back: the one place where
 * a committed member meets the shape it travels in to the outbox, Kafka, the indexers, the cache and
 * back from search. The contract cannot name {@link Member} (this package depends on replication,
 * not the other way round), so the crossing is written once, here.
 */
final class MemberChangeEvents {

    /** The change that committed this member, with the identifiers the change took away from it. */
    MemberChange of(Member member, Collection<IdentifierKey> removed) {
        return MemberChange.of(
                member.memberId(),
                member.version(),
                member.mobile(),
                member.email(),
                member.nickname(),
                member.level().name(),
                member.status().name(),
                member.identities().stream()
                        .map(i -> new MemberChange.Identity(i.platform(), i.externalId()))
                        .toList(),
                List.copyOf(removed),
                member.createdAt().toEpochMilli(),
                member.updatedAt().toEpochMilli());
    }

    /** The member a change (an event, a cached value, a search document) describes. */
    Member memberOf(MemberChange change) {
        return Member.of(change);
    }
}
