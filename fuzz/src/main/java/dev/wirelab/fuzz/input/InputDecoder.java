package dev.wirelab.fuzz.input;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that decides how fuzzer bytes become actions. Same bytes, same actions; every byte
 * string decodes (a truncated last action is dropped), so libFuzzer's mutations never waste a run.
 *
 * <p>Format, one action after another (at most {@value Limits#MAX_ACTIONS}):
 * <pre>
 * action   := op:u8 body            kind = target table[op % table size]
 * SEGMENT  := h:u16 seq:rel ack:rel window:u16 opts payload
 *             flags = h &amp; 0x1ff, repeat = {1,1,1,2,4,8,16,16}[h&gt;&gt;13]; the last code is a bulk transfer:
 *             16 full-size segments whatever plen says (the guest's receive window filled: one changed code
 *             turns any segment of a stream into a window fill),
 *             conn = (previous segment's conn + ((h&gt;&gt;11)&amp;3)) mod 4 (the first segment counts from slot 0),
 *             source = {the conn's, PEER, UNSPECIFIED, OTHER_HOST}[(h&gt;&gt;9)&amp;3]; "the conn's" is the source of
 *             the last SYN on that conn (PEER before any). A conversation keeps its connection and its address
 *             unless a segment names another, so one changed byte in a SYN moves the whole exchange that
 *             follows (to 0.0.0.0, to the guest's echo service), as relative sequence numbers keep it in order
 * opts     := mask:u8 [mss:u16] [shift:u8] [tsval:u32 tsecr:u32] [count:u8 (left:rel right:rel)*]
 *             mask bits: 0 MSS, 1 window scale, 2 SACK-permitted, 3 timestamps, 4 SACK ((count&amp;3)+1 blocks,
 *             fewer if the option space is full)
 * payload  := len:plen p:u8 pattern:u8[min(p, len, 255)]
 * plen     := hdr:u8 [value]          mode = hdr&amp;3: 0 → hdr&gt;&gt;2, 1 → u8, 2 → u16, each modulo (max + 1);
 *             3 → max, a full segment (max = 1460 - padded option bytes): filling windows takes full segments
 * READ, WRITE := n:uvar (mod 65536)   TICK := offset:tvar (mod 65536)   ADVANCE := micros:uvar (mod 10 s + 1)
 * SHUTDOWN := how:u8 (mod 3)          CONNECT := agent:u8 (mod 4)      CLOSE := (nothing)
 * rel      := hdr:u8 [offset]         anchor = hdr&amp;3; width = (hdr&gt;&gt;2)&amp;3: 0 → offset (hdr&gt;&gt;4)-8,
 *             1 → s8, 2 → s16, 3 → s32 (big-endian)
 * uvar     := hdr:u8 [value]          width = hdr&amp;3: 0 → hdr&gt;&gt;2, 1 → u8, 2 → u16, 3 → u24
 * tvar     := hdr:u8 [value]          hdr&amp;3: 0 → (hdr&gt;&gt;2)·16, 1 → u8·16, 2 → u16, 3 → u24: tick offsets in
 *             steps of {@value #TICK_STEP} up to 4080 take one byte, so a random byte lands a tick anywhere in
 *             a syscall's first few thousand instructions (a critical section is hundreds wide), not only
 *             inside the 1/256 of a u16's range a changed high byte reaches
 * </pre>
 */
public final class InputDecoder {
    /** Source codes 1-3; code 0 is the connection's own (see {@link Conversation}). */
    static final Source[] SOURCES = {null, Source.PEER, Source.UNSPECIFIED, Source.OTHER_HOST};
    static final int[] REPEATS = {1, 1, 1, 2, 4, 8, 16, 16};
    /** The repeat code of a bulk transfer: 16 segments, each of full size. */
    static final int BULK = 7;
    static final int OPT_MSS = 1;
    static final int OPT_WSCALE = 2;
    static final int OPT_SACK_PERMITTED = 4;
    static final int OPT_TIMESTAMPS = 8;
    static final int OPT_SACK = 16;
    /** The SYN flag bit: a SYN claims its connection's source address for the segments after it. */
    static final int SYN = 0x002;
    /** Granularity of the one-byte tick offsets (tvar modes 0 and 1). */
    static final int TICK_STEP = 16;

    private InputDecoder() {
    }

    public static FuzzInput decode(StreamTarget target, FuzzedDataProvider data) {
        return decode(target, data.consumeRemainingAsBytes());
    }

    public static FuzzInput decode(StreamTarget target, byte[] bytes) {
        Reader in = new Reader(bytes);
        Conversation conv = new Conversation();
        List<Action> actions = new ArrayList<>();
        List<StreamTarget.Kind> table = target.table();
        while (actions.size() < Limits.MAX_ACTIONS && in.more()) {
            try {
                StreamTarget.Kind kind = table.get(in.u8() % table.size());
                actions.add(switch (kind) {
                    case SEGMENT -> segment(in, conv);
                    case READ -> new AppRead((int) (in.uvar() % (Limits.MAX_APP_BYTES + 1)));
                    case WRITE -> new AppWrite((int) (in.uvar() % (Limits.MAX_APP_BYTES + 1)));
                    case CLOSE -> new AppClose();
                    case SHUTDOWN -> new AppShutdown(AppShutdown.How.values()[in.u8() % 3]);
                    case TICK -> new Tick(in.tvar() % (Limits.MAX_TICK_OFFSET + 1));
                    case ADVANCE -> new Advance(in.uvar() % (Limits.MAX_ADVANCE_MICROS + 1));
                    case CONNECT -> new Connect(in.u8() % Limits.AGENTS);
                });
            } catch (Truncated t) {
                break;
            }
        }
        return new FuzzInput(target, actions);
    }

    private static Segment segment(Reader in, Conversation conv) throws Truncated {
        int h = in.u16();
        int conn = conv.slot((h >> 11) & 3);
        Source source = conv.source(conn, (h >> 9) & 3);
        Rel seq = rel(in);
        Rel ack = rel(in);
        int window = in.u16();
        int mask = in.u8();
        List<SegOption> opts = new ArrayList<>();
        int used = 0;
        if ((mask & OPT_MSS) != 0) {
            opts.add(new SegOption.Mss(in.u16()));
            used += 4;
        }
        if ((mask & OPT_WSCALE) != 0) {
            opts.add(new SegOption.WindowScale(in.u8()));
            used += 4;
        }
        if ((mask & OPT_SACK_PERMITTED) != 0) {
            opts.add(new SegOption.SackPermitted());
            used += 2;
        }
        if ((mask & OPT_TIMESTAMPS) != 0) {
            opts.add(new SegOption.Timestamps(in.u32(), in.u32()));
            used += 10;
        }
        if ((mask & OPT_SACK) != 0) {
            int want = (in.u8() & 3) + 1;
            int fits = Math.min(want, (Limits.MAX_OPTION_BYTES - used - 4) / 8);
            List<SegOption.SackBlock> blocks = new ArrayList<>();
            for (int i = 0; i < fits; i++) {
                blocks.add(new SegOption.SackBlock(rel(in), rel(in)));
            }
            opts.add(new SegOption.Sack(blocks));
        }
        int maxLen = Limits.MAX_SEGMENT_DATA - Limits.paddedOptionBytes(opts);
        int len = payloadLength(in, maxLen);
        if ((h >> 13) == BULK) {
            len = maxLen;
        }
        int p = Math.min(in.u8(), Math.min(len, Limits.MAX_PATTERN));
        byte[] pattern = in.bytes(p);
        conv.sent(conn, h & 0x1ff, source);
        return new Segment(h & 0x1ff, source, conn, seq, ack, window, opts, new Payload(len, pattern),
                REPEATS[(h >> 13) & 7]);
    }

    private static int payloadLength(Reader in, int max) throws Truncated {
        int hdr = in.u8();
        return switch (hdr & 3) {
            case 0 -> (hdr >> 2) % (max + 1);
            case 1 -> in.u8() % (max + 1);
            case 2 -> in.u16() % (max + 1);
            default -> max;
        };
    }

    private static Rel rel(Reader in) throws Truncated {
        int hdr = in.u8();
        Anchor anchor = Anchor.values()[hdr & 3];
        int offset = switch ((hdr >> 2) & 3) {
            case 0 -> (hdr >> 4) - 8;
            case 1 -> (byte) in.u8();
            case 2 -> (short) in.u16();
            default -> (int) in.u32();
        };
        return new Rel(anchor, offset);
    }

    /**
     * What a segment's connection and source codes are relative to: the previous segment's connection
     * and each connection's address as its last SYN claimed it. The encoder keeps the same state.
     */
    static final class Conversation {
        private int slot;
        private final Source[] sources = {Source.PEER, Source.PEER, Source.PEER, Source.PEER};

        int slot(int code) {
            return (slot + code) % Limits.CONNECTIONS;
        }

        int code(int conn) {
            return Math.floorMod(conn - slot, Limits.CONNECTIONS);
        }

        Source source(int conn, int code) {
            return code == 0 ? sources[conn] : SOURCES[code];
        }

        int sourceCode(int conn, Source s) {
            return s == sources[conn] ? 0 : java.util.Arrays.asList(SOURCES).indexOf(s);
        }

        void sent(int conn, int flags, Source source) {
            slot = conn;
            if ((flags & SYN) != 0) {
                sources[conn] = source;
            }
        }
    }

    /** Running out of bytes inside an action; preallocated, it is ordinary control flow here. */
    private static final class Truncated extends Exception {
        static final Truncated INSTANCE = new Truncated();

        private Truncated() {
            super("truncated", null, false, false);
        }
    }

    private static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        boolean more() {
            return pos < b.length;
        }

        int u8() throws Truncated {
            if (pos >= b.length) {
                throw Truncated.INSTANCE;
            }
            return b[pos++] & 0xff;
        }

        int u16() throws Truncated {
            return (u8() << 8) | u8();
        }

        long u32() throws Truncated {
            return ((long) u16() << 16) | u16();
        }

        long uvar() throws Truncated {
            int hdr = u8();
            return switch (hdr & 3) {
                case 0 -> hdr >> 2;
                case 1 -> u8();
                case 2 -> u16();
                default -> ((long) u8() << 16) | u16();
            };
        }

        long tvar() throws Truncated {
            int hdr = u8();
            return switch (hdr & 3) {
                case 0 -> (long) (hdr >> 2) * TICK_STEP;
                case 1 -> (long) u8() * TICK_STEP;
                case 2 -> u16();
                default -> ((long) u8() << 16) | u16();
            };
        }

        byte[] bytes(int n) throws Truncated {
            if (b.length - pos < n) {
                throw Truncated.INSTANCE;
            }
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }
    }
}
