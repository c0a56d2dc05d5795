package io.membercenter.member;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of a committed change as it travels outbox -> Kafka -> indexers: the whole member as
 * committed (so an indexer never needs to read MySQL) plus the identifiers the change removed (so
 * an indexer can drop their lookup documents). Field names are those of the API; times are epoch
 * milliseconds. The schema is documented in {@code io.membercenter.replication}.
 */
final class MemberChangeEvents {

    private final JsonMapper json;

    MemberChangeEvents(JsonMapper json) {
        this.json = json;
    }

    String of(Member member, Collection<IdentifierKey> removed) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("memberId", Long.toString(member.memberId()));
        event.put("version", member.version());
        event.put("mobile", member.mobile());
        event.put("email", member.email());
        event.put("nickname", member.nickname());
        event.put("level", member.level().name());
        event.put("status", member.status().name());
        event.put("identities", member.identities());
        event.put("identifiers", keys(member.identifiers()));
        event.put("removedIdentifiers", keys(removed));
        event.put("createdAt", member.createdAt().toEpochMilli());
        event.put("updatedAt", member.updatedAt().toEpochMilli());
        return json.writeValueAsString(event);
    }

    /** The member an event (or a cached value, which has the same form) describes. */
    Member parse(String event) {
        tools.jackson.databind.JsonNode node = json.readTree(event);
        List<Member.Identity> identities = new ArrayList<>();
        node.path("identities")
                .forEach(i -> identities.add(new Member.Identity(
                        i.path("platform").asString(), i.path("externalId").asString())));
        return new Member(
                Long.parseLong(node.path("memberId").asString()),
                text(node, "mobile"),
                text(node, "email"),
                text(node, "nickname"),
                Member.Level.valueOf(node.path("level").asString()),
                Member.Status.valueOf(node.path("status").asString()),
                identities,
                node.path("version").asLong(),
                java.time.Instant.ofEpochMilli(node.path("createdAt").asLong()),
                java.time.Instant.ofEpochMilli(node.path("updatedAt").asLong()));
    }

    private static String text(tools.jackson.databind.JsonNode node, String field) {
        return node.path(field).isString() ? node.path(field).asString() : null;
    }

    private static List<Map<String, String>> keys(Collection<IdentifierKey> keys) {
        List<Map<String, String>> result = new ArrayList<>();
        for (IdentifierKey key : keys) {
            result.add(Map.of("kind", key.kind().name(), "value", key.value()));
        }
        return result;
    }
}
