package dev.wirelab.emulator.agent;

/**
 * An IPv4 socket address, and its {@code struct sockaddr_in} bytes (16:
 * family u16 little-endian, port and address in network order, 8 zero bytes).
 *
 * @param ip   the address as a big-endian int (10.0.2.15 is 0x0a00020f)
 * @param port 0..65535
 */
public record SockAddr(int ip, int port) {
    public static final int SIZE = 16;
    public static final int AF_INET = 2;

    public SockAddr {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** {@code SockAddr.of("10.0.2.15", 9000)}. */
    public static SockAddr of(String dottedQuad, int port) {
        return new SockAddr(parseIp(dottedQuad), port);
    }

    public static int parseIp(String dottedQuad) {
        String[] parts = dottedQuad.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + dottedQuad + "'");
        }
        int ip = 0;
        for (String p : parts) {
            int b;
            try {
                b = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: '" + dottedQuad + "'");
            }
            if (b < 0 || b > 255 || p.isEmpty() || p.length() > 3) {
                throw new IllegalArgumentException("not an IPv4 address: '" + dottedQuad + "'");
            }
            ip = ip << 8 | b;
        }
        return ip;
    }

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        b[0] = (byte) AF_INET;
        b[2] = (byte) (port >>> 8);
        b[3] = (byte) port;
        b[4] = (byte) (ip >>> 24);
        b[5] = (byte) (ip >>> 16);
        b[6] = (byte) (ip >>> 8);
        b[7] = (byte) ip;
        return b;
    }

    /** Decodes a sockaddr_in; null when the bytes are too short or the family is not AF_INET. */
    public static SockAddr decode(byte[] b) {
        if (b == null || b.length < 8 || ((b[0] & 0xff) | (b[1] & 0xff) << 8) != AF_INET) {
            return null;
        }
        int port = (b[2] & 0xff) << 8 | (b[3] & 0xff);
        int ip = (b[4] & 0xff) << 24 | (b[5] & 0xff) << 16 | (b[6] & 0xff) << 8 | (b[7] & 0xff);
        return new SockAddr(ip, port);
    }

    public String ipString() {
        return (ip >>> 24) + "." + (ip >>> 16 & 0xff) + "." + (ip >>> 8 & 0xff) + "." + (ip & 0xff);
    }

    @Override
    public String toString() {
        return ipString() + ":" + port;
    }
}
