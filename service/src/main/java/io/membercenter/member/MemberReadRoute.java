package io.membercenter.member;

import java.util.Optional;

/**
 * The migration's door into reads by id: the gray read switch of a migration decides, read by read, whether the
 * caller gets what member-center's store found or the other store's member. Without an implementation (no
 * migration configured) every read is member-center's own, as is every read the route leaves alone (empty).
 * Member-center's store is read first in every case, so a route can compare the two.
 */
public interface MemberReadRoute {

    /**
     * The answer of a read by id other than {@code found}, or empty to answer {@code found}.
     *
     * @param caller the caller's name (the gray switch may send chosen callers to one store)
     * @param found what member-center's store has for the id
     */
    Optional<Routed> route(String caller, long memberId, Optional<Member> found);

    /** Another store's member, and the name the answer's {@code X-Member-Source} gives for it. */
    record Routed(Member member, String source) {}
}
