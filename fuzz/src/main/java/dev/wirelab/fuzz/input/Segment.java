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
 */
public record Segment(int flags, Source source, int conn, Rel seq, Rel ack, int window,
                      List<SegOption> options, Payload payload) implements Action {
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
    }

    /** The common case: from the peer on the snapshot's connection, no options. */
    public static Segment of(int flags, Rel seq, Rel ack, int window, Payload payload) {
        return new Segment(flags, Source.PEER, 0, seq, ack, window, List.of(), payload);
    }

    public Segment withOptions(SegOption... opts) {
        return new Segment(flags, source, conn, seq, ack, window, List.of(opts), payload);
    }

    public Segment from(Source src, int slot) {
        return new Segment(flags, src, slot, seq, ack, window, options, payload);
    }

    @Override
    public String toString() {
        return "Segment[" + TcpFlags.format(flags) + " " + source + "/" + conn + " seq=" + seq + " ack=" + ack
                + " win=" + window + (options.isEmpty() ? "" : " opts=" + options) + " data=" + payload + "]";
    }
}
