package dev.wirelab.emulator.wire;

/** EtherType values wirelab knows by name (IEEE registry). */
public final class EtherType {
    public static final int IPV4 = 0x0800;
    public static final int ARP = 0x0806;
    public static final int VLAN = 0x8100;
    public static final int IPV6 = 0x86dd;
    public static final int QINQ = 0x88a8;

    private EtherType() {
    }

    public static String name(int type) {
        return switch (type) {
            case IPV4 -> "IPv4";
            case ARP -> "ARP";
            case VLAN -> "802.1Q";
            case IPV6 -> "IPv6";
            case QINQ -> "802.1ad";
            default -> String.format("0x%04x", type);
        };
    }
}
