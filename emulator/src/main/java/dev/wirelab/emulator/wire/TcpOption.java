package dev.wirelab.emulator.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * A TCP option (RFC 9293 §3.2, RFC 7323, RFC 2018). Options wirelab does not
 * know stay as {@link Unknown} with their bytes, so a parsed segment re-encodes
 * to what it was; a badly formed option becomes {@link Malformed} carrying the
 * raw bytes it covered and what was wrong.
 */
public sealed interface TcpOption {
    int EOL = 0;
    int NOP = 1;
    int MSS = 2;
    int WINDOW_SCALE = 3;
    int SACK_PERMITTED = 4;
    int SACK = 5;
    int TIMESTAMPS = 8;

    int kind();

    /** Encoded length in bytes. */
    int length();

    void write(byte[] a, int off);

    /** End of option list (kind 0). */
    record EndOfList() implements TcpOption {
        public int kind() {
            return EOL;
        }

        public int length() {
            return 1;
        }

        public void write(byte[] a, int off) {
            a[off] = 0;
        }

        @Override
        public String toString() {
            return "eol";
        }
    }

    /** No-operation padding (kind 1). */
    record Nop() implements TcpOption {
        public int kind() {
            return NOP;
        }

        public int length() {
            return 1;
        }

        public void write(byte[] a, int off) {
            a[off] = 1;
        }

        @Override
        public String toString() {
            return "nop";
        }
    }

    /** Maximum segment size (kind 2, length 4). */
    record Mss(int value) implements TcpOption {
        public Mss {
            Put.checkRange("mss", value, 0, 0xffff);
        }

        public int kind() {
            return MSS;
        }

        public int length() {
            return 4;
        }

        public void write(byte[] a, int off) {
            a[off] = MSS;
            a[off + 1] = 4;
            Put.u16(a, off + 2, value);
        }

        @Override
        public String toString() {
            return "mss " + value;
        }
    }

    /** Window scale shift count (kind 3, length 3; RFC 7323 caps a usable shift at 14). */
    record WindowScale(int shift) implements TcpOption {
        public WindowScale {
            Put.checkRange("wscale", shift, 0, 255);
        }

        public int kind() {
            return WINDOW_SCALE;
        }

        public int length() {
            return 3;
        }

        public void write(byte[] a, int off) {
            a[off] = WINDOW_SCALE;
            a[off + 1] = 3;
            a[off + 2] = (byte) shift;
        }

        @Override
        public String toString() {
            return "wscale " + shift;
        }
    }

    /** SACK permitted (kind 4, length 2). */
    record SackPermitted() implements TcpOption {
        public int kind() {
            return SACK_PERMITTED;
        }

        public int length() {
            return 2;
        }

        public void write(byte[] a, int off) {
            a[off] = SACK_PERMITTED;
            a[off + 1] = 2;
        }

        @Override
        public String toString() {
            return "sackOK";
        }
    }

    /** One SACK block: [left, right). */
    record SackBlock(SeqNumber left, SeqNumber right) {
        @Override
        public String toString() {
            return left + ":" + right;
        }
    }

    /** Selective acknowledgement blocks (kind 5, length 2 + 8n). */
    record Sack(List<SackBlock> blocks) implements TcpOption {
        public Sack {
            blocks = List.copyOf(blocks);
            if (blocks.size() > 4) {
                throw new IllegalArgumentException("at most 4 SACK blocks fit in 40 option bytes, got " + blocks.size());
            }
        }

        public int kind() {
            return SACK;
        }

        public int length() {
            return 2 + 8 * blocks.size();
        }

        public void write(byte[] a, int off) {
            a[off] = SACK;
            a[off + 1] = (byte) length();
            for (int i = 0; i < blocks.size(); i++) {
                Put.u32(a, off + 2 + 8 * i, blocks.get(i).left().value());
                Put.u32(a, off + 6 + 8 * i, blocks.get(i).right().value());
            }
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("sack ").append(blocks.size());
            for (SackBlock b : blocks) {
                sb.append(" {").append(b).append('}');
            }
            return sb.toString();
        }
    }

    /** Timestamps (kind 8, length 10): TSval and TSecr as unsigned 32-bit values. */
    record Timestamps(long tsVal, long tsEcr) implements TcpOption {
        public Timestamps {
            Put.checkRange("tsVal", tsVal, 0, 0xffff_ffffL);
            Put.checkRange("tsEcr", tsEcr, 0, 0xffff_ffffL);
        }

        public int kind() {
            return TIMESTAMPS;
        }

        public int length() {
            return 10;
        }

        public void write(byte[] a, int off) {
            a[off] = TIMESTAMPS;
            a[off + 1] = 10;
            Put.u32(a, off + 2, tsVal);
            Put.u32(a, off + 6, tsEcr);
        }

        @Override
        public String toString() {
            return "TS val " + tsVal + " ecr " + tsEcr;
        }
    }

    /** A well-formed kind-length-data option wirelab does not decode. */
    record Unknown(int kind, Bytes data) implements TcpOption {
        public Unknown {
            Put.checkRange("kind", kind, 2, 255);
            Put.checkRange("data length", data.length(), 0, 38);
        }

        public int length() {
            return 2 + data.length();
        }

        public void write(byte[] a, int off) {
            a[off] = (byte) kind;
            a[off + 1] = (byte) length();
            data.copyTo(a, off + 2);
        }

        @Override
        public String toString() {
            return "opt-" + kind + (data.isEmpty() ? "" : " 0x" + data.toHex());
        }
    }

    /**
     * Bytes that do not form a valid option (bad length, known kind with the wrong
     * length, cut off by the end of the header). {@code raw} is written back verbatim.
     */
    record Malformed(int kind, Bytes raw, String problem) implements TcpOption {
        public int length() {
            return raw.length();
        }

        public void write(byte[] a, int off) {
            raw.copyTo(a, off);
        }

        @Override
        public String toString() {
            return "bad-opt-" + kind;
        }
    }

    static TcpOption mss(int v) {
        return new Mss(v);
    }

    static TcpOption windowScale(int shift) {
        return new WindowScale(shift);
    }

    static TcpOption sackPermitted() {
        return Shared.SACK_PERMITTED;
    }

    static TcpOption nop() {
        return Shared.NOP;
    }

    static TcpOption eol() {
        return Shared.EOL;
    }

    /** The field-less options, shared (they are values; parsing need not allocate them). */
    final class Shared {
        static final Nop NOP = new Nop();
        static final EndOfList EOL = new EndOfList();
        static final SackPermitted SACK_PERMITTED = new SackPermitted();

        private Shared() {
        }
    }

    static TcpOption timestamps(long tsVal, long tsEcr) {
        return new Timestamps(tsVal, tsEcr);
    }

    static TcpOption sack(SackBlock... blocks) {
        return new Sack(List.of(blocks));
    }

    /**
     * Decodes an option area. Stops after EOL (the rest is padding; non-zero padding
     * is reported). Problems go to {@code problems} when it is not null.
     */
    static List<TcpOption> parseAll(Bytes b, List<Malformation> problems) {
        if (b.isEmpty()) {
            return List.of();
        }
        List<TcpOption> out = new ArrayList<>(6);
        int i = 0;
        int n = b.length();
        while (i < n) {
            int kind = b.u8(i);
            if (kind == EOL) {
                out.add(Shared.EOL);
                for (int j = i + 1; j < n; j++) {
                    if (b.u8(j) != 0) {
                        Ipv4Packet.report(problems, TcpSegment.LAYER, "options", b.origin() + j,
                                "non-zero byte after end-of-option-list");
                        break;
                    }
                }
                break;
            }
            if (kind == NOP) {
                out.add(Shared.NOP);
                i++;
                continue;
            }
            if (i + 1 >= n) {
                out.add(malformed(kind, b.slice(i), "option kind " + kind + " has no length byte", b.origin() + i, problems));
                break;
            }
            int len = b.u8(i + 1);
            if (len < 2 || i + len > n) {
                out.add(malformed(kind, b.slice(i), "option kind " + kind + " length " + len + " does not fit the "
                        + (n - i) + " option bytes left", b.origin() + i + 1, problems));
                break;
            }
            Bytes whole = b.slice(i, len);
            out.add(decode(kind, len, whole, b.origin() + i, problems));
            i += len;
        }
        return out;
    }

    private static TcpOption decode(int kind, int len, Bytes whole, int at, List<Malformation> problems) {
        switch (kind) {
            case MSS:
                if (len == 4) {
                    return new Mss(whole.u16(2));
                }
                break;
            case WINDOW_SCALE:
                if (len == 3) {
                    return new WindowScale(whole.u8(2));
                }
                break;
            case SACK_PERMITTED:
                if (len == 2) {
                    return Shared.SACK_PERMITTED;
                }
                break;
            case SACK:
                if (len >= 10 && (len - 2) % 8 == 0) {
                    List<SackBlock> blocks = new ArrayList<>((len - 2) / 8);
                    for (int j = 2; j < len; j += 8) {
                        blocks.add(new SackBlock(new SeqNumber(whole.s32(j)), new SeqNumber(whole.s32(j + 4))));
                    }
                    return new Sack(blocks);
                }
                break;
            case TIMESTAMPS:
                if (len == 10) {
                    return new Timestamps(whole.u32(2), whole.u32(6));
                }
                break;
            default:
                return new Unknown(kind, whole.slice(2));
        }
        return malformed(kind, whole, "option kind " + kind + " has length " + len + ", expected "
                + switch (kind) {
                    case MSS -> "4";
                    case WINDOW_SCALE -> "3";
                    case SACK_PERMITTED -> "2";
                    case SACK -> "2 + 8n with n >= 1";
                    default -> "10";
                }, at + 1, problems);
    }

    private static TcpOption malformed(int kind, Bytes raw, String problem, int at, List<Malformation> problems) {
        Ipv4Packet.report(problems, TcpSegment.LAYER, "options", at, problem);
        return new Malformed(kind, raw, problem);
    }
}
