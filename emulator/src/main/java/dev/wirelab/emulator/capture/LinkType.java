package dev.wirelab.emulator.capture;

/** The tcpdump.org link-layer header types wirelab reads (LINKTYPE_* values). */
public final class LinkType {
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    public static final int RAW = 101;
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;

    private LinkType() {
    }

    /** True for the link types {@link CapturedFrame#ethernetEquivalent()} can convert. */
    public static boolean isSupported(int linkType) {
        return switch (linkType) {
            case ETHERNET, RAW, LINUX_SLL, IPV4, IPV6, LINUX_SLL2 -> true;
            default -> false;
        };
    }

    public static String name(int linkType) {
        return switch (linkType) {
            case NULL -> "NULL";
            case ETHERNET -> "ETHERNET";
            case 105 -> "IEEE802_11";
            case 127 -> "IEEE802_11_RADIOTAP";
            case RAW -> "RAW";
            case LINUX_SLL -> "LINUX_SLL";
            case 147 -> "USER0";
            case 187 -> "BLUETOOTH_HCI_H4";
            case 189 -> "USB_LINUX";
            case 195 -> "IEEE802_15_4";
            case IPV4 -> "IPV4";
            case IPV6 -> "IPV6";
            case 239 -> "NFLOG";
            case LINUX_SLL2 -> "LINUX_SLL2";
            default -> "unknown";
        };
    }

    /** "ETHERNET (1)", "unknown (4711)". */
    public static String describe(int linkType) {
        return name(linkType) + " (" + linkType + ")";
    }

    static String supportedList() {
        return "ETHERNET (1), RAW (101), LINUX_SLL (113), IPV4 (228), IPV6 (229), LINUX_SLL2 (276)";
    }
}
