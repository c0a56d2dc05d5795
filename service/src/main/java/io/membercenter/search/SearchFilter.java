package io.membercenter.search;

import java.util.List;

/**
 * A validated filter of {@code POST /v1/members/search}: empty lists and nulls match everything;
 * createdFrom inclusive, createdTo exclusive (epoch ms); after is the (createdAt, memberId) of the
 * last member of the previous page.
 */
public record SearchFilter(
        List<String> levels,
        List<String> statuses,
        String platform,
        Long createdFromMillis,
        Long createdToMillis,
        int limit,
        Position after) {

    /** Where a page ended: the sort key of its last member. */
    public record Position(long createdAtMillis, long memberId) {}

    public SearchFilter {
        levels = List.copyOf(levels);
        statuses = List.copyOf(statuses);
    }
}
