package io.membercenter.member;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.MemberChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A member as committed: the source of truth is its row in the member's shard. */
public record Member(
        long memberId,
        String mobile,
        String email,
        String nickname,
        Level level,
        Status status,
        List<Identity> identities,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public enum Level {
        NORMAL,
        SILVER,
        GOLD,
        PLATINUM,
        DIAMOND
    }

    public enum Status {
        ACTIVE,
        FROZEN,
        CLOSED
    }

    /** A third-party account bound to the member. */
    public record Identity(String platform, String externalId) {}

    public Member {
        identities = List.copyOf(identities);
    }

    /**
     * The member a committed change describes (an event, a cached value, a search document): a change carries
     * the member whole, as committed. Public because the migration's dual write reads changes too; the way
     * into a change stays {@link MemberChangeEvents}'s.
     */
    public static Member of(MemberChange change) {
        return new Member(
                change.memberId(),
                change.mobile(),
                change.email(),
                change.nickname(),
                Level.valueOf(change.level()),
                Status.valueOf(change.status()),
                change.identities().stream()
                        .map(i -> new Identity(i.platform(), i.externalId()))
                        .toList(),
                change.version(),
                Instant.ofEpochMilli(change.createdAtMillis()),
                Instant.ofEpochMilli(change.updatedAtMillis()));
    }

    /** Every identifier this member owns; each must be owned by no other member. */
    List<IdentifierKey> identifiers() {
        List<IdentifierKey> keys = new ArrayList<>();
        if (mobile != null) keys.add(IdentifierKey.mobile(mobile));
        if (email != null) keys.add(IdentifierKey.email(email));
        for (Identity identity : identities)
            keys.add(IdentifierKey.identity(identity.platform(), identity.externalId()));
        return keys;
    }

    boolean holds(IdentifierKey key) {
        return identifiers().contains(key);
    }

    /**
     * True when the two are the same in everything a caller can change (version and times aside):
     * a change that leaves this true commits nothing and keeps the version.
     */
    boolean sameContentAs(Member other) {
        return java.util.Objects.equals(mobile, other.mobile)
                && java.util.Objects.equals(email, other.email)
                && java.util.Objects.equals(nickname, other.nickname)
                && level == other.level
                && status == other.status
                && identities.equals(other.identities);
    }

    Member withMobile(String value) {
        return new Member(memberId, value, email, nickname, level, status, identities, version, createdAt, updatedAt);
    }

    Member withEmail(String value) {
        return new Member(memberId, mobile, value, nickname, level, status, identities, version, createdAt, updatedAt);
    }

    Member withNickname(String value) {
        return new Member(memberId, mobile, email, value, level, status, identities, version, createdAt, updatedAt);
    }

    Member withLevel(Level value) {
        return new Member(memberId, mobile, email, nickname, value, status, identities, version, createdAt, updatedAt);
    }

    Member withStatus(Status value) {
        return new Member(memberId, mobile, email, nickname, level, value, identities, version, createdAt, updatedAt);
    }

    Member withIdentities(List<Identity> value) {
        return new Member(memberId, mobile, email, nickname, level, status, value, version, createdAt, updatedAt);
    }

    Member committedAs(long newVersion, Instant at) {
        return new Member(memberId, mobile, email, nickname, level, status, identities, newVersion, createdAt, at);
    }
}
