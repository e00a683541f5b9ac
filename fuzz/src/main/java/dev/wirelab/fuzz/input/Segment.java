package dev.wirelab.fuzz.input;

import dev.wirelab.emulator.wire.TcpFlags;
import java.util.List;
import java.util.Objects;

/**
 * A TCP segment the scripted peer sends to the guest.
 *
 * @param flags   TCP flag bits ({@link TcpFlags}, 9 bits)
 * @param source  which source address it claims
 * @param conn    which connection (0..3): the peer's source port 40000+conn; slots 0-2 go to the agent's
 *                listening port (slot 0 is the snapshot's connection), slot 3 to the guest's own service
 * @param seq     sequence number relative to the live connection
 * @param ack     acknowledgment number relative to the live connection (sent as is, ACK flag or not)
 * @param window  raw 16-bit window field (the peer's scale applies, as on the wire)
 * @param options TCP options in order
 * @param payload the data
 * @param repeat  how many times it is sent back to back (1, 2, 4, 8 or 16), each resolved anew, so a
 *                segment at {@code peerNext} repeated 16 times is 16 segments in sequence (filling a window)
 */
public record Segment(int flags, Source source, int conn, Rel seq, Rel ack, int window,
                      List<SegOption> options, Payload payload, int repeat) implements Action {
    /** The repeat counts the decoder can produce. */
    public static final List<Integer> REPEATS = List.of(1, 2, 4, 8, 16);

    public Segment {
        Limits.check("flags", flags, 0, 0x1ff);
        Objects.requireNonNull(source, "source");
        Limits.check("connection slot", conn, 0, Limits.CONNECTIONS - 1);
        Objects.requireNonNull(seq, "seq");
        Objects.requireNonNull(ack, "ack");
        Limits.check("window", window, 0, 0xffff);
        options = List.copyOf(options);
        Objects.requireNonNull(payload, "payload");
        int opt = Limits.paddedOptionBytes(options);
        Limits.check("option bytes", opt, 0, Limits.MAX_OPTION_BYTES);
        Limits.check("payload length with options", payload.length(), 0, Limits.MAX_SEGMENT_DATA - opt);
        if (!REPEATS.contains(repeat)) {
            throw new IllegalArgumentException("repeat " + repeat + " is not one of " + REPEATS);
        }
    }

    /** The common case: from the peer on the snapshot's connection, no options. */
    public static Segment of(int flags, Rel seq, Rel ack, int window, Payload payload) {
        return new Segment(flags, Source.PEER, 0, seq, ack, window, List.of(), payload, 1);
    }

    public Segment withOptions(SegOption... opts) {
        return new Segment(flags, source, conn, seq, ack, window, List.of(opts), payload, repeat);
    }

    public Segment from(Source src, int slot) {
        return new Segment(flags, src, slot, seq, ack, window, options, payload, repeat);
    }

    /** This segment sent {@code n} times back to back. */
    public Segment times(int n) {
        return new Segment(flags, source, conn, seq, ack, window, options, payload, n);
    }

    /** The same segment with another payload. */
    public Segment withPayload(Payload p) {
        return new Segment(flags, source, conn, seq, ack, window, options, p, repeat);
    }

    @Override
    public String toString() {
        return "Segment[" + TcpFlags.format(flags) + " " + source + "/" + conn + " seq=" + seq + " ack=" + ack
                + " win=" + window + (options.isEmpty() ? "" : " opts=" + options) + " data=" + payload
                + (repeat == 1 ? "" : " x" + repeat) + "]";
    }
}
