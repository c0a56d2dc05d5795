package io.membercenter.replication;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One committed member change as it travels outbox -> Kafka -> indexers, and as the cache holds a
 * member: the whole member as committed (so no reader ever needs MySQL) plus the identifiers the
 * change removed (so an indexer can drop their lookup documents). The schema is in this package's
 * {@code package-info.java}; the JSON is that of every version of the service before this record
 * (memberId a string, times epoch milliseconds), so an outbox row, a Kafka record or a cache entry
 * written by an older service is read by a newer one and the other way round.
 *
 * <p>Level and status are the member's enum names: their enums belong to {@code member}, which
 * depends on this package, and a reader that does not know a value (written by a newer service)
 * should fail where the value becomes a member, not while reading the change.
 *
 * @param identifiers every identifier the member holds, normalized ({@link IdentifierKey})
 * @param removedIdentifiers identifiers this change took away from the member (empty for a cached
 *     member and for the state a search cluster holds)
 */
@JsonPropertyOrder({
    "memberId",
    "version",
    "mobile",
    "email",
    "nickname",
    "level",
    "status",
    "identities",
    "identifiers",
    "removedIdentifiers",
    "createdAt",
    "updatedAt"
})
public record MemberChange(
        @JsonFormat(shape = JsonFormat.Shape.STRING) long memberId,
        long version,
        String mobile,
        String email,
        String nickname,
        String level,
        String status,
        List<Identity> identities,
        List<IdentifierKey> identifiers,
        List<IdentifierKey> removedIdentifiers,
        @JsonProperty("createdAt") long createdAtMillis,
        @JsonProperty("updatedAt") long updatedAtMillis) {

    /** A third-party account bound to the member. */
    public record Identity(String platform, String externalId) {}

    /**
     * The one mapper configuration of the contract, its own rather than the application's: the wire
     * format must not change when someone tunes {@code spring.jackson.*} for the HTTP API. Unknown
     * fields are ignored so that, in a rolling deploy, an older reader accepts what a newer writer
     * added. A {@link JsonMapper} is immutable and thread-safe, so one instance serves every thread.
     */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public MemberChange {
        identities = identities == null ? List.of() : List.copyOf(identities);
        identifiers = identifiers == null ? List.of() : List.copyOf(identifiers);
        removedIdentifiers = removedIdentifiers == null ? List.of() : List.copyOf(removedIdentifiers);
    }

    /** A change whose {@code identifiers} are derived from the member's mobile, e-mail and identities. */
    public static MemberChange of(
            long memberId,
            long version,
            String mobile,
            String email,
            String nickname,
            String level,
            String status,
            List<Identity> identities,
            List<IdentifierKey> removedIdentifiers,
            long createdAtMillis,
            long updatedAtMillis) {
        List<IdentifierKey> held = new ArrayList<>();
        if (mobile != null) held.add(IdentifierKey.mobile(mobile));
        if (email != null) held.add(IdentifierKey.email(email));
        for (Identity identity : identities)
            held.add(IdentifierKey.identity(identity.platform(), identity.externalId()));
        return new MemberChange(
                memberId,
                version,
                mobile,
                email,
                nickname,
                level,
                status,
                identities,
                held,
                removedIdentifiers,
                createdAtMillis,
                updatedAtMillis);
    }

    /** Whether the member as of this change holds the identifier. */
    public boolean holds(IdentifierKey key) {
        return identifiers.contains(key);
    }

    /** The change's JSON, as the outbox stores it and Kafka carries it. */
    public String toJson() {
        return JSON.writeValueAsString(this);
    }

    /** Reads a change written by this or any earlier version of the service. */
    public static MemberChange fromJson(String json) {
        return JSON.readValue(json, MemberChange.class);
    }
}
