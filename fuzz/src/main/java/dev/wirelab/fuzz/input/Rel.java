package dev.wirelab.fuzz.input;

import java.util.Objects;

/**
 * A 32-bit sequence-space value written relative to the live connection: {@code anchor + offset}
 * modulo 2^32. Offsets may point anywhere, in or out of the window.
 */
public record Rel(Anchor anchor, int offset) {
    public Rel {
        Objects.requireNonNull(anchor, "anchor");
    }

    public static Rel peerNext(int offset) {
        return new Rel(Anchor.PEER_NEXT, offset);
    }

    public static Rel windowEdge(int offset) {
        return new Rel(Anchor.WINDOW_EDGE, offset);
    }

    public static Rel guestNext(int offset) {
        return new Rel(Anchor.GUEST_NEXT, offset);
    }

    public static Rel guestAcked(int offset) {
        return new Rel(Anchor.GUEST_ACKED, offset);
    }

    @Override
    public String toString() {
        String a = switch (anchor) {
            case PEER_NEXT -> "peerNext";
            case WINDOW_EDGE -> "windowEdge";
            case GUEST_NEXT -> "guestNext";
            case GUEST_ACKED -> "guestAcked";
        };
        return offset == 0 ? a : offset > 0 ? a + "+" + offset : a + offset;
    }
}
