package dev.wirelab.emulator.pkt;

/**
 * When an event happens, as written: {@code 0.1} (absolute), {@code +0.1} (relative to the previous
 * event), {@code *} (any time, outbound packets only), {@code 0.1~0.2} / {@code +0.1~+0.2} (a range,
 * outbound packets only), or no time at all (an init/cleanup shell command). Microseconds.
 */
public record EventTime(Kind kind, long startUsecs, long endUsecs) {
    public enum Kind { ABSOLUTE, RELATIVE, ANY, ABSOLUTE_RANGE, RELATIVE_RANGE, NONE }

    public static final EventTime NONE = new EventTime(Kind.NONE, 0, 0);

    public boolean relative() {
        return kind == Kind.RELATIVE || kind == Kind.RELATIVE_RANGE;
    }

    public boolean range() {
        return kind == Kind.ABSOLUTE_RANGE || kind == Kind.RELATIVE_RANGE;
    }

    /** The time as packetdrill prints it ({@code +0.100}, {@code 0.1~0.2}, {@code *}). */
    @Override
    public String toString() {
        String p = relative() ? "+" : "";
        return switch (kind) {
            case ANY -> "*";
            case NONE -> "";
            case ABSOLUTE, RELATIVE -> p + secs(startUsecs);
            case ABSOLUTE_RANGE, RELATIVE_RANGE -> p + secs(startUsecs) + "~" + p + secs(endUsecs);
        };
    }

    static String secs(long usecs) {
        return usecs % 1_000_000 == 0 ? Long.toString(usecs / 1_000_000) : String.format("%.6f", usecs / 1e6);
    }
}
