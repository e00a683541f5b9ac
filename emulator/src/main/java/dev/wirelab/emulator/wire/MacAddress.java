package dev.wirelab.emulator.wire;

/** A 48-bit Ethernet address, held in the low 48 bits of a long. */
public record MacAddress(long bits) implements Comparable<MacAddress> {
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((bits & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("MAC address wider than 48 bits: 0x" + Long.toHexString(bits));
        }
    }

    /** Parses {@code 52:54:00:12:34:56} (or with '-' separators). */
    public static MacAddress parse(String text) {
        String[] parts = text.split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            int b = 0;
            for (int k = 0; k < p.length(); k++) {
                int digit = Character.digit(p.charAt(k), 16);
                if (digit < 0) {
                    throw new IllegalArgumentException("not a MAC address: " + text);
                }
                b = b << 4 | digit;
            }
            v = (v << 8) | b;
        }
        return new MacAddress(v);
    }

    public static MacAddress of(byte[] six) {
        if (six.length != 6) {
            throw new IllegalArgumentException("MAC address needs 6 bytes, got " + six.length);
        }
        return read(six, 0);
    }

    static MacAddress read(byte[] a, int off) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (a[off + i] & 0xff);
        }
        return new MacAddress(v);
    }

    static MacAddress read(Bytes b, int off) {
        long v = ((long) b.u16(off) << 32) | b.u32(off + 2);
        return new MacAddress(v);
    }

    void write(byte[] a, int off) {
        for (int i = 0; i < 6; i++) {
            a[off + i] = (byte) (bits >>> (40 - 8 * i));
        }
    }

    public byte[] toBytes() {
        byte[] a = new byte[6];
        write(a, 0);
        return a;
    }

    public boolean isBroadcast() {
        return bits == BROADCAST.bits;
    }

    public boolean isMulticast() {
        return ((bits >>> 40) & 1) != 0;
    }

    @Override
    public int compareTo(MacAddress o) {
        return Long.compare(bits, o.bits);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int b = (int) (bits >>> (40 - 8 * i)) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 15, 16));
        }
        return sb.toString();
    }
}
