package io.membercenter.topology;

/** What a link between the data centers does with the traffic it carries (see {@link LocalTopology#setDcLinks}). */
public enum DcLinkState {
    /** Carries every byte, each direction delayed by half the round-trip time. */
    FORWARDING,
    /**
     * Resets every connection it carries and every new one at once: what a client sees when the other side's host
     * or a firewall between them rejects it.
     */
    CUT,
    /**
     * Keeps every connection open and carries nothing, in either direction, new connections included: a partition
     * that drops packets. Clients find out only through their own timeouts. Back to {@link #FORWARDING}, what was
     * held is delivered, as TCP would after retransmitting.
     */
    HUNG
}
