package dev.wirelab.emulator.wire;

/** Big-endian stores into a byte array (package-private helper for encoders). */
final class Put {
    private Put() {
    }

    static void u16(byte[] a, int off, int v) {
        a[off] = (byte) (v >>> 8);
        a[off + 1] = (byte) v;
    }

    static void u32(byte[] a, int off, long v) {
        a[off] = (byte) (v >>> 24);
        a[off + 1] = (byte) (v >>> 16);
        a[off + 2] = (byte) (v >>> 8);
        a[off + 3] = (byte) v;
    }

    static void checkRange(String field, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(field + " " + v + " out of range [" + min + ", " + max + "]");
        }
    }
}
