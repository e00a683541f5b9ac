package dev.wirelab.emulator.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads classic pcap and pcapng captures into memory.
 *
 * <p>pcap: both byte orders, microsecond (0xa1b2c3d4) and nanosecond (0xa1b23c4d)
 * magic. pcapng (draft-ietf-opsawg-pcapng): sections in either byte order, several
 * sections per file, Interface Description Blocks with {@code if_tsresol} and
 * {@code if_tsoffset}, Enhanced, Simple and (obsolete) Packet Blocks; every other
 * block type is skipped.
 *
 * <p>Malformed input raises {@link CaptureFormatException} with the file offset.
 * Bytes after the last complete block/record that are too few to form a header
 * are reported in {@link Capture#warnings()}; in {@link Mode#LENIENT} mode any
 * framing error (truncated or corrupt block) ends reading with a warning and the
 * frames read so far. A frame on an interface whose link type wirelab does not
 * know is an error naming the link type (both modes).
 */
public final class CaptureReader {
    public enum Mode {
        /** Every structural problem is an exception (only a short tail of garbage is tolerated). */
        STRICT,
        /** A truncated or corrupt tail ends reading with a warning instead. */
        LENIENT
    }

    public enum Format {
        PCAP,
        PCAPNG
    }

    /** One interface (pcapng IDB, or the pcap file header). */
    public record InterfaceInfo(int id, int section, int linkType, long snapLength, String name, int tsResolution,
            long tsOffsetSeconds) {
    }

    /**
     * What a capture holds. {@code warnings} says what was tolerated (trailing garbage,
     * skipped tails). {@code directions} is parallel to {@code frames}: the pcapng
     * {@code epb_flags} direction, or for Linux cooked captures the packet type
     * (outgoing → OUTBOUND, to this host → INBOUND), else UNKNOWN.
     */
    public record Capture(Format format, List<InterfaceInfo> interfaces, List<CapturedFrame> frames,
            List<Direction> directions, List<String> warnings) {
        public Capture {
            interfaces = List.copyOf(interfaces);
            frames = List.copyOf(frames);
            directions = List.copyOf(directions);
            warnings = List.copyOf(warnings);
            if (directions.size() != frames.size()) {
                throw new IllegalArgumentException(directions.size() + " directions for " + frames.size() + " frames");
            }
        }

        /** The direction of frame {@code index}. */
        public Direction direction(int index) {
            return directions.get(index);
        }
    }

    static final int PCAP_MAGIC_US = 0xa1b2c3d4;
    static final int PCAP_MAGIC_NS = 0xa1b23c4d;
    static final int SHB = 0x0a0d0d0a;
    static final int IDB = 1;
    static final int PB = 2;
    static final int SPB = 3;
    static final int EPB = 6;
    static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;
    /** Larger packets than this are taken as corruption, not as data. */
    static final int MAX_PACKET = 256 * 1024 * 1024;

    private final byte[] d;
    private final Mode mode;
    private boolean little;
    private final List<InterfaceInfo> interfaces = new ArrayList<>();
    private final List<CapturedFrame> frames = new ArrayList<>();
    private final List<Direction> directions = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private boolean fracWarned;

    private CaptureReader(byte[] data, Mode mode) {
        this.d = data;
        this.mode = mode;
    }

    public static Capture read(Path file) throws IOException {
        return read(file, Mode.STRICT);
    }

    public static Capture read(Path file, Mode mode) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 16) {
            throw new CaptureFormatException(-1, file + " is " + size + " bytes; wirelab reads captures into memory and "
                    + "takes at most 2 GiB (split it with editcap -c)");
        }
        return read(Files.readAllBytes(file), mode);
    }

    public static Capture read(byte[] data) throws CaptureFormatException {
        return read(data, Mode.STRICT);
    }

    public static Capture read(byte[] data, Mode mode) throws CaptureFormatException {
        if (data.length < 4) {
            throw new CaptureFormatException(0, "file of " + data.length + " bytes is too short to be a capture");
        }
        CaptureReader r = new CaptureReader(data, mode);
        int be = r.beU32(0);
        int le = Integer.reverseBytes(be);
        if (be == SHB) {
            r.readPcapng();
            return r.result(Format.PCAPNG);
        }
        if (be == PCAP_MAGIC_US || be == PCAP_MAGIC_NS || le == PCAP_MAGIC_US || le == PCAP_MAGIC_NS) {
            boolean bigEndian = be == PCAP_MAGIC_US || be == PCAP_MAGIC_NS;
            r.readPcap(!bigEndian, be == PCAP_MAGIC_NS || le == PCAP_MAGIC_NS);
            return r.result(Format.PCAP);
        }
        throw new CaptureFormatException(0, String.format("not a pcap or pcapng file: first 4 bytes 0x%08x", be));
    }

    private Capture result(Format f) {
        return new Capture(f, interfaces, frames, directions, warnings);
    }

    // ---- classic pcap -------------------------------------------------------------------------

    private void readPcap(boolean littleEndian, boolean nanos) throws CaptureFormatException {
        little = littleEndian;
        if (d.length < 24) {
            throw new CaptureFormatException(0, "truncated pcap file header: needs 24 bytes, file has " + d.length);
        }
        int major = u16(4);
        int minor = u16(6);
        if (major != 2) {
            throw new CaptureFormatException(4, "unsupported pcap version " + major + "." + minor + " (expected 2.x)");
        }
        long snap = u32(16);
        int linkField = (int) u32(20);
        int linkType = linkField & 0xffff;
        interfaces.add(new InterfaceInfo(0, 0, linkType, snap, null, nanos ? 9 : 6, 0));
        int pos = 24;
        while (pos < d.length) {
            int left = d.length - pos;
            if (left < 16) {
                warnings.add("trailing " + left + " bytes at offset " + pos + " ignored (too short for a 16-byte pcap record header)");
                return;
            }
            long sec = u32(pos);
            long frac = u32(pos + 4);
            long incl = u32(pos + 8);
            long orig = u32(pos + 12);
            try {
                if (incl > MAX_PACKET) {
                    throw new CaptureFormatException(pos + 8, "pcap record at offset " + pos + ": captured length " + incl
                            + " is implausible (more than " + MAX_PACKET + ")");
                }
                if (incl > left - 16) {
                    throw new CaptureFormatException(pos, "truncated pcap record at offset " + pos + ": captured length "
                            + incl + " but only " + (left - 16) + " bytes remain");
                }
            } catch (CaptureFormatException e) {
                tolerate(e);
                return;
            }
            if (frac >= (nanos ? 1_000_000_000L : 1_000_000L) && !fracWarned) {
                // some writers emit this; Wireshark carries it into the seconds, so do we
                warnings.add("pcap record at offset " + pos + ": fraction of second " + frac + " out of range for "
                        + (nanos ? "nanosecond" : "microsecond") + " resolution (carried into seconds; reported once)");
                fracWarned = true;
            }
            long ts = sec * 1_000_000_000L + (nanos ? frac : frac * 1000);
            checkLink(linkType, 0, pos);
            byte[] data = slice(pos + 16, (int) incl);
            add(new CapturedFrame(ts, 0, linkType, data, (int) Math.min(orig, Integer.MAX_VALUE)), 0);
            pos += 16 + (int) incl;
        }
    }

    private void tolerate(CaptureFormatException e) throws CaptureFormatException {
        if (mode == Mode.STRICT) {
            throw e;
        }
        warnings.add("stopped reading: " + e.getMessage());
    }

    private void checkLink(int linkType, int iface, int at) throws CaptureFormatException {
        if (!LinkType.isSupported(linkType)) {
            throw new CaptureFormatException(at, "packet at offset " + at + " on interface " + iface
                    + " has unsupported link type " + LinkType.describe(linkType) + "; supported: " + LinkType.supportedList());
        }
    }

    // ---- pcapng -------------------------------------------------------------------------------

    private int sectionBase;
    private int section = -1;

    private void readPcapng() throws CaptureFormatException {
        int pos = 0;
        while (pos < d.length) {
            int left = d.length - pos;
            if (left < 12) {
                warnings.add("trailing " + left + " bytes at offset " + pos + " ignored (too short for a block header)");
                return;
            }
            int end;
            try {
                end = frame(pos);
            } catch (CaptureFormatException e) {
                tolerate(e);
                return;
            }
            // errors inside a well-framed block are never tolerated
            content(pos, end);
            pos = end;
        }
    }

    /** Checks the framing of the block at {@code pos} (type, lengths); returns the offset of the next one. */
    private int frame(int pos) throws CaptureFormatException {
        int typeBe = beU32(pos);
        if (typeBe == SHB) {
            // the byte-order magic decides how this section (and this block's lengths) read
            if (d.length - pos < 28) {
                throw new CaptureFormatException(pos, "truncated Section Header Block at offset " + pos + ": needs 28 bytes, "
                        + (d.length - pos) + " remain");
            }
            int bom = beU32(pos + 8);
            if (bom == BYTE_ORDER_MAGIC) {
                little = false;
            } else if (Integer.reverseBytes(bom) == BYTE_ORDER_MAGIC) {
                little = true;
            } else {
                throw new CaptureFormatException(pos + 8, String.format(
                        "Section Header Block at offset %d: byte-order magic 0x%08x is neither 0x1a2b3c4d nor its reverse", pos, bom));
            }
        } else if (section < 0) {
            throw new CaptureFormatException(pos, "block at offset " + pos + " before any Section Header Block");
        }
        int type = (int) u32(pos);
        long len = u32(pos + 4);
        String name = blockName(type);
        if (len < 12 || (len & 3) != 0) {
            throw new CaptureFormatException(pos + 4, name + " at offset " + pos + ": block length " + len
                    + " is " + (len < 12 ? "less than 12" : "not a multiple of 4"));
        }
        if (len > d.length - pos) {
            throw new CaptureFormatException(pos, "truncated " + name + " at offset " + pos + ": block length " + len
                    + " but only " + (d.length - pos) + " bytes remain");
        }
        int end = pos + (int) len;
        long trailer = u32(end - 4);
        if (trailer != len) {
            throw new CaptureFormatException(end - 4, name + " at offset " + pos + ": trailing block length " + trailer
                    + " does not match leading block length " + len);
        }
        if (type == SHB && len < 28) {
            throw new CaptureFormatException(pos + 4, "Section Header Block at offset " + pos + ": block length " + len
                    + " is less than 28");
        }
        return end;
    }

    /** Decodes the well-framed block {@code [pos, end)}. */
    private void content(int pos, int end) throws CaptureFormatException {
        int type = (int) u32(pos);
        int body = pos + 8;
        int bodyEnd = end - 4;
        switch (type) {
            case SHB -> {
                int major = u16(body + 4);
                if (major != 1) {
                    throw semantic(body + 4, "Section Header Block at offset " + pos + ": unsupported version " + major + "."
                            + u16(body + 6) + " (expected 1.x)");
                }
                section++;
                sectionBase = interfaces.size();
            }
            case IDB -> readIdb(pos, body, bodyEnd);
            case EPB -> readEpb(pos, body, bodyEnd);
            case SPB -> readSpb(pos, body, bodyEnd);
            case PB -> readPb(pos, body, bodyEnd);
            default -> {
                // unknown, name resolution, statistics, custom, DSB...: skipped
            }
        }
    }

    private static CaptureFormatException semantic(long offset, String message) {
        return new CaptureFormatException(offset, message);
    }

    private static String blockName(int type) {
        return switch (type) {
            case SHB -> "Section Header Block";
            case IDB -> "Interface Description Block";
            case PB -> "Packet Block";
            case SPB -> "Simple Packet Block";
            case EPB -> "Enhanced Packet Block";
            case 4 -> "Name Resolution Block";
            case 5 -> "Interface Statistics Block";
            case 10 -> "Decryption Secrets Block";
            default -> String.format("block of type 0x%08x", type);
        };
    }

    private void readIdb(int pos, int body, int bodyEnd) throws CaptureFormatException {
        if (bodyEnd - body < 8) {
            throw semantic(pos, "Interface Description Block at offset " + pos + ": body of " + (bodyEnd - body)
                    + " bytes is shorter than 8");
        }
        int linkType = u16(body);
        long snap = u32(body + 4);
        int tsres = 6;
        long tsoff = 0;
        String ifName = null;
        int o = body + 8;
        while (o + 4 <= bodyEnd) {
            int code = u16(o);
            int olen = u16(o + 2);
            if (code == 0) {
                break;
            }
            int padded = (olen + 3) & ~3;
            if (padded > bodyEnd - o - 4) {
                throw semantic(o + 2, "Interface Description Block at offset " + pos + ": option " + code + " at offset " + o
                        + " has length " + olen + " but only " + (bodyEnd - o - 4) + " bytes remain in the block");
            }
            int v = o + 4;
            switch (code) {
                case 2 -> ifName = new String(d, v, olen, java.nio.charset.StandardCharsets.UTF_8);
                case 9 -> {
                    if (olen != 1) {
                        throw semantic(o, "Interface Description Block at offset " + pos + ": if_tsresol length " + olen
                                + ", expected 1");
                    }
                    tsres = d[v] & 0xff;
                    int exp = tsres & 0x7f;
                    if ((tsres & 0x80) == 0 ? exp > 18 : exp > 62) {
                        throw semantic(v, "Interface Description Block at offset " + pos + ": if_tsresol 0x"
                                + Integer.toHexString(tsres) + " is finer than wirelab can represent");
                    }
                }
                case 14 -> {
                    if (olen != 8) {
                        throw semantic(o, "Interface Description Block at offset " + pos + ": if_tsoffset length " + olen
                                + ", expected 8");
                    }
                    tsoff = u64(v);
                }
                default -> {
                }
            }
            o += 4 + padded;
        }
        interfaces.add(new InterfaceInfo(interfaces.size(), section, linkType, snap, ifName, tsres, tsoff));
    }

    private InterfaceInfo iface(int pos, String block, long localId) throws CaptureFormatException {
        long global = sectionBase + localId;
        if (localId < 0 || global >= interfaces.size()) {
            throw semantic(pos + 8, block + " at offset " + pos + ": interface " + localId + " is not described in this section ("
                    + (interfaces.size() - sectionBase) + " interfaces)");
        }
        return interfaces.get((int) global);
    }

    private void readEpb(int pos, int body, int bodyEnd) throws CaptureFormatException {
        readPacketBlock("Enhanced Packet Block", pos, body, bodyEnd, true);
    }

    /**
     * An Enhanced Packet Block or the obsolete Packet Block: the same fixed part (interface, timestamp
     * high and low, captured and original length) before the data, except that a Packet Block's
     * interface ID is 16 bits (a drops count follows) and its options carry no epb_flags.
     */
    private void readPacketBlock(String block, int pos, int body, int bodyEnd, boolean enhanced)
            throws CaptureFormatException {
        if (bodyEnd - body < 20) {
            throw semantic(pos, block + " at offset " + pos + ": body of " + (bodyEnd - body)
                    + " bytes is shorter than its 20-byte fixed part");
        }
        InterfaceInfo ifc = iface(pos, block, enhanced ? u32(body) : u16(body));
        long ts = (u32(body + 4) << 32) | u32(body + 8);
        long cap = u32(body + 12);
        long orig = u32(body + 16);
        if (cap > bodyEnd - body - 20) {
            throw semantic(body + 12, block + " at offset " + pos + ": captured length " + cap
                    + " but the block holds only " + (bodyEnd - body - 20) + " bytes of packet data");
        }
        checkLink(ifc.linkType(), ifc.id(), pos);
        long flags = enhanced ? epbFlags(body + 20 + (((int) cap + 3) & ~3), bodyEnd) : 0;
        add(new CapturedFrame(toNanos(ts, ifc, pos), ifc.id(), ifc.linkType(), slice(body + 20, (int) cap),
                (int) Math.min(orig, Integer.MAX_VALUE)), flags);
    }

    /** The epb_flags option value among the options in {@code [o, end)}, or 0 (malformed options are ignored here). */
    private long epbFlags(int o, int end) {
        while (o + 4 <= end) {
            int code = u16(o);
            int olen = u16(o + 2);
            if (code == 0 || ((olen + 3) & ~3) > end - o - 4) {
                return 0;
            }
            if (code == 2 && olen == 4) {
                return u32(o + 4);
            }
            o += 4 + ((olen + 3) & ~3);
        }
        return 0;
    }

    private void add(CapturedFrame f, long epbFlags) {
        frames.add(f);
        Direction d = Direction.fromEpbFlags(epbFlags);
        if (d == Direction.UNKNOWN && (f.linkType() == LinkType.LINUX_SLL || f.linkType() == LinkType.LINUX_SLL2)) {
            byte[] data = f.data();
            int typeAt = f.linkType() == LinkType.LINUX_SLL ? 1 : 10;
            if (data.length > typeAt) {
                d = switch (data[typeAt]) {
                    case 0 -> Direction.INBOUND; // PACKET_HOST
                    case 4 -> Direction.OUTBOUND; // PACKET_OUTGOING
                    default -> Direction.UNKNOWN;
                };
            }
        }
        directions.add(d);
    }

    private void readPb(int pos, int body, int bodyEnd) throws CaptureFormatException {
        readPacketBlock("Packet Block", pos, body, bodyEnd, false);
    }

    /** Simple Packet Blocks carry no timestamp: their frames get timestamp 0. */
    private void readSpb(int pos, int body, int bodyEnd) throws CaptureFormatException {
        if (bodyEnd - body < 4) {
            throw semantic(pos, "Simple Packet Block at offset " + pos + ": body shorter than 4 bytes");
        }
        InterfaceInfo ifc = iface(pos, "Simple Packet Block", 0);
        long orig = u32(body);
        long cap = Math.min(orig, bodyEnd - body - 4);
        if (ifc.snapLength() > 0) {
            cap = Math.min(cap, ifc.snapLength());
        }
        checkLink(ifc.linkType(), ifc.id(), pos);
        add(new CapturedFrame(0, ifc.id(), ifc.linkType(), slice(body + 4, (int) cap),
                (int) Math.min(orig, Integer.MAX_VALUE)), 0);
    }

    /** Timestamp units → nanoseconds (if_tsresol: 10^-n or 2^-n seconds), plus if_tsoffset seconds. */
    private static long toNanos(long ts, InterfaceInfo ifc, int pos) throws CaptureFormatException {
        int r = ifc.tsResolution();
        int exp = r & 0x7f;
        try {
            long ns;
            if ((r & 0x80) == 0) {
                if (exp <= 9) {
                    ns = Math.multiplyExact(ts, POW10[9 - exp]);
                } else {
                    ns = Long.divideUnsigned(ts, POW10[exp - 9]);
                }
            } else {
                // units of 2^-exp s: whole seconds plus the fraction
                long secs = exp >= 64 ? 0 : ts >>> exp;
                long frac = exp >= 64 ? ts : ts & ((1L << exp) - 1);
                long fracNs = exp <= 33 ? (frac * 1_000_000_000L) >>> exp
                        : Math.unsignedMultiplyHigh(frac << (64 - exp), 1_000_000_000L);
                if (exp == 0 && ts < 0) {
                    throw new ArithmeticException();
                }
                ns = Math.addExact(Math.multiplyExact(secs, 1_000_000_000L), fracNs);
            }
            if (ts < 0 && (r & 0x80) == 0 && exp <= 9) {
                throw new ArithmeticException();
            }
            return Math.addExact(ns, Math.multiplyExact(ifc.tsOffsetSeconds(), 1_000_000_000L));
        } catch (ArithmeticException e) {
            throw semantic(pos + 12, "packet block at offset " + pos + ": timestamp " + Long.toUnsignedString(ts)
                    + " with resolution 0x" + Integer.toHexString(r) + " does not fit in 64-bit nanoseconds");
        }
    }

    private static final long[] POW10 = {1L, 10L, 100L, 1000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L};

    // ---- primitive reads (callers check bounds first) -------------------------------------------

    private byte[] slice(int from, int len) {
        byte[] out = new byte[len];
        System.arraycopy(d, from, out, 0, len);
        return out;
    }

    private int beU32(int o) {
        return (d[o] & 0xff) << 24 | (d[o + 1] & 0xff) << 16 | (d[o + 2] & 0xff) << 8 | (d[o + 3] & 0xff);
    }

    private long u32(int o) {
        int v = beU32(o);
        return (little ? Integer.reverseBytes(v) : v) & 0xffff_ffffL;
    }

    private int u16(int o) {
        int v = (d[o] & 0xff) << 8 | (d[o + 1] & 0xff);
        return little ? Integer.reverseBytes(v) >>> 16 : v;
    }

    private long u64(int o) {
        long a = u32(o);
        long b = u32(o + 4);
        return little ? b << 32 | a : a << 32 | b;
    }
}
