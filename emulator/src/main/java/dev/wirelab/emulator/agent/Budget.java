package dev.wirelab.emulator.agent;

import dev.wirelab.emulator.time.VirtualClock;

/**
 * How far the host lets the board run while waiting for a call: at most
 * {@code instructions} retired instructions and at most {@code virtualNanos}
 * of virtual time (idle fast-forward included), whichever ends first.
 */
public record Budget(long instructions, long virtualNanos) {
    /** 2·10⁹ instructions and 60 s of virtual time: generous for anything that is not stuck. */
    public static final Budget DEFAULT = new Budget(2_000_000_000L, 60_000_000_000L);

    public Budget {
        if (instructions <= 0 || virtualNanos <= 0) {
            throw new IllegalArgumentException("a budget must be positive: " + instructions + " instructions, "
                    + virtualNanos + " ns");
        }
    }

    public static Budget instructions(long n) {
        return new Budget(n, Long.MAX_VALUE);
    }

    public static Budget virtualMillis(long ms) {
        return new Budget(Long.MAX_VALUE, Math.multiplyExact(ms, 1_000_000L));
    }

    public long virtualTicks() {
        return virtualNanos == Long.MAX_VALUE ? Long.MAX_VALUE : VirtualClock.ticksFromNanos(virtualNanos);
    }

    @Override
    public String toString() {
        String i = instructions == Long.MAX_VALUE ? null : instructions + " instructions";
        String t = virtualNanos == Long.MAX_VALUE ? null : formatNanos(virtualNanos) + " virtual";
        return i == null ? t : t == null ? i : i + " / " + t;
    }

    static String formatNanos(long ns) {
        if (ns % 1_000_000_000L == 0) {
            return ns / 1_000_000_000L + " s";
        }
        if (ns % 1_000_000L == 0) {
            return ns / 1_000_000L + " ms";
        }
        return String.format(java.util.Locale.ROOT, "%.3f ms", ns / 1e6);
    }
}
