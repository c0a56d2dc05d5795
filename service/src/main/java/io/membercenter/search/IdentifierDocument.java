package io.membercenter.search;

import io.membercenter.replication.IdentifierKey;

/**
 * A lookup document of {@code member_identifiers} (mapping {@code search/member-identifiers-index.json}):
 * one identifier a member holds, at the member's version, routed by the identifier's key so a lookup
 * reads one shard.
 *
 * @param key the identifier's {@link IdentifierKey#searchKey()}
 */
record IdentifierDocument(String key, long memberId, long version) {

    static IdentifierDocument of(IdentifierKey identifier, long memberId, long version) {
        return new IdentifierDocument(identifier.searchKey(), memberId, version);
    }

    /** One document per identifier and member: during an ownership move, the old and new owner both have one. */
    static String id(IdentifierKey identifier, long memberId) {
        return identifier.searchKey() + ":" + memberId;
    }
}
