package dev.wirelab.emulator.wire;

import java.util.List;

/**
 * An ICMPv4 message (RFC 792): type, code, checksum, the 4-byte rest of header
 * and the body. Echo request/reply expose identifier and sequence; destination
 * unreachable carries the offending datagram's header in {@code body}.
 */
public record Icmpv4Message(int type, int code, int checksum, int restOfHeader, Bytes body, int expectedChecksum)
        implements IpPayload {
    static final String LAYER = "icmp";
    public static final int HEADER_LENGTH = 8;
    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACHABLE = 3;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;
    /** Destination unreachable codes (RFC 792, RFC 1191). */
    public static final int NET_UNREACHABLE = 0;
    public static final int HOST_UNREACHABLE = 1;
    public static final int PROTOCOL_UNREACHABLE = 2;
    public static final int PORT_UNREACHABLE = 3;
    public static final int FRAGMENTATION_NEEDED = 4;

    public static Icmpv4Message parse(Bytes data) throws ParseException {
        return parse(data, null);
    }

    public static Icmpv4Message parse(Bytes data, List<Malformation> problems) throws ParseException {
        int base = data.origin();
        if (data.length() < HEADER_LENGTH) {
            throw ParseException.of(LAYER, "header", base, "ICMP header needs 8 bytes, got " + data.length());
        }
        long acc = data.onesSum(0, 0, 2);
        acc = data.onesSum(acc, 4, data.length() - 4);
        int expected = Checksum.finish(acc);
        return new Icmpv4Message(data.u8(0), data.u8(1), data.u16(2), data.s32(4), data.slice(HEADER_LENGTH), expected);
    }

    public boolean checksumOk() {
        return checksum == expectedChecksum;
    }

    public boolean isEcho() {
        return type == ECHO_REQUEST || type == ECHO_REPLY;
    }

    /** Echo identifier (high half of the rest of header). */
    public int identifier() {
        return restOfHeader >>> 16;
    }

    /** Echo sequence number (low half of the rest of header). */
    public int sequence() {
        return restOfHeader & 0xffff;
    }

    /** Next-hop MTU of a "fragmentation needed" message (RFC 1191). */
    public int nextHopMtu() {
        return restOfHeader & 0xffff;
    }

    /**
     * For error messages (unreachable, time exceeded): the quoted original datagram,
     * decoded as far as it goes (usually its IP header and 8 bytes, so the transport
     * layer is often cut short — see its malformations).
     */
    public Packet quoted() {
        return Packet.parseIp(body.toArray());
    }

    @Override
    public int ipProtocol() {
        return IpProtocol.ICMP;
    }

    @Override
    public byte[] encode(IpAddress source, IpAddress destination) {
        byte[] a = new byte[HEADER_LENGTH + body.length()];
        a[0] = (byte) type;
        a[1] = (byte) code;
        Put.u16(a, 2, checksum);
        Put.u32(a, 4, restOfHeader);
        body.copyTo(a, HEADER_LENGTH);
        return a;
    }

    public static Builder echoRequest(int identifier, int sequence, byte[] data) {
        return new Builder().type(ECHO_REQUEST).restOfHeader((identifier & 0xffff) << 16 | (sequence & 0xffff)).body(data);
    }

    public static Builder echoReply(int identifier, int sequence, byte[] data) {
        return new Builder().type(ECHO_REPLY).restOfHeader((identifier & 0xffff) << 16 | (sequence & 0xffff)).body(data);
    }

    /** Destination unreachable quoting {@code original} (RFC 792: its IP header plus 8 bytes; RFC 1812 allows more). */
    public static Builder destinationUnreachable(int code, byte[] original) {
        return new Builder().type(DEST_UNREACHABLE).code(code).body(original);
    }

    /** A builder with this message's fields; the checksum is recomputed. */
    public Builder toBuilder() {
        return new Builder().type(type).code(code).restOfHeader(restOfHeader).body(body.toArray());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds ICMPv4 messages; the checksum is computed unless overridden. */
    public static final class Builder implements IpPayload {
        private int type;
        private int code;
        private int rest;
        private byte[] body = new byte[0];
        private Integer checksum;

        public Builder type(int v) {
            Put.checkRange("type", v, 0, 255);
            type = v;
            return this;
        }

        public Builder code(int v) {
            Put.checkRange("code", v, 0, 255);
            code = v;
            return this;
        }

        public Builder restOfHeader(int v) {
            rest = v;
            return this;
        }

        public Builder body(byte[] v) {
            body = v.clone();
            return this;
        }

        public Builder checksum(int v) {
            Put.checkRange("checksum", v, 0, 0xffff);
            checksum = v;
            return this;
        }

        @Override
        public int ipProtocol() {
            return IpProtocol.ICMP;
        }

        @Override
        public byte[] encode(IpAddress source, IpAddress destination) {
            byte[] a = new byte[HEADER_LENGTH + body.length];
            a[0] = (byte) type;
            a[1] = (byte) code;
            Put.u32(a, 4, rest);
            System.arraycopy(body, 0, a, HEADER_LENGTH, body.length);
            Put.u16(a, 2, checksum != null ? checksum : Checksum.of(a, 0, a.length));
            return a;
        }

        public Icmpv4Message build() {
            try {
                return parse(Bytes.wrap(encode(null, null)));
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public String toString() {
        return switch (type) {
            case ECHO_REQUEST -> "ICMP echo request, id " + identifier() + ", seq " + sequence() + ", length " + body.length();
            case ECHO_REPLY -> "ICMP echo reply, id " + identifier() + ", seq " + sequence() + ", length " + body.length();
            case DEST_UNREACHABLE -> "ICMP unreachable code " + code + ", length " + body.length();
            default -> "ICMP type " + type + " code " + code + ", length " + body.length();
        };
    }
}
