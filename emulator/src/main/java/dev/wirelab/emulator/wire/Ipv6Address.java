package dev.wirelab.emulator.wire;

/** An IPv6 address as two 64-bit halves (big-endian order). */
public record Ipv6Address(long high, long low) implements IpAddress, Comparable<Ipv6Address> {
    public static final Ipv6Address ANY = new Ipv6Address(0, 0);
    public static final Ipv6Address LOOPBACK = new Ipv6Address(0, 1);

    /**
     * Parses an RFC 4291 text form: eight groups of hex, "::" for one run of zero
     * groups, and an optional trailing dotted quad ("::ffff:10.0.2.15"). No zone ids,
     * no names, no lookups.
     */
    public static Ipv6Address parse(String text) {
        int[] groups = new int[8];
        String s = text;
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            throw bad(text);
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int[] h = groups(head, text);
        int[] t = groups(tail, text);
        if (dbl < 0 && h.length != 8 || dbl >= 0 && h.length + t.length > 7) {
            throw bad(text);
        }
        System.arraycopy(h, 0, groups, 0, h.length);
        System.arraycopy(t, 0, groups, 8 - t.length, t.length);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = (hi << 16) | groups[i];
            lo = (lo << 16) | groups[i + 4];
        }
        return new Ipv6Address(hi, lo);
    }

    private static int[] groups(String part, String text) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] p = part.split(":", -1);
        boolean v4 = p[p.length - 1].indexOf('.') >= 0;
        int n = p.length + (v4 ? 1 : 0);
        int[] out = new int[n];
        for (int i = 0; i < p.length; i++) {
            if (v4 && i == p.length - 1) {
                int q = Ipv4Address.parse(p[i]).bits();
                out[i] = q >>> 16;
                out[i + 1] = q & 0xffff;
            } else {
                if (p[i].isEmpty() || p[i].length() > 4) {
                    throw bad(text);
                }
                int g = 0;
                for (int k = 0; k < p[i].length(); k++) {
                    int digit = Character.digit(p[i].charAt(k), 16);
                    if (digit < 0) {
                        throw bad(text);
                    }
                    g = g << 4 | digit;
                }
                out[i] = g;
            }
        }
        return out;
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("not an IPv6 address: " + text);
    }

    public static Ipv6Address of(byte[] sixteen) {
        if (sixteen.length != 16) {
            throw new IllegalArgumentException("IPv6 address needs 16 bytes, got " + sixteen.length);
        }
        return read(Bytes.of(sixteen), 0);
    }

    static Ipv6Address read(Bytes b, int off) {
        return new Ipv6Address((b.u32(off) << 32) | b.u32(off + 4), (b.u32(off + 8) << 32) | b.u32(off + 12));
    }

    void write(byte[] a, int off) {
        for (int i = 0; i < 8; i++) {
            a[off + i] = (byte) (high >>> (56 - 8 * i));
            a[off + 8 + i] = (byte) (low >>> (56 - 8 * i));
        }
    }

    @Override
    public byte[] toBytes() {
        byte[] a = new byte[16];
        write(a, 0);
        return a;
    }

    @Override
    public long addToSum(long acc) {
        acc = Checksum.add32(acc, (int) (high >>> 32));
        acc = Checksum.add32(acc, (int) high);
        acc = Checksum.add32(acc, (int) (low >>> 32));
        return Checksum.add32(acc, (int) low);
    }

    private int group(int i) {
        long half = i < 4 ? high : low;
        return (int) (half >>> (48 - 16 * (i & 3))) & 0xffff;
    }

    @Override
    public int compareTo(Ipv6Address o) {
        int c = Long.compareUnsigned(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }

    /** RFC 5952 canonical text: lowercase, the longest run (≥ 2) of zero groups as "::". */
    @Override
    public String toString() {
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (group(i) == 0) {
                int j = i;
                while (j < 8 && group(j) == 0) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(group(i)));
        }
        return sb.toString();
    }
}
