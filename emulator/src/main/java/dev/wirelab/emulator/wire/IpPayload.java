package dev.wirelab.emulator.wire;

/**
 * Something that can be carried in an IPv4 or IPv6 packet: a transport builder.
 * It receives the addresses because TCP and UDP checksums cover a pseudo-header.
 */
public interface IpPayload {
    int ipProtocol();

    byte[] encode(IpAddress source, IpAddress destination);
}
