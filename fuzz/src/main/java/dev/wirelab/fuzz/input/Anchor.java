package dev.wirelab.fuzz.input;

/** The live-connection value a relative sequence or acknowledgment number is counted from. */
public enum Anchor {
    /** One past the highest in-order sequence number the peer has sent on this connection (the peer's SND.NXT). */
    PEER_NEXT,
    /** The right edge of the window the guest last advertised (RCV.NXT + RCV.WND as seen on the wire). */
    WINDOW_EDGE,
    /** One past the highest sequence number the guest has sent (its SND.NXT as seen on the wire). */
    GUEST_NEXT,
    /** The highest acknowledgment the peer has sent so far (the guest's SND.UNA as the peer knows it). */
    GUEST_ACKED
}
