package dev.wirelab.emulator.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 packet (RFC 791). {@code payload} is cut to {@code totalLength} (Ethernet
 * padding is dropped); if the buffer was shorter than {@code totalLength} the
 * payload is what there was and the parse reports it.
 *
 * <p>{@code expectedChecksum} is the header checksum the header bytes call for,
 * computed at parse time; {@link #checksumOk()} compares it with {@code headerChecksum}.
 */
public record Ipv4Packet(int version, int ihl, int dscp, int ecn, int totalLength, int identification,
        boolean reservedFlag, boolean dontFragment, boolean moreFragments, int fragmentOffset, int ttl, int protocol,
        int headerChecksum, Ipv4Address source, Ipv4Address destination, List<Ipv4Option> options, Bytes optionBytes,
        Bytes payload, int expectedChecksum) implements IpPacket {
    static final String LAYER = "ipv4";
    public static final int MIN_HEADER = 20;

    public Ipv4Packet {
        options = List.copyOf(options);
    }

    /** An IPv4 option: type byte and its data (none for EOL and NOP). */
    public record Ipv4Option(int type, Bytes data) {
        public static final int EOL = 0;
        public static final int NOP = 1;

        int encodedLength() {
            return type == EOL || type == NOP ? 1 : 2 + data.length();
        }
    }

    public static Ipv4Packet parse(Bytes data) throws ParseException {
        return parse(data, null);
    }

    /** Parses; problems that still leave a usable packet go to {@code problems} (when not null). */
    public static Ipv4Packet parse(Bytes data, List<Malformation> problems) throws ParseException {
        int base = data.origin();
        if (data.length() < MIN_HEADER) {
            throw ParseException.of(LAYER, "header", base, "IPv4 header needs 20 bytes, got " + data.length());
        }
        int vihl = data.u8(0);
        int version = vihl >>> 4;
        int ihl = vihl & 15;
        if (version != 4) {
            throw ParseException.of(LAYER, "version", base, "version " + version + ", expected 4");
        }
        if (ihl < 5) {
            throw ParseException.of(LAYER, "ihl", base, "header length " + ihl + " words, minimum is 5");
        }
        int hl = ihl * 4;
        if (hl > data.length()) {
            throw ParseException.of(LAYER, "ihl", base,
                    "header length " + hl + " bytes but only " + data.length() + " bytes present");
        }
        int total = data.u16(2);
        if (total < hl) {
            throw ParseException.of(LAYER, "totalLength", base + 2, "total length " + total + " is less than header length " + hl);
        }
        int end = total;
        if (total > data.length()) {
            report(problems, LAYER, "totalLength", base + 2,
                    "total length " + total + " but only " + data.length() + " bytes present (truncated)");
            end = data.length();
        }
        int ff = data.u16(6);
        int checksum = data.u16(10);
        long acc = data.onesSum(0, 0, 10);
        acc = data.onesSum(acc, 12, hl - 12);
        int expected = Checksum.finish(acc);
        if (expected != checksum && problems != null) {
            problems.add(new ChecksumMismatch(LAYER, base + 10, expected, checksum).toMalformation());
        }
        Bytes optionBytes = data.slice(MIN_HEADER, hl - MIN_HEADER);
        List<Ipv4Option> options = optionBytes.isEmpty() ? List.of() : parseOptions(optionBytes, problems);
        return new Ipv4Packet(version, ihl, data.u8(1) >>> 2, data.u8(1) & 3, total, data.u16(4), (ff & 0x8000) != 0,
                (ff & 0x4000) != 0, (ff & 0x2000) != 0, ff & 0x1fff, data.u8(8), data.u8(9), checksum,
                Ipv4Address.read(data, 12), Ipv4Address.read(data, 16), options, optionBytes, data.slice(hl, end - hl),
                expected);
    }

    private static List<Ipv4Option> parseOptions(Bytes b, List<Malformation> problems) {
        List<Ipv4Option> out = new ArrayList<>(2);
        int i = 0;
        while (i < b.length()) {
            int type = b.u8(i);
            if (type == Ipv4Option.EOL) {
                out.add(new Ipv4Option(type, Bytes.EMPTY));
                break;
            }
            if (type == Ipv4Option.NOP) {
                out.add(new Ipv4Option(type, Bytes.EMPTY));
                i++;
                continue;
            }
            if (i + 1 >= b.length()) {
                report(problems, LAYER, "options", b.origin() + i, "option type " + type + " has no length byte");
                break;
            }
            int len = b.u8(i + 1);
            if (len < 2 || i + len > b.length()) {
                report(problems, LAYER, "options", b.origin() + i + 1,
                        "option type " + type + " length " + len + " does not fit the " + (b.length() - i) + " option bytes left");
                break;
            }
            out.add(new Ipv4Option(type, b.slice(i + 2, len - 2)));
            i += len;
        }
        return out;
    }

    static void report(List<Malformation> problems, String layer, String field, int offset, String what) {
        if (problems != null) {
            problems.add(new Malformation(layer, field, offset, what));
        }
    }

    public int headerLength() {
        return ihl * 4;
    }

    public boolean checksumOk() {
        return headerChecksum == expectedChecksum;
    }

    @Override
    public boolean isFragment() {
        return moreFragments || fragmentOffset != 0;
    }

    /** Fragment offset in bytes. */
    public int fragmentByteOffset() {
        return fragmentOffset * 8;
    }

    @Override
    public int upperProtocol() {
        return protocol;
    }

    @Override
    public Bytes upperPayload() {
        return fragmentOffset != 0 ? Bytes.EMPTY : payload;
    }

    /**
     * A builder with this packet's fields, options and payload bytes; lengths and the
     * header checksum are recomputed (rewrite addresses, then set a transport builder
     * as payload to recompute its checksum too).
     */
    public Builder toBuilder() {
        return new Builder().source(source).destination(destination).dscp(dscp).ecn(ecn).identification(identification)
                .reservedFlag(reservedFlag).dontFragment(dontFragment).moreFragments(moreFragments)
                .fragmentOffset(fragmentOffset).ttl(ttl).protocol(protocol).options(optionBytes.toArray())
                .payload(payload.toArray());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds IPv4 packets. Header length, total length and header checksum are
     * computed unless overridden ({@link #ihl}, {@link #totalLength},
     * {@link #checksum}) — overrides are written as given, even when wrong.
     */
    public static final class Builder implements EtherPayload {
        private Ipv4Address source = Ipv4Address.ANY;
        private Ipv4Address destination = Ipv4Address.ANY;
        private int dscp;
        private int ecn;
        private int identification;
        private boolean reservedFlag;
        private boolean dontFragment;
        private boolean moreFragments;
        private int fragmentOffset;
        private int ttl = 64;
        private Integer protocol;
        private byte[] options = new byte[0];
        private IpPayload upper;
        private byte[] raw = new byte[0];
        private Integer ihl;
        private Integer totalLength;
        private Integer checksum;
        private Integer version;

        public Builder source(Ipv4Address v) {
            source = v;
            return this;
        }

        public Builder source(String v) {
            return source(Ipv4Address.parse(v));
        }

        public Builder destination(Ipv4Address v) {
            destination = v;
            return this;
        }

        public Builder destination(String v) {
            return destination(Ipv4Address.parse(v));
        }

        public Builder dscp(int v) {
            Put.checkRange("dscp", v, 0, 63);
            dscp = v;
            return this;
        }

        public Builder ecn(int v) {
            Put.checkRange("ecn", v, 0, 3);
            ecn = v;
            return this;
        }

        public Builder identification(int v) {
            Put.checkRange("identification", v, 0, 0xffff);
            identification = v;
            return this;
        }

        public Builder reservedFlag(boolean v) {
            reservedFlag = v;
            return this;
        }

        public Builder dontFragment(boolean v) {
            dontFragment = v;
            return this;
        }

        public Builder moreFragments(boolean v) {
            moreFragments = v;
            return this;
        }

        /** Fragment offset in 8-byte units. */
        public Builder fragmentOffset(int v) {
            Put.checkRange("fragmentOffset", v, 0, 0x1fff);
            fragmentOffset = v;
            return this;
        }

        public Builder ttl(int v) {
            Put.checkRange("ttl", v, 0, 255);
            ttl = v;
            return this;
        }

        /** Overrides the protocol number (otherwise taken from the payload builder). */
        public Builder protocol(int v) {
            Put.checkRange("protocol", v, 0, 255);
            protocol = v;
            return this;
        }

        /** Raw option bytes; padded with zeros (EOL) to a multiple of 4. */
        public Builder options(byte[] v) {
            if (v.length > 40) {
                throw new IllegalArgumentException("IPv4 options are at most 40 bytes, got " + v.length);
            }
            options = v.clone();
            return this;
        }

        public Builder payload(IpPayload p) {
            upper = p;
            return this;
        }

        /** Raw payload bytes (set {@link #protocol(int)} too). */
        public Builder payload(byte[] v) {
            upper = null;
            raw = v.clone();
            return this;
        }

        public Builder ihl(int v) {
            Put.checkRange("ihl", v, 0, 15);
            ihl = v;
            return this;
        }

        public Builder version(int v) {
            Put.checkRange("version", v, 0, 15);
            version = v;
            return this;
        }

        public Builder totalLength(int v) {
            Put.checkRange("totalLength", v, 0, 0xffff);
            totalLength = v;
            return this;
        }

        public Builder checksum(int v) {
            Put.checkRange("checksum", v, 0, 0xffff);
            checksum = v;
            return this;
        }

        @Override
        public int etherType() {
            return EtherType.IPV4;
        }

        @Override
        public byte[] encode() {
            byte[] body = upper != null ? upper.encode(source, destination) : raw;
            int proto = protocol != null ? protocol : upper != null ? upper.ipProtocol() : 0;
            int optLen = (options.length + 3) & ~3;
            int hl = MIN_HEADER + optLen;
            int len = hl + body.length;
            if (len > 0xffff && totalLength == null) {
                throw new IllegalArgumentException("IPv4 packet of " + len + " bytes exceeds 65535");
            }
            byte[] a = new byte[len];
            a[0] = (byte) ((version != null ? version : 4) << 4 | (ihl != null ? ihl : hl / 4));
            a[1] = (byte) (dscp << 2 | ecn);
            Put.u16(a, 2, totalLength != null ? totalLength : len);
            Put.u16(a, 4, identification);
            Put.u16(a, 6, (reservedFlag ? 0x8000 : 0) | (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0)
                    | fragmentOffset);
            a[8] = (byte) ttl;
            a[9] = (byte) proto;
            source.write(a, 12);
            destination.write(a, 16);
            System.arraycopy(options, 0, a, MIN_HEADER, options.length);
            Put.u16(a, 10, checksum != null ? checksum : Checksum.of(a, 0, hl));
            System.arraycopy(body, 0, a, hl, body.length);
            return a;
        }

        public Ipv4Packet build() {
            try {
                return parse(Bytes.wrap(encode()));
            } catch (ParseException e) {
                throw new IllegalStateException("builder overrides produced an unparsable packet: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("IP ").append(source).append(" > ").append(destination).append(": ").append(IpProtocol.name(protocol));
        sb.append(" ttl ").append(ttl).append(" id ").append(identification).append(" len ").append(totalLength);
        if (dontFragment) {
            sb.append(" DF");
        }
        if (isFragment()) {
            sb.append(" frag ").append(fragmentByteOffset()).append(moreFragments ? "+" : "");
        }
        return sb.toString();
    }
}
