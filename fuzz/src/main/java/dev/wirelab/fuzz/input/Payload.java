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

    public byte[] bytes() {
        byte[] out = new byte[length];
        if (pattern.length > 0) {
            for (int i = 0; i < length; i++) {
                out[i] = pattern[i % pattern.length];
            }
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
