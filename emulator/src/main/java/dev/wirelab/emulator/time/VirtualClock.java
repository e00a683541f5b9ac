package dev.wirelab.emulator.time;

/**
 * The board's only notion of time. It advances in exactly two ways: the guest
 * retires instructions (one counter tick each), or the guest idles in WFI and
 * the board skips ahead to the next event. Nothing here reads the host clock,
 * so a run is the same on every machine.
 *
 * <p>The generic timer counter ({@code CNTVCT_EL0}, {@code CNTPCT_EL0}) reads
 * {@link #ticks()} at {@link #FREQUENCY_HZ}, QEMU virt's 62.5 MHz: one retired
 * instruction is 16 ns of virtual time.
 */
public final class VirtualClock {
    public static final long FREQUENCY_HZ = 62_500_000L;
    public static final long NANOS_PER_TICK = 1_000_000_000L / FREQUENCY_HZ;

    private long instructions;
    private long idleTicks;

    /** Instructions the guest has retired since reset. */
    public long instructions() {
        return instructions;
    }

    /** Counter ticks since reset: retired instructions plus skipped idle time. */
    public long ticks() {
        return instructions + idleTicks;
    }

    public long nanos() {
        return ticks() * NANOS_PER_TICK;
    }

    public void retire(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("negative instruction count " + count);
        }
        instructions += count;
    }

    /** Idle fast-forward: the guest waits in WFI until {@code tick}. */
    public void idleUntil(long tick) {
        long now = ticks();
        if (tick > now) {
            idleTicks += tick - now;
        }
    }

    public State save() {
        return new State(instructions, idleTicks);
    }

    public void restore(State s) {
        if (s.instructions < 0 || s.idleTicks < 0) {
            throw new IllegalArgumentException("corrupt clock state " + s);
        }
        instructions = s.instructions;
        idleTicks = s.idleTicks;
    }

    public void reset() {
        instructions = 0;
        idleTicks = 0;
    }

    public record State(long instructions, long idleTicks) { }

    public static long ticksFromNanos(long nanos) {
        return Math.floorDiv(nanos, NANOS_PER_TICK);
    }
}
