package dev.wirelab.fuzz.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** A payload's bytes are its pattern repeated, byte for byte, whatever the two lengths. */
class PayloadTest {
    @Test
    void bytesRepeatThePatternExactlyForEveryLengthAndPatternSize() {
        for (int p : new int[] {0, 1, 2, 3, 7, 13, 100, Limits.MAX_PATTERN}) {
            byte[] pattern = new byte[p];
            for (int i = 0; i < p; i++) {
                pattern[i] = (byte) (0x41 + i * 7);
            }
            for (int length = p; length <= Limits.MAX_SEGMENT_DATA; length += length < 300 ? 1 : 97) {
                assertArrayEquals(byteByByte(pattern, length), new Payload(length, pattern).bytes(),
                        "pattern " + p + ", length " + length);
            }
            assertArrayEquals(byteByByte(pattern, Limits.MAX_SEGMENT_DATA),
                    new Payload(Limits.MAX_SEGMENT_DATA, pattern).bytes(), "pattern " + p + ", a full segment");
        }
    }

    /** The definition: byte i is the pattern's byte i mod its length (zeros for no pattern). */
    private static byte[] byteByByte(byte[] pattern, int length) {
        byte[] b = new byte[length];
        for (int i = 0; pattern.length > 0 && i < length; i++) {
            b[i] = pattern[i % pattern.length];
        }
        return b;
    }
}
