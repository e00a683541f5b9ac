package dev.wirelab.emulator.wire;

import java.util.List;

/**
 * A UDP datagram (RFC 768). {@code payload} is cut to the length field when the
 * IP payload is longer; a length field longer than the bytes present is reported
 * and the payload is what there was. A checksum of 0 means "none" over IPv4.
 */
public record UdpDatagram(int sourcePort, int destinationPort, int length, int checksum, Bytes payload, Bytes raw)
        implements IpPayload {
    static final String LAYER = "udp";
    public static final int HEADER_LENGTH = 8;

    public static UdpDatagram parse(Bytes data) throws ParseException {
        return parse(data, null);
    }

    public static UdpDatagram parse(Bytes data, List<Malformation> problems) throws ParseException {
        int base = data.origin();
        if (data.length() < HEADER_LENGTH) {
            throw ParseException.of(LAYER, "header", base, "UDP header needs 8 bytes, got " + data.length());
        }
        int len = data.u16(4);
        if (len < HEADER_LENGTH) {
            throw ParseException.of(LAYER, "length", base + 4, "length " + len + " is less than the 8-byte header");
        }
        int end = len;
        if (len > data.length()) {
            Ipv4Packet.report(problems, LAYER, "length", base + 4,
                    "length " + len + " but only " + data.length() + " bytes present (truncated)");
            end = data.length();
        } else if (len < data.length()) {
            Ipv4Packet.report(problems, LAYER, "length", base + 4,
                    "length " + len + " but the IP payload has " + data.length() + " bytes");
        }
        Bytes raw = data.slice(0, end);
        return new UdpDatagram(data.u16(0), data.u16(2), len, data.u16(6), raw.slice(HEADER_LENGTH), raw);
    }

    /** The checksum this datagram's bytes call for (0 is sent as 0xffff). */
    public int expectedChecksum(IpAddress source, IpAddress destination) {
        int c = Checksum.transportExpected(source, destination, IpProtocol.UDP, raw, 6);
        return c == 0 ? 0xffff : c;
    }

    /** True if the checksum verifies, or is 0 ("not computed") over IPv4. */
    public boolean checksumOk(IpAddress source, IpAddress destination) {
        if (checksum == 0 && source instanceof Ipv4Address) {
            return true;
        }
        return Checksum.transport(source, destination, IpProtocol.UDP, raw) == 0;
    }

    @Override
    public int ipProtocol() {
        return IpProtocol.UDP;
    }

    @Override
    public byte[] encode(IpAddress source, IpAddress destination) {
        return raw.toArray();
    }

    /** A builder with this datagram's ports and payload; length and checksum are recomputed. */
    public Builder toBuilder() {
        return new Builder().sourcePort(sourcePort).destinationPort(destinationPort).payload(payload.toArray());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds UDP datagrams; length and checksum are computed unless overridden. */
    public static final class Builder implements IpPayload {
        private int sourcePort;
        private int destinationPort;
        private byte[] payload = new byte[0];
        private Integer length;
        private Integer checksum;

        public Builder sourcePort(int v) {
            Put.checkRange("sourcePort", v, 0, 0xffff);
            sourcePort = v;
            return this;
        }

        public Builder destinationPort(int v) {
            Put.checkRange("destinationPort", v, 0, 0xffff);
            destinationPort = v;
            return this;
        }

        public Builder ports(int source, int destination) {
            return sourcePort(source).destinationPort(destination);
        }

        public Builder payload(byte[] v) {
            payload = v.clone();
            return this;
        }

        public Builder length(int v) {
            Put.checkRange("length", v, 0, 0xffff);
            length = v;
            return this;
        }

        /** Overrides the checksum (0 means "none" over IPv4). */
        public Builder checksum(int v) {
            Put.checkRange("checksum", v, 0, 0xffff);
            checksum = v;
            return this;
        }

        @Override
        public int ipProtocol() {
            return IpProtocol.UDP;
        }

        @Override
        public byte[] encode(IpAddress source, IpAddress destination) {
            byte[] a = new byte[HEADER_LENGTH + payload.length];
            Put.u16(a, 0, sourcePort);
            Put.u16(a, 2, destinationPort);
            Put.u16(a, 4, length != null ? length : a.length);
            System.arraycopy(payload, 0, a, HEADER_LENGTH, payload.length);
            int sum;
            if (checksum != null) {
                sum = checksum;
            } else {
                sum = Checksum.finish(Checksum.add(Checksum.pseudoHeader(source, destination, IpProtocol.UDP, a.length), a, 0, a.length));
                if (sum == 0) {
                    sum = 0xffff;
                }
            }
            Put.u16(a, 6, sum);
            return a;
        }

        public UdpDatagram build(IpAddress source, IpAddress destination) {
            try {
                return parse(Bytes.wrap(encode(source, destination)));
            } catch (ParseException e) {
                throw new IllegalStateException("builder overrides produced an unparsable datagram: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return sourcePort + " > " + destinationPort + " UDP, length " + payload.length();
    }
}
