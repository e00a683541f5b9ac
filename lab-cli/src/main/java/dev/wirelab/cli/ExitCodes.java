package dev.wirelab.cli;

/**
 * The exit codes of the wirelab command that are not the guest's own. The run
 * outcomes (124 budget, 125 fault, 126 idle forever, 130 stopped) come from
 * {@link dev.wirelab.emulator.board.ExitStatus#code()}; this class holds the
 * ones only the CLI produces.
 */
public final class ExitCodes {
    private ExitCodes() { }

    /** The guest exited with 0, or powered off / reset through PSCI. */
    public static final int OK = 0;
    /** A bug or a broken installation (libunicorn missing): not the user's input. */
    public static final int INTERNAL = 1;
    /** Bad input: an unknown flag, a bad value, a missing or unusable image. */
    public static final int BAD_INPUT = 2;
    /** The instruction budget ran out (the same number as timeout(1)). */
    public static final int BUDGET_EXHAUSTED = 124;
    /** Ctrl-C (128 + SIGINT). */
    public static final int INTERRUPTED = 130;
}
