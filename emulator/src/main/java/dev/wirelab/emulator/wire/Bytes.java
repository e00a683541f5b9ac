package dev.wirelab.emulator.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable run of bytes: a window (offset, length) over an array that no one
 * else writes. Parsed layers hold their payloads as {@code Bytes} views over the
 * one copy of the frame that {@link Packet#parse} makes, so decoding a frame does
 * not copy it once per layer.
 *
 * <p>{@link #origin()} is the window's offset inside the array it was cut from;
 * parsers add it to field offsets so a {@link Malformation} names the offset in
 * the original frame.
 */
public final class Bytes {
    public static final Bytes EMPTY = new Bytes(new byte[0], 0, 0);

    private final byte[] a;
    private final int off;
    private final int len;

    private Bytes(byte[] a, int off, int len) {
        this.a = a;
        this.off = off;
        this.len = len;
    }

    /** A copy of {@code data}. */
    public static Bytes of(byte... data) {
        return data.length == 0 ? EMPTY : new Bytes(data.clone(), 0, data.length);
    }

    /** A copy of {@code data[from, from+length)}; the result's origin is 0. */
    public static Bytes copyOf(byte[] data, int from, int length) {
        return new Bytes(Arrays.copyOfRange(data, from, from + length), 0, length);
    }

    /** Hex digits, optionally separated by spaces or colons ("45 00 00 28"). */
    public static Bytes fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex.replaceAll("[\\s:]", "")));
    }

    /** Takes ownership of {@code data}: the caller must never write it again. */
    static Bytes wrap(byte[] data) {
        return new Bytes(data, 0, data.length);
    }

    public int length() {
        return len;
    }

    public boolean isEmpty() {
        return len == 0;
    }

    /** Offset of this window in the array it was cut from (the frame, for parsed layers). */
    public int origin() {
        return off;
    }

    /** Unsigned byte at {@code i}. */
    public int u8(int i) {
        check(i, 1);
        return a[off + i] & 0xff;
    }

    /** Big-endian unsigned 16-bit value at {@code i}. */
    public int u16(int i) {
        check(i, 2);
        return ((a[off + i] & 0xff) << 8) | (a[off + i + 1] & 0xff);
    }

    /** Big-endian 32-bit value at {@code i}, as an unsigned long. */
    public long u32(int i) {
        return s32(i) & 0xffff_ffffL;
    }

    /** Big-endian 32-bit value at {@code i}. */
    public int s32(int i) {
        check(i, 4);
        int p = off + i;
        return ((a[p] & 0xff) << 24) | ((a[p + 1] & 0xff) << 16) | ((a[p + 2] & 0xff) << 8) | (a[p + 3] & 0xff);
    }

    /** The window {@code [from, from+length)} of this one (no copy). */
    public Bytes slice(int from, int length) {
        if (from < 0 || length < 0 || from > len - length) {
            throw new IllegalArgumentException("slice [" + from + ", +" + length + ") of " + len + " bytes");
        }
        if (from == 0 && length == len) {
            return this;
        }
        return new Bytes(a, off + from, length);
    }

    /** The window from {@code from} to the end. */
    public Bytes slice(int from) {
        return slice(from, len - from);
    }

    public byte[] toArray() {
        return Arrays.copyOfRange(a, off, off + len);
    }

    public void copyTo(byte[] dst, int dstOff) {
        System.arraycopy(a, off, dst, dstOff, len);
    }

    /** The same bytes with origin 0 and an array of their own. */
    public Bytes detach() {
        return off == 0 && a.length == len ? this : wrap(toArray());
    }

    /** Internet-checksum partial sum of these bytes, as if they started at an even offset. */
    long onesSum(long acc) {
        return Checksum.add(acc, a, off, len);
    }

    /** Partial sum of {@code [from, from+length)} of this window (from must be even for the sum to compose). */
    long onesSum(long acc, int from, int length) {
        if (from < 0 || length < 0 || from > len - length) {
            throw new IllegalArgumentException("sum [" + from + ", +" + length + ") of " + len + " bytes");
        }
        return Checksum.add(acc, a, off + from, length);
    }

    public String toHex() {
        return HexFormat.of().formatHex(a, off, off + len);
    }

    private void check(int i, int n) {
        if (i < 0 || i > len - n) {
            throw new IllegalArgumentException("read of " + n + " bytes at " + i + " in " + len + " bytes");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(a, off, off + len, b.a, b.off, b.off + b.len);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + a[i];
        }
        return h;
    }

    @Override
    public String toString() {
        if (len <= 32) {
            return "Bytes[" + len + "](" + toHex() + ")";
        }
        return "Bytes[" + len + "](" + HexFormat.of().formatHex(a, off, off + 32) + "…)";
    }
}
