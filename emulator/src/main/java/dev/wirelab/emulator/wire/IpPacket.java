package dev.wirelab.emulator.wire;

/** What IPv4 and IPv6 packets have in common for the layers above them. */
public sealed interface IpPacket permits Ipv4Packet, Ipv6Packet {
    IpAddress source();

    IpAddress destination();

    /** The protocol of {@link #upperPayload()} (after IPv6 extension headers). */
    int upperProtocol();

    /** The transport-layer bytes (empty for a non-first fragment). */
    Bytes upperPayload();

    /** True when this packet is a fragment whose transport header is elsewhere or incomplete. */
    boolean isFragment();
}
