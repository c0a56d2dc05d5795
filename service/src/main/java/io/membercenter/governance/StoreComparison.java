package io.membercenter.governance;

import io.membercenter.cache.MemberCache;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.MemberChange;
import io.membercenter.search.MemberSearch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One store's copy of a member against the master's row: what differs, as the evidence an operator reads. The
 * rules follow how each store is written:
 * <ul>
 *   <li>Redis (a cache, filled on a miss): a missing entry is consistent; a member entry must be the master's member
 *       at its version, field for field; an identifier entry of an identifier the member holds must name the member
 *       at its version; an entry naming the member for an identifier it no longer holds is stale.</li>
 *   <li>Search (fed every change): the member document must be there, the master's member at its version; so must
 *       the lookup document of every identifier it holds, at its version; a lookup document naming the member for an
 *       identifier it no longer holds is stale.</li>
 * </ul>
 * Nothing here shows an identifier unmasked, nor a nickname: the views name which fields differ.
 */
final class StoreComparison {

    /** One part of a store's copy that is not the master's: what the store held, what the master holds. */
    record Difference(
            String store, String part, Map<String, Object> held, Map<String, Object> master, List<String> fields) {}

    private StoreComparison() {}

    /**
     * The identifiers whose entries are compared: those the master's member holds, and those the sampled change
     * held or removed (an entry of one it lost since must be gone).
     */
    static List<IdentifierKey> identifiersToCompare(Optional<MemberChange> master, ChangeSamples.Sample sample) {
        List<IdentifierKey> keys = new ArrayList<>();
        master.ifPresent(m -> keys.addAll(m.identifiers()));
        for (List<IdentifierKey> more : List.of(sample.identifiers(), sample.removedIdentifiers())) {
            more.stream().filter(k -> !keys.contains(k)).forEach(keys::add);
        }
        return keys;
    }

    static List<Difference> ofCache(long memberId, Optional<MemberChange> master, MemberCache.Held held) {
        List<Difference> differences = new ArrayList<>();
        held.member().ifPresent(entry -> {
            List<String> fields = master.isEmpty()
                    ? List.of("member")
                    : entry.member()
                            .map(cached -> differingFields(cached, entry.version(), master.get()))
                            .orElse(List.of("unreadable"));
            if (!fields.isEmpty()) {
                differences.add(new Difference(
                        held.store(),
                        "member",
                        entry.member().map(StoreComparison::view).orElseGet(() -> Map.of("version", entry.version())),
                        masterView(master),
                        fields));
            }
        });
        held.identifiers()
                .forEach((key, entry) -> entry.ifPresent(found -> {
                    boolean holds = master.map(m -> m.holds(key)).orElse(false);
                    boolean consistent = holds
                            ? found.memberId() == memberId
                                    && found.version() == master.get().version()
                            : found.memberId() != memberId;
                    if (!consistent) {
                        differences.add(new Difference(
                                held.store(),
                                "identifier " + key,
                                Map.of("memberId", Long.toString(found.memberId()), "version", found.version()),
                                identifierView(memberId, master, key),
                                List.of(holds ? (found.memberId() == memberId ? "version" : "memberId") : "held")));
                    }
                }));
        return differences;
    }

    static List<Difference> ofSearch(long memberId, Optional<MemberChange> master, MemberSearch.Indexed indexed) {
        List<Difference> differences = new ArrayList<>();
        List<String> fields = switch (indexed.member().orElse(null)) {
            case null -> master.isPresent() ? List.of("missing") : List.of();
            case MemberChange document ->
                master.isEmpty() ? List.of("member") : differingFields(document, document.version(), master.get());
        };
        if (!fields.isEmpty()) {
            differences.add(new Difference(
                    indexed.store(),
                    "member",
                    indexed.member().map(StoreComparison::view).orElse(Map.of()),
                    masterView(master),
                    fields));
        }
        indexed.identifierVersions().forEach((key, version) -> {
            boolean holds = master.map(m -> m.holds(key)).orElse(false);
            boolean consistent = holds
                    ? version.isPresent() && version.getAsLong() == master.get().version()
                    : version.isEmpty();
            if (!consistent) {
                differences.add(new Difference(
                        indexed.store(),
                        "identifier " + key,
                        identifierDocumentView(memberId, version),
                        identifierView(memberId, master, key),
                        List.of(holds ? (version.isPresent() ? "version" : "missing") : "held")));
            }
        });
        return differences;
    }

    /** The fields of a copy that are not the master's; the version is the copy's own (an entry's prefix). */
    private static List<String> differingFields(MemberChange copy, long copyVersion, MemberChange master) {
        List<String> fields = new ArrayList<>();
        if (copyVersion != master.version() || copy.version() != master.version()) fields.add("version");
        if (!Objects.equals(copy.mobile(), master.mobile())) fields.add("mobile");
        if (!Objects.equals(copy.email(), master.email())) fields.add("email");
        if (!Objects.equals(copy.nickname(), master.nickname())) fields.add("nickname");
        if (!Objects.equals(copy.level(), master.level())) fields.add("level");
        if (!Objects.equals(copy.status(), master.status())) fields.add("status");
        if (!copy.identities().equals(master.identities())) fields.add("identities");
        if (copy.createdAtMillis() != master.createdAtMillis()) fields.add("createdAt");
        if (copy.updatedAtMillis() != master.updatedAtMillis()) fields.add("updatedAt");
        return fields;
    }

    /** A member as the evidence shows it: identifiers masked, no nickname. */
    private static Map<String, Object> view(MemberChange member) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("memberId", Long.toString(member.memberId()));
        view.put("version", member.version());
        view.put("level", member.level());
        view.put("status", member.status());
        view.put(
                "identifiers",
                member.identifiers().stream().map(IdentifierKey::toString).toList());
        view.put("updatedAt", Instant.ofEpochMilli(member.updatedAtMillis()).toString());
        return view;
    }

    private static Map<String, Object> masterView(Optional<MemberChange> master) {
        return master.map(StoreComparison::view).orElse(Map.of("lifecycle", "not LIVE or missing"));
    }

    private static Map<String, Object> identifierView(long memberId, Optional<MemberChange> master, IdentifierKey key) {
        return master.filter(m -> m.holds(key))
                .<Map<String, Object>>map(m -> Map.of("memberId", Long.toString(memberId), "version", m.version()))
                .orElse(Map.of("memberId", Long.toString(memberId), "holds", false));
    }

    private static Map<String, Object> identifierDocumentView(long memberId, OptionalLong version) {
        return version.isPresent()
                ? Map.of("memberId", Long.toString(memberId), "version", version.getAsLong())
                : Map.of();
    }
}
