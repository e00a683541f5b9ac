package dev.wirelab.emulator.wire;

/** An IPv4 address, held as its 32 bits (big-endian order: 10.0.2.15 is 0x0a00020f). */
public record Ipv4Address(int bits) implements IpAddress, Comparable<Ipv4Address> {
    public static final Ipv4Address ANY = new Ipv4Address(0);
    public static final Ipv4Address BROADCAST = new Ipv4Address(-1);

    /** Parses a dotted quad ("10.0.2.15"); no names, no lookups. */
    public static Ipv4Address parse(String text) {
        int v = 0;
        int parts = 0;
        int cur = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (cur < 0 || ++parts > 4) {
                    throw new IllegalArgumentException("not an IPv4 address: " + text);
                }
                v = (v << 8) | cur;
                cur = -1;
            } else if (c >= '0' && c <= '9') {
                cur = (cur < 0 ? 0 : cur * 10) + (c - '0');
                if (cur > 255) {
                    throw new IllegalArgumentException("not an IPv4 address: " + text);
                }
            } else {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
        }
        if (parts != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        return new Ipv4Address(v);
    }

    public static Ipv4Address of(int a, int b, int c, int d) {
        return new Ipv4Address(((a & 0xff) << 24) | ((b & 0xff) << 16) | ((c & 0xff) << 8) | (d & 0xff));
    }

    public static Ipv4Address of(byte[] four) {
        if (four.length != 4) {
            throw new IllegalArgumentException("IPv4 address needs 4 bytes, got " + four.length);
        }
        return of(four[0], four[1], four[2], four[3]);
    }

    static Ipv4Address read(Bytes b, int off) {
        return new Ipv4Address(b.s32(off));
    }

    void write(byte[] a, int off) {
        a[off] = (byte) (bits >>> 24);
        a[off + 1] = (byte) (bits >>> 16);
        a[off + 2] = (byte) (bits >>> 8);
        a[off + 3] = (byte) bits;
    }

    @Override
    public byte[] toBytes() {
        byte[] a = new byte[4];
        write(a, 0);
        return a;
    }

    @Override
    public long addToSum(long acc) {
        return Checksum.add32(acc, bits);
    }

    @Override
    public int compareTo(Ipv4Address o) {
        return Integer.compareUnsigned(bits, o.bits);
    }

    @Override
    public String toString() {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }
}
