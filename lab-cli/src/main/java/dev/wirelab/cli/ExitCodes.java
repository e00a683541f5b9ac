package dev.wirelab.cli;

import dev.wirelab.emulator.board.Stop;

/**
 * The exit codes of the wirelab command, in one place: the emulator reports why
 * a run ended ({@link dev.wirelab.emulator.board.StopCause}); only the CLI turns
 * that into a process exit code ({@link #of(Stop)}).
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
    /** A {@code boot --expect} text never appeared on the console. */
    public static final int EXPECTATION_FAILED = 3;
    /** The guest printed a panic line (Linux: Kernel panic - not syncing, Oops; see --panic-pattern). */
    public static final int GUEST_PANIC = 123;
    /** The guest faulted in a way it cannot recover from. */
    public static final int GUEST_FAULT = 125;
    /** The guest waits for an interrupt that nothing can ever raise. */
    public static final int IDLE_FOREVER = 126;
    /** Ctrl-C (128 + SIGINT), or any other host stop of a run that should have gone to the end. */
    public static final int INTERRUPTED = 130;

    /** What the command exits with when a run ends with {@code stop}: the guest's own code for its exits. */
    public static int of(Stop stop) {
        return switch (stop.cause()) {
            case GUEST_EXIT -> stop.exitCode();
            case GUEST_FAULT -> GUEST_FAULT;
            case GUEST_PANIC -> GUEST_PANIC;
            case IDLE_FOREVER -> IDLE_FOREVER;
            case BUDGET_EXHAUSTED -> BUDGET_EXHAUSTED;
            case INTERRUPTED, BREAKPOINT, CONSOLE_MATCH, TIME_REACHED, CONDITION_HELD -> INTERRUPTED;
        };
    }
}
