package dev.wirelab.emulator.boot;

/**
 * Bounds-checked little- and big-endian reads over an untrusted byte array. Every
 * out-of-range read becomes a {@link BadImageException} naming the file, the field
 * and the offset, so no raw IndexOutOfBoundsException can escape a parser.
 */
final class Bytes {
    private final String name;
    private final byte[] b;

    Bytes(String name, byte[] b) {
        this.name = name;
        this.b = b;
    }

    String name() {
        return name;
    }

    int length() {
        return b.length;
    }

    byte[] array() {
        return b;
    }

    /** True if {@code [off, off+len)} lies inside the array (no overflow). */
    boolean has(long off, long len) {
        return off >= 0 && len >= 0 && off <= b.length && len <= b.length - off;
    }

    void need(long off, long len, String field) {
        if (!has(off, len)) {
            throw new BadImageException(name + ": truncated: " + field + " needs bytes ["
                    + Hex.of(off) + ", " + Hex.of(off + len) + ") but the file has "
                    + Hex.of(b.length) + " bytes: the file is cut short or corrupt");
        }
    }

    int u8(long off, String field) {
        need(off, 1, field);
        return b[(int) off] & 0xff;
    }

    int u16le(long off, String field) {
        need(off, 2, field);
        int o = (int) off;
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
    }

    long u32le(long off, String field) {
        need(off, 4, field);
        int o = (int) off;
        return ((b[o] & 0xffL) | (b[o + 1] & 0xffL) << 8 | (b[o + 2] & 0xffL) << 16 | (b[o + 3] & 0xffL) << 24);
    }

    long u64le(long off, String field) {
        need(off, 8, field);
        return u32le(off, field) | u32le(off + 4, field) << 32;
    }

    byte[] slice(long off, long len, String field) {
        need(off, len, field);
        byte[] out = new byte[(int) len];
        System.arraycopy(b, (int) off, out, 0, (int) len);
        return out;
    }
}
