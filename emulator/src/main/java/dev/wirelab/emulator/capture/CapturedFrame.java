package dev.wirelab.emulator.capture;

import dev.wirelab.emulator.wire.Packet;
import java.util.Arrays;

/**
 * One packet from a capture file: when (ns since the Unix epoch, or whatever
 * origin the capture used — wirelab writes virtual time), on which interface
 * (file-wide index of the interface description, counting across pcapng
 * sections; always 0 for classic pcap), with which link-layer header, the bytes
 * captured and the length the packet had on the wire.
 */
public record CapturedFrame(long timestampNanos, int interfaceId, int linkType, byte[] data, int originalLength) {
    public CapturedFrame {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public int capturedLength() {
        return data.length;
    }

    public boolean isTruncated() {
        return data.length < originalLength;
    }

    /**
     * The packet as an Ethernet II frame: Ethernet frames as they are; raw IPv4/IPv6
     * behind a synthesized header (zero MAC addresses, EtherType from the IP
     * version); Linux cooked captures (SLL, SLL2) with the protocol as EtherType and
     * the captured link-layer address (if 6 bytes) as source.
     *
     * @throws CaptureFormatException when the link type is not one wirelab converts,
     *     or a cooked header is short or names a protocol that is not an EtherType
     */
    public byte[] ethernetEquivalent() throws CaptureFormatException {
        return switch (linkType) {
            case LinkType.ETHERNET -> data.clone();
            case LinkType.RAW -> {
                if (data.length == 0) {
                    throw new CaptureFormatException(-1, "empty RAW packet has no IP version");
                }
                int v = (data[0] & 0xff) >>> 4;
                if (v != 4 && v != 6) {
                    throw new CaptureFormatException(-1, "RAW packet with IP version " + v + ", expected 4 or 6");
                }
                yield ethernet(0, v == 4 ? 0x0800 : 0x86dd, 0);
            }
            case LinkType.IPV4 -> ethernet(0, 0x0800, 0);
            case LinkType.IPV6 -> ethernet(0, 0x86dd, 0);
            case LinkType.LINUX_SLL -> {
                if (data.length < 16) {
                    throw new CaptureFormatException(-1, "LINUX_SLL header needs 16 bytes, packet has " + data.length);
                }
                int alen = u16(4);
                long mac = alen == 6 ? mac(6) : 0;
                yield ethernet(mac, u16(14), 16);
            }
            case LinkType.LINUX_SLL2 -> {
                if (data.length < 20) {
                    throw new CaptureFormatException(-1, "LINUX_SLL2 header needs 20 bytes, packet has " + data.length);
                }
                int alen = data[11] & 0xff;
                long mac = alen == 6 ? mac(12) : 0;
                yield ethernet(mac, u16(0), 20);
            }
            default -> throw new CaptureFormatException(-1, "unsupported link type " + LinkType.describe(linkType)
                    + "; supported: " + LinkType.supportedList());
        };
    }

    /** {@link #ethernetEquivalent()} decoded by {@link Packet#parse(byte[])} (which never throws). */
    public Packet decode() throws CaptureFormatException {
        return Packet.parse(ethernetEquivalent());
    }

    private int u16(int off) {
        return (data[off] & 0xff) << 8 | (data[off + 1] & 0xff);
    }

    private long mac(int off) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = v << 8 | (data[off + i] & 0xff);
        }
        return v;
    }

    private byte[] ethernet(long srcMac, int etherType, int skip) throws CaptureFormatException {
        if (etherType < 0x0600) {
            throw new CaptureFormatException(-1, String.format(
                    "cooked capture protocol 0x%04x is not an EtherType; cannot make an Ethernet frame", etherType));
        }
        byte[] out = new byte[14 + data.length - skip];
        for (int i = 0; i < 6; i++) {
            out[6 + i] = (byte) (srcMac >>> (40 - 8 * i));
        }
        out[12] = (byte) (etherType >>> 8);
        out[13] = (byte) etherType;
        System.arraycopy(data, skip, out, 14, data.length - skip);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapturedFrame f && f.timestampNanos == timestampNanos && f.interfaceId == interfaceId
                && f.linkType == linkType && f.originalLength == originalLength && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(timestampNanos) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CapturedFrame[t=" + timestampNanos + "ns if=" + interfaceId + " " + LinkType.describe(linkType) + " "
                + data.length + "/" + originalLength + " bytes]";
    }
}
