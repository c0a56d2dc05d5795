package io.membercenter.governance;

import java.util.List;

/**
 * The door through which governance asks for a merge of two members who are one person (issue 16, part 4). The
 * member package owns the claim protocol, so it does the work and implements this interface; governance may not
 * depend on member (member depends on governance, for {@link AbuseFlags}), so the door is declared here and the
 * dependency points the allowed way. Governance adds the HTTP surface, the trail row and the anomaly a merge
 * resolves ({@code MergeController}).
 */
public interface MemberMerges {

    /**
     * A merge as recorded: identifiers masked as {@code IdentifierKey} masks them.
     *
     * @param moved identifiers the survivor gained
     * @param released the merged member's identifiers that did not move (a mobile or an e-mail where the survivor
     *     had one already, or one another operation held): free again
     * @param lost identifiers planned to move that another member took while the merge ran (after a crash)
     */
    record Merge(
            long id,
            long survivor,
            long merged,
            boolean done,
            List<String> moved,
            List<String> released,
            List<String> lost,
            long survivorVersionBefore,
            Long survivorVersionAfter,
            long mergedVersionBefore,
            Long mergedVersionAfter,
            String actor,
            String reason,
            long startedAt,
            Long finishedAt) {

        public Merge {
            moved = List.copyOf(moved);
            released = List.copyOf(released);
            lost = List.copyOf(lost);
        }
    }

    /** What a request for a merge got. */
    sealed interface Outcome permits Done, Unknown, Refused, InProgress {}

    /** Merged now, or earlier ({@code replayed}: the same pair asked again, nothing moved a second time). */
    record Done(Merge merge, boolean replayed) implements Outcome {}

    /** No such member: the field naming it. Nothing changed. */
    record Unknown(String field, long memberId) implements Outcome {}

    /** The members cannot be merged (one of them is not LIVE, they are the same). Nothing changed. */
    record Refused(String reason) implements Outcome {}

    /** Another request is merging this pair now. */
    record InProgress() implements Outcome {}

    Outcome merge(long survivor, long merged, String reason, String actor);

    /** Every merge in which the member was the survivor or the merged member, newest first. */
    List<Merge> mergesOf(long memberId);
}
