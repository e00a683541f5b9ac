package dev.wirelab.emulator.wire;

/**
 * TCP control bits as they sit in the low 12 bits of header bytes 12–13
 * (RFC 9293 §3.1; bit 8 is AE from RFC 9768 (AccECN), bits 9–11 are reserved).
 */
public final class TcpFlags {
    public static final int FIN = 0x001;
    public static final int SYN = 0x002;
    public static final int RST = 0x004;
    public static final int PSH = 0x008;
    public static final int ACK = 0x010;
    public static final int URG = 0x020;
    public static final int ECE = 0x040;
    public static final int CWR = 0x080;
    public static final int AE = 0x100;
    public static final int RESERVED = 0xe00;
    public static final int SYN_ACK = SYN | ACK;

    private TcpFlags() {
    }

    /**
     * tcpdump's notation, in tcpdump's order (F S R P . U E W): "S", "S.", "P.", "FP.",
     * "R", "." for a bare ACK, "none" for no bits; AE is "e", reserved bits "r" + hex.
     */
    public static String format(int flags) {
        StringBuilder sb = new StringBuilder(8);
        if ((flags & FIN) != 0) {
            sb.append('F');
        }
        if ((flags & SYN) != 0) {
            sb.append('S');
        }
        if ((flags & RST) != 0) {
            sb.append('R');
        }
        if ((flags & PSH) != 0) {
            sb.append('P');
        }
        if ((flags & ACK) != 0) {
            sb.append('.');
        }
        if ((flags & URG) != 0) {
            sb.append('U');
        }
        if ((flags & ECE) != 0) {
            sb.append('E');
        }
        if ((flags & CWR) != 0) {
            sb.append('W');
        }
        if ((flags & AE) != 0) {
            sb.append('e');
        }
        if ((flags & RESERVED) != 0) {
            sb.append("r").append(Integer.toHexString((flags & RESERVED) >>> 9));
        }
        return sb.isEmpty() ? "none" : sb.toString();
    }

    /** Parses tcpdump's notation back ("S.", "P.", "R", "."): the inverse of {@link #format}. */
    public static int parse(String text) {
        if (text.equals("none")) {
            return 0;
        }
        int f = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'r' && i + 1 < text.length() && Character.digit(text.charAt(i + 1), 16) >= 0) {
                f |= (Character.digit(text.charAt(++i), 16) & 7) << 9;
                continue;
            }
            f |= switch (c) {
                case 'S' -> SYN;
                case 'F' -> FIN;
                case 'P' -> PSH;
                case 'R' -> RST;
                case 'U' -> URG;
                case 'E' -> ECE;
                case 'W' -> CWR;
                case 'e' -> AE;
                case '.' -> ACK;
                default -> throw new IllegalArgumentException("unknown TCP flag '" + c + "' in " + text);
            };
        }
        return f;
    }
}
