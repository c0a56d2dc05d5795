package io.membercenter.member;

/**
 * Where a member row stands in the create protocol ({@link MemberWrites}); stored in
 * {@code member.lifecycle} as the constant's name, bound as a parameter, never spelled in SQL.
 */
enum Lifecycle {
    /** Inserted by a create that has not committed: invisible to every read. */
    PENDING,
    /** Committed: the only rows a read returns. */
    LIVE,
    /** Fenced off before it committed; can never commit, purged after a day. */
    ABORTED,
    /**
     * Merged into another member ({@code merged_into}, {@link MemberMerge}): closed, holding no identifier, never
     * read again (a read answers 404), kept as history; never purged.
     */
    MERGED
}
