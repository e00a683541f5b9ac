package dev.wirelab.emulator.board;

/**
 * What the host that owns a board allows every run on it, whoever starts the
 * run (a script verb, a wire wait, a syscall wait): a total instruction
 * allowance, and what happens when it runs out or the run is interrupted. The
 * lab installs one so that its budget and Ctrl-C hold in every wait.
 */
public interface RunGuard {
    /** No allowance limit; stops are returned, never thrown. */
    RunGuard NONE = new RunGuard() {
        @Override
        public long allowance() {
            return Long.MAX_VALUE;
        }

        @Override
        public void retired(long instructions) { }
    };

    /** Instructions any further run may still retire in total. */
    long allowance();

    /** A run retired {@code instructions} (called once at the end of every run). */
    void retired(long instructions);

    /** The run ended because the allowance ran out; may throw to end the host's activity. */
    default void exhausted(Stop stop) { }

    /** The run ended with {@link StopCause#INTERRUPTED}; may throw to end the host's activity. */
    default void interrupted(Stop stop) { }
}
