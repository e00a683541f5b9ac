package dev.wirelab.emulator.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * An IPv6 packet (RFC 8200): the fixed header, the payload after it, and the
 * upper-layer protocol and bytes found by skipping extension headers
 * (hop-by-hop, routing, destination options, fragment, AH). Extension headers are
 * only skipped — their contents are not decoded; {@code extensionHeaders} lists
 * their types in order.
 */
public record Ipv6Packet(int version, int trafficClass, int flowLabel, int payloadLength, int nextHeader, int hopLimit,
        Ipv6Address source, Ipv6Address destination, Bytes payload, List<Integer> extensionHeaders, int upperProtocol,
        Bytes upperPayload, boolean isFragment) implements IpPacket {
    static final String LAYER = "ipv6";
    public static final int HEADER_LENGTH = 40;
    private static final int MAX_EXTENSIONS = 16;

    public Ipv6Packet {
        extensionHeaders = List.copyOf(extensionHeaders);
    }

    public static Ipv6Packet parse(Bytes data) throws ParseException {
        return parse(data, null);
    }

    public static Ipv6Packet parse(Bytes data, List<Malformation> problems) throws ParseException {
        int base = data.origin();
        if (data.length() < HEADER_LENGTH) {
            throw ParseException.of(LAYER, "header", base, "IPv6 header needs 40 bytes, got " + data.length());
        }
        long first = data.u32(0);
        int version = (int) (first >>> 28);
        if (version != 6) {
            throw ParseException.of(LAYER, "version", base, "version " + version + ", expected 6");
        }
        int plen = data.u16(4);
        int avail = data.length() - HEADER_LENGTH;
        int end = plen;
        if (plen > avail) {
            Ipv4Packet.report(problems, LAYER, "payloadLength", base + 4,
                    "payload length " + plen + " but only " + avail + " bytes present (truncated)");
            end = avail;
        }
        Bytes payload = data.slice(HEADER_LENGTH, end);
        int next = data.u8(6);
        List<Integer> ext = List.of();
        int pos = 0;
        boolean fragment = false;
        boolean upperMissing = false;
        while (isExtension(next)) {
            if (ext.size() >= MAX_EXTENSIONS) {
                throw ParseException.of(LAYER, "nextHeader", payload.origin() + pos, "more than " + MAX_EXTENSIONS + " extension headers");
            }
            if (pos + 8 > payload.length()) {
                throw ParseException.of(LAYER, "extension", payload.origin() + pos,
                        IpProtocol.name(next) + " header needs 8 bytes, " + (payload.length() - pos) + " left");
            }
            if (ext.isEmpty()) {
                ext = new ArrayList<>(2);
            }
            ext.add(next);
            int len;
            if (next == IpProtocol.IPV6_FRAGMENT) {
                len = 8;
                int offMf = payload.u16(pos + 2);
                fragment = true;
                if ((offMf & 0xfff8) != 0) {
                    upperMissing = true;
                }
            } else if (next == IpProtocol.AH) {
                len = (payload.u8(pos + 1) + 2) * 4;
            } else {
                len = (payload.u8(pos + 1) + 1) * 8;
            }
            if (pos + len > payload.length()) {
                throw ParseException.of(LAYER, "extension", payload.origin() + pos + 1,
                        IpProtocol.name(next) + " header length " + len + " exceeds the " + (payload.length() - pos) + " bytes left");
            }
            next = payload.u8(pos);
            pos += len;
            if (upperMissing) {
                break;
            }
        }
        Bytes upper = upperMissing ? Bytes.EMPTY : payload.slice(pos);
        return new Ipv6Packet(version, (int) (first >>> 20) & 0xff, (int) first & 0xfffff, plen, data.u8(6), data.u8(7),
                Ipv6Address.read(data, 8), Ipv6Address.read(data, 24), payload, ext, next, upper, fragment);
    }

    static boolean isExtension(int n) {
        return n == IpProtocol.HOP_BY_HOP || n == IpProtocol.IPV6_ROUTING || n == IpProtocol.IPV6_FRAGMENT
                || n == IpProtocol.IPV6_DEST_OPTS || n == IpProtocol.AH;
    }

    /** A builder with this packet's fields and payload bytes (extension headers included, as raw payload). */
    public Builder toBuilder() {
        return new Builder().source(source).destination(destination).trafficClass(trafficClass).flowLabel(flowLabel)
                .hopLimit(hopLimit).nextHeader(nextHeader).payload(payload.toArray());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds IPv6 packets (no extension headers); payload length is computed unless overridden. */
    public static final class Builder implements EtherPayload {
        private Ipv6Address source = Ipv6Address.ANY;
        private Ipv6Address destination = Ipv6Address.ANY;
        private int trafficClass;
        private int flowLabel;
        private int hopLimit = 64;
        private Integer nextHeader;
        private Integer payloadLength;
        private IpPayload upper;
        private byte[] raw = new byte[0];

        public Builder source(Ipv6Address v) {
            source = v;
            return this;
        }

        public Builder source(String v) {
            return source(Ipv6Address.parse(v));
        }

        public Builder destination(Ipv6Address v) {
            destination = v;
            return this;
        }

        public Builder destination(String v) {
            return destination(Ipv6Address.parse(v));
        }

        public Builder trafficClass(int v) {
            Put.checkRange("trafficClass", v, 0, 255);
            trafficClass = v;
            return this;
        }

        public Builder flowLabel(int v) {
            Put.checkRange("flowLabel", v, 0, 0xfffff);
            flowLabel = v;
            return this;
        }

        public Builder hopLimit(int v) {
            Put.checkRange("hopLimit", v, 0, 255);
            hopLimit = v;
            return this;
        }

        public Builder nextHeader(int v) {
            Put.checkRange("nextHeader", v, 0, 255);
            nextHeader = v;
            return this;
        }

        public Builder payloadLength(int v) {
            Put.checkRange("payloadLength", v, 0, 0xffff);
            payloadLength = v;
            return this;
        }

        public Builder payload(IpPayload p) {
            upper = p;
            return this;
        }

        public Builder payload(byte[] v) {
            upper = null;
            raw = v.clone();
            return this;
        }

        @Override
        public int etherType() {
            return EtherType.IPV6;
        }

        @Override
        public byte[] encode() {
            byte[] body = upper != null ? upper.encode(source, destination) : raw;
            if (body.length > 0xffff && payloadLength == null) {
                throw new IllegalArgumentException("IPv6 payload of " + body.length + " bytes needs a jumbogram");
            }
            byte[] a = new byte[HEADER_LENGTH + body.length];
            Put.u32(a, 0, 6L << 28 | (long) trafficClass << 20 | flowLabel);
            Put.u16(a, 4, payloadLength != null ? payloadLength : body.length);
            a[6] = (byte) (nextHeader != null ? nextHeader : upper != null ? upper.ipProtocol() : IpProtocol.IPV6_NO_NEXT);
            a[7] = (byte) hopLimit;
            source.write(a, 8);
            destination.write(a, 24);
            System.arraycopy(body, 0, a, HEADER_LENGTH, body.length);
            return a;
        }

        public Ipv6Packet build() {
            try {
                return parse(Bytes.wrap(encode()));
            } catch (ParseException e) {
                throw new IllegalStateException("builder overrides produced an unparsable packet: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "IP6 " + source + " > " + destination + ": " + IpProtocol.name(upperProtocol) + " hlim " + hopLimit
                + " plen " + payloadLength + (isFragment ? " frag" : "");
    }
}
