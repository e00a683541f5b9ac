package dev.wirelab.emulator.board;

/**
 * Why a run ended. {@link #code()} is what the CLI exits with for guest exits.
 *
 * @param kind   what ended the run
 * @param code   the guest's exit code (semihosting), 0 for PSCI off/reset, 1 for faults
 * @param detail a one-line explanation for people (fault reason with PC and symbol, budget, ...)
 */
public record ExitStatus(Kind kind, int code, String detail) {
    public enum Kind {
        /** Semihosting SYS_EXIT / SYS_EXIT_EXTENDED. */
        SEMIHOSTING_EXIT,
        /** PSCI SYSTEM_OFF. */
        SYSTEM_OFF,
        /** PSCI SYSTEM_RESET (wirelab stops rather than rebooting, like QEMU -no-reboot). */
        SYSTEM_RESET,
        /** The guest did something it cannot recover from (unmapped access with no handler, recursive fault). */
        GUEST_FAULT,
        /** The instruction budget ran out. */
        BUDGET_EXHAUSTED,
        /** The guest waits for an interrupt that nothing can ever raise. */
        IDLE_FOREVER,
        /** Stopped by the host (a breakpoint, Ctrl-C, a script condition). */
        STOPPED
    }

    /** True when the guest itself ended the run (as opposed to the host stopping it). */
    public boolean guestExited() {
        return kind == Kind.SEMIHOSTING_EXIT || kind == Kind.SYSTEM_OFF || kind == Kind.SYSTEM_RESET;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SEMIHOSTING_EXIT -> "guest exited with code " + code;
            case SYSTEM_OFF -> "guest powered off (PSCI SYSTEM_OFF)";
            case SYSTEM_RESET -> "guest requested reset (PSCI SYSTEM_RESET)";
            default -> detail;
        };
    }
}
