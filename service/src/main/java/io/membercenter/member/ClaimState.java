package io.membercenter.member;

/**
 * The state of an identifier's owner entry ({@link IdentifierClaims}); stored in
 * {@code identifier_owner.state} as the constant's name, bound as a parameter, never spelled in SQL.
 */
enum ClaimState {
    /** Inserted by an operation that has not settled it yet: its operation or the sweeper will. */
    CLAIMED,
    /** Settled after the member row said the member holds the identifier. */
    CONFIRMED
}
