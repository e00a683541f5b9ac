package dev.wirelab.emulator.capture;

/**
 * Which way a packet went, seen from the capturing interface: pcapng
 * {@code epb_flags} bits 0–1, or the packet type of a Linux cooked header.
 * For wirelab's own captures the interface is the guest's NIC: INBOUND is
 * host → guest, OUTBOUND is guest → host.
 */
public enum Direction {
    UNKNOWN(0),
    INBOUND(1),
    OUTBOUND(2);

    /** The value of epb_flags bits 0–1. */
    final int bits;

    Direction(int bits) {
        this.bits = bits;
    }

    static Direction fromEpbFlags(long flags) {
        return switch ((int) (flags & 3)) {
            case 1 -> INBOUND;
            case 2 -> OUTBOUND;
            default -> UNKNOWN;
        };
    }
}
