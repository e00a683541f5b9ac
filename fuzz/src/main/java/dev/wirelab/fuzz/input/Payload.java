package dev.wirelab.fuzz.input;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A segment's payload: {@code length} bytes made by repeating {@code pattern} (zeros if it is
 * empty). Filling a receive window takes kilobytes; the input carries only the pattern.
 */
public record Payload(int length, byte[] pattern) {
    public static final Payload NONE = new Payload(0, new byte[0]);

    public Payload {
        Limits.check("payload length", length, 0, Limits.MAX_SEGMENT_DATA);
        Limits.check("payload pattern length", pattern.length, 0, Math.min(length, Limits.MAX_PATTERN));
        pattern = pattern.clone();
    }

    /** {@code length} bytes of repeated ASCII text. */
    public static Payload text(int length, String pattern) {
        byte[] p = pattern.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return new Payload(length, Arrays.copyOf(p, Math.min(p.length, Math.min(length, Limits.MAX_PATTERN))));
    }

    public static Payload of(String text) {
        return text(text.length(), text);
    }

    @Override
    public byte[] pattern() {
        return pattern.clone();
    }

    /**
     * The pattern repeated to {@code length} bytes. Built by doubling copies, not byte by byte: this
     * runs for every segment of every execution, and in a fuzzing worker Jazzer traces each compare
     * and modulo of a per-byte loop in this package (1.4% of a worker's CPU).
     */
    public byte[] bytes() {
        byte[] out = new byte[length];
        if (pattern.length == 0) {
            return out;
        }
        int filled = Math.min(pattern.length, length);
        System.arraycopy(pattern, 0, out, 0, filled);
        while (filled < length) { // filled is a multiple of the pattern's length here, so the copy continues it
            int n = Math.min(filled, length - filled);
            System.arraycopy(out, 0, out, filled, n);
            filled += n;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Payload p && p.length == length && Arrays.equals(p.pattern, pattern);
    }

    @Override
    public int hashCode() {
        return 31 * length + Arrays.hashCode(pattern);
    }

    @Override
    public String toString() {
        return length == 0 ? "none" : length + "x[" + HexFormat.of().formatHex(pattern) + "]";
    }
}
