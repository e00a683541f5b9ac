package dev.wirelab.emulator.boot;

/** Formatting of addresses and sizes in messages ("0x40000000"). */
final class Hex {
    private Hex() { }

    static String of(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** "[0x1000, 0x2000)" */
    static String range(long start, long end) {
        return "[" + of(start) + ", " + of(end) + ")";
    }
}
