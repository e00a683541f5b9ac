package dev.wirelab.fuzz.input;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The inverse of {@link InputDecoder}: {@code decode(t, encode(x)).equals(x)} for every input
 * {@code x}, so seeds and regression inputs are written as readable Java. Options must be in the
 * decoder's order (MSS, window scale, SACK-permitted, timestamps, SACK), each at most once.
 */
public final class InputEncoder {
    private InputEncoder() {
    }

    public static byte[] encode(FuzzInput input) {
        if (input.actions().size() > Limits.MAX_ACTIONS) {
            throw new IllegalArgumentException("more than " + Limits.MAX_ACTIONS + " actions");
        }
        Out out = new Out();
        InputDecoder.Conversation conv = new InputDecoder.Conversation();
        List<StreamTarget.Kind> table = input.target().table();
        for (Action a : input.actions()) {
            out.u8(table.indexOf(StreamTarget.kindOf(a)));
            switch (a) {
                case Segment s -> segment(out, s, conv);
                case AppRead r -> out.uvar(r.n());
                case AppWrite w -> out.uvar(w.n());
                case AppClose c -> { }
                case AppShutdown s -> out.u8(s.how().ordinal());
                case Tick t -> out.tvar(t.atInstructionOffset());
                case Advance v -> out.uvar(v.micros());
                case Connect c -> out.u8(c.agent());
            }
        }
        return out.toByteArray();
    }

    private static void segment(Out out, Segment s, InputDecoder.Conversation conv) {
        int src = conv.sourceCode(s.conn(), s.source());
        int conn = conv.code(s.conn());
        conv.sent(s.conn(), s.flags(), s.source());
        int rep = 0;
        while (InputDecoder.REPEATS[rep] != s.repeat()) {
            rep++;
        }
        if (s.repeat() == 16 && s.payload().length() == Limits.MAX_SEGMENT_DATA - Limits.paddedOptionBytes(s.options())) {
            rep = InputDecoder.BULK;
        }
        out.u16(s.flags() | (src << 9) | (conn << 11) | (rep << 13));
        rel(out, s.seq());
        rel(out, s.ack());
        out.u16(s.window());
        int mask = 0;
        int lastBit = 0;
        for (SegOption o : s.options()) {
            int bit = switch (o) {
                case SegOption.Mss m -> InputDecoder.OPT_MSS;
                case SegOption.WindowScale w -> InputDecoder.OPT_WSCALE;
                case SegOption.SackPermitted p -> InputDecoder.OPT_SACK_PERMITTED;
                case SegOption.Timestamps t -> InputDecoder.OPT_TIMESTAMPS;
                case SegOption.Sack k -> InputDecoder.OPT_SACK;
            };
            if (bit <= lastBit) {
                throw new IllegalArgumentException("options out of order or repeated: " + s.options());
            }
            lastBit = bit;
            mask |= bit;
        }
        out.u8(mask);
        for (SegOption o : s.options()) {
            switch (o) {
                case SegOption.Mss m -> out.u16(m.value());
                case SegOption.WindowScale w -> out.u8(w.shift());
                case SegOption.SackPermitted p -> { }
                case SegOption.Timestamps t -> {
                    out.u32(t.value());
                    out.u32(t.echo());
                }
                case SegOption.Sack k -> {
                    out.u8(k.blocks().size() - 1);
                    for (SegOption.SackBlock b : k.blocks()) {
                        rel(out, b.left());
                        rel(out, b.right());
                    }
                }
            }
        }
        byte[] pattern = s.payload().pattern();
        int len = s.payload().length();
        if (len == Limits.MAX_SEGMENT_DATA - Limits.paddedOptionBytes(s.options())) {
            out.u8(3); // a full segment
        } else if (len < 64) {
            out.u8(len << 2);
        } else if (len < 0x100) {
            out.u8(1);
            out.u8(len);
        } else {
            out.u8(2);
            out.u16(len);
        }
        out.u8(pattern.length);
        out.write(pattern, 0, pattern.length);
    }

    private static void rel(Out out, Rel r) {
        int a = r.anchor().ordinal();
        int off = r.offset();
        if (off >= -8 && off <= 7) {
            out.u8(a | ((off + 8) << 4));
        } else if (off == (byte) off) {
            out.u8(a | (1 << 2));
            out.u8(off & 0xff);
        } else if (off == (short) off) {
            out.u8(a | (2 << 2));
            out.u16(off & 0xffff);
        } else {
            out.u8(a | (3 << 2));
            out.u32(off & 0xffff_ffffL);
        }
    }

    private static final class Out extends ByteArrayOutputStream {
        /** Tick offsets: a multiple of the step below 4096 in one or two bytes, anything else as a u16. */
        void tvar(long v) {
            int step = InputDecoder.TICK_STEP;
            if (v % step == 0 && v / step < 64) {
                u8((int) (v / step << 2));
            } else if (v % step == 0 && v / step < 0x100) {
                u8(1);
                u8((int) (v / step));
            } else {
                u8(2);
                u16((int) v);
            }
        }

        void u8(int v) {
            write(v & 0xff);
        }

        void u16(int v) {
            u8(v >> 8);
            u8(v);
        }

        void u32(long v) {
            u16((int) (v >>> 16));
            u16((int) v);
        }

        void uvar(long v) {
            if (v < 64) {
                u8((int) (v << 2));
            } else if (v < 0x100) {
                u8(1);
                u8((int) v);
            } else if (v < 0x1_0000) {
                u8(2);
                u16((int) v);
            } else if (v < 0x100_0000) {
                u8(3);
                u8((int) (v >> 16));
                u16((int) v);
            } else {
                throw new IllegalArgumentException("value " + v + " does not fit 24 bits");
            }
        }
    }
}
