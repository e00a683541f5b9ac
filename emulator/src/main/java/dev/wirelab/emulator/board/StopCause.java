package dev.wirelab.emulator.board;

/** Why {@link Board#run(RunUntil)} returned. Callers decide on this, never on a stop's text. */
public enum StopCause {
    /** The guest reached a breakpoint (the run's own or one the host added with {@link Board#addBreakpoint}). */
    BREAKPOINT,
    /** The guest printed the awaited text, or its output since the run began matched the awaited pattern. */
    CONSOLE_MATCH,
    /** Virtual time reached the run's deadline. */
    TIME_REACHED,
    /** The run's instruction budget (or the host's allowance, see {@link RunGuard}) ran out. */
    BUDGET_EXHAUSTED,
    /** The guest ended itself: semihosting exit, PSCI SYSTEM_OFF / SYSTEM_RESET / CPU_OFF. */
    GUEST_EXIT,
    /** The guest did something it cannot recover from (no vectors, recursive fault, fault loop). */
    GUEST_FAULT,
    /**
     * The guest printed a panic line on its console (a line matching {@link Board#consolePanic}:
     * by default Linux's {@code Kernel panic - not syncing} or an Oops); the detail is that line.
     */
    GUEST_PANIC,
    /** The guest waits in WFI for an interrupt that nothing can ever raise. */
    IDLE_FOREVER,
    /** The host asked the run to end ({@link Board#interrupt()}, Ctrl-C) or the thread was interrupted. */
    INTERRUPTED,
    /** A host condition of the run held (checked at host-visible events and at a bounded cadence). */
    CONDITION_HELD;

    /** True when the guest itself ended the run (it will not go on by running again). */
    public boolean guestEnded() {
        return this == GUEST_EXIT || this == GUEST_FAULT || this == GUEST_PANIC || this == IDLE_FOREVER;
    }
}
