package dev.wirelab.emulator.wire;

/** An IPv4 or IPv6 address. Parsing is purely textual: there is no name lookup, ever. */
public sealed interface IpAddress permits Ipv4Address, Ipv6Address {
    /** Parses a dotted-quad IPv4 or an RFC 4291 IPv6 literal (no names, no DNS). */
    static IpAddress parse(String text) {
        return text.indexOf(':') >= 0 ? Ipv6Address.parse(text) : Ipv4Address.parse(text);
    }

    byte[] toBytes();

    /** Adds this address to an Internet-checksum running sum (pseudo-headers). */
    long addToSum(long acc);
}
