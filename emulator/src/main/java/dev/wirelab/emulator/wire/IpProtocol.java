package dev.wirelab.emulator.wire;

/** IP protocol / IPv6 next-header numbers wirelab knows by name (IANA registry). */
public final class IpProtocol {
    public static final int HOP_BY_HOP = 0;
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int IPV6_ROUTING = 43;
    public static final int IPV6_FRAGMENT = 44;
    public static final int AH = 51;
    public static final int ICMPV6 = 58;
    public static final int IPV6_NO_NEXT = 59;
    public static final int IPV6_DEST_OPTS = 60;

    private IpProtocol() {
    }

    public static String name(int p) {
        return switch (p) {
            case HOP_BY_HOP -> "hop-by-hop";
            case ICMP -> "icmp";
            case TCP -> "tcp";
            case UDP -> "udp";
            case IPV6_ROUTING -> "ipv6-route";
            case IPV6_FRAGMENT -> "ipv6-frag";
            case AH -> "ah";
            case ICMPV6 -> "icmp6";
            case IPV6_NO_NEXT -> "ipv6-nonxt";
            case IPV6_DEST_OPTS -> "ipv6-opts";
            default -> "proto-" + p;
        };
    }
}
