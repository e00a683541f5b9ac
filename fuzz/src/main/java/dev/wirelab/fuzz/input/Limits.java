package dev.wirelab.fuzz.input;

/** Bounds of the input model, shared by the records, the decoder and the encoder. */
final class Limits {
    static final int MAX_ACTIONS = 64;
    static final int MAX_APP_BYTES = 0xffff;
    /** Ticks are for landing inside processing (thousands of instructions); far ones would only make executions slow. */
    static final long MAX_TICK_OFFSET = 0xffffL;
    static final long MAX_ADVANCE_MICROS = 10_000_000L;
    /** TCP's option space (RFC 9293: data offset ≤ 15 words). */
    static final int MAX_OPTION_BYTES = 40;
    /** Payload plus padded options fit one 1500-byte IPv4 packet. */
    static final int MAX_SEGMENT_DATA = 1460;
    static final int MAX_PATTERN = 255;
    static final int CONNECTIONS = 4;
    static final int AGENTS = 4;

    private Limits() {
    }

    static void check(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " " + value + " outside [" + min + ", " + max + "]");
        }
    }

    static int paddedOptionBytes(java.util.List<SegOption> options) {
        int n = 0;
        for (SegOption o : options) {
            n += o.length();
        }
        return (n + 3) & ~3;
    }
}
