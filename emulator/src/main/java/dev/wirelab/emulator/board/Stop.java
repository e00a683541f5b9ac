package dev.wirelab.emulator.board;

/**
 * Where and why a run ended: the one answer {@link Board#run(RunUntil)} gives.
 *
 * @param cause        why it ended
 * @param instructions retired instructions since reset, at the stop
 * @param ticks        virtual time since reset (counter ticks), at the stop
 * @param pc           the program counter at the stop
 * @param detail       one line for people (fault reason with PC and symbol, budget, which condition)
 * @param exit         the guest's own ending for {@link StopCause#GUEST_EXIT}, else null
 * @param breakpoint   the breakpoint address for {@link StopCause#BREAKPOINT}, else -1
 * @param condition    the name of the condition that held for {@link StopCause#CONDITION_HELD}, else null
 */
public record Stop(StopCause cause, long instructions, long ticks, long pc, String detail, ExitStatus exit,
                   long breakpoint, String condition) {
    public Stop {
        java.util.Objects.requireNonNull(cause, "cause");
        if ((cause == StopCause.GUEST_EXIT) != (exit != null)) {
            throw new IllegalArgumentException("a guest exit, and only that, carries an exit status: " + cause);
        }
    }

    public boolean is(StopCause c) {
        return cause == c;
    }

    /** True when the guest itself ended (exit, fault, idle forever). */
    public boolean guestEnded() {
        return cause.guestEnded();
    }

    /** The guest's exit code for {@link StopCause#GUEST_EXIT} (semihosting code; 0 for PSCI off/reset). */
    public int exitCode() {
        if (exit == null) {
            throw new IllegalStateException("not a guest exit: " + this);
        }
        return exit.code();
    }

    @Override
    public String toString() {
        return exit != null ? exit.toString() : detail;
    }
}
