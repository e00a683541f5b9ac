package dev.wirelab.emulator.wire;

/**
 * The Internet checksum (RFC 1071): the 16-bit ones' complement of the ones'
 * complement sum of 16-bit big-endian words. Sums are carried in a {@code long}
 * and folded at the end, so partial sums over several pieces (pseudo-header,
 * header, payload) can be added as long as every piece but the last has an even
 * length.
 */
public final class Checksum {
    private Checksum() {
    }

    /** Adds {@code data[off, off+len)} to a running sum (an odd last byte is padded with zero). */
    static long add(long acc, byte[] data, int off, int len) {
        int i = off;
        int end = off + len;
        for (; i + 1 < end; i += 2) {
            acc += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        if (i < end) {
            acc += (data[i] & 0xff) << 8;
        }
        return acc;
    }

    static long add16(long acc, int v) {
        return acc + (v & 0xffff);
    }

    static long add32(long acc, int v) {
        return acc + ((v >>> 16) & 0xffff) + (v & 0xffff);
    }

    /** Folds a running sum to 16 bits and complements it. */
    static int finish(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) (~acc & 0xffff);
    }

    /** The checksum of a whole buffer. */
    public static int of(byte[] data, int off, int len) {
        return finish(add(0, data, off, len));
    }

    /** The checksum of a whole buffer. */
    public static int of(Bytes b) {
        return finish(b.onesSum(0));
    }

    /**
     * Running sum of the pseudo-header for TCP/UDP (RFC 793 §3.1, RFC 768 for IPv4;
     * RFC 8200 §8.1 for IPv6): addresses, protocol, upper-layer length.
     */
    static long pseudoHeader(IpAddress src, IpAddress dst, int protocol, int length) {
        long acc = 0;
        acc = src.addToSum(acc);
        acc = dst.addToSum(acc);
        if (src instanceof Ipv6Address) {
            acc = add32(acc, length);
            acc = add32(acc, protocol);
        } else {
            acc = add16(acc, protocol);
            acc = add16(acc, length);
        }
        return acc;
    }

    /** TCP/UDP checksum of {@code segment} (with its checksum field as given) under a pseudo-header. */
    static int transport(IpAddress src, IpAddress dst, int protocol, Bytes segment) {
        return finish(segment.onesSum(pseudoHeader(src, dst, protocol, segment.length())));
    }

    /**
     * The value the checksum field should hold: computed over the segment with the
     * field at {@code fieldOffset} treated as zero.
     */
    static int transportExpected(IpAddress src, IpAddress dst, int protocol, Bytes segment, int fieldOffset) {
        long acc = pseudoHeader(src, dst, protocol, segment.length());
        acc = segment.onesSum(acc, 0, fieldOffset);
        acc = segment.onesSum(acc, fieldOffset + 2, segment.length() - fieldOffset - 2);
        return finish(acc);
    }
}
