package dev.wirelab.emulator.board;

/**
 * How the guest ended itself (the {@link Stop#exit()} of a {@link StopCause#GUEST_EXIT}).
 * What the CLI exits with is the CLI's business; this only says what the guest did.
 *
 * @param kind   how it ended
 * @param code   the guest's exit code (semihosting), 0 for PSCI off/reset
 * @param detail a one-line explanation for people
 */
public record ExitStatus(Kind kind, int code, String detail) {
    /** The order is part of the trace format (a guest ending adds {@code ordinal * 1000 + code}). */
    public enum Kind {
        /** Semihosting SYS_EXIT / SYS_EXIT_EXTENDED. */
        SEMIHOSTING_EXIT,
        /** PSCI SYSTEM_OFF (or CPU_OFF of the only CPU). */
        SYSTEM_OFF,
        /** PSCI SYSTEM_RESET (wirelab stops rather than rebooting, like QEMU -no-reboot). */
        SYSTEM_RESET
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SEMIHOSTING_EXIT -> "guest exited with code " + code;
            case SYSTEM_OFF -> "guest powered off (PSCI SYSTEM_OFF)";
            case SYSTEM_RESET -> "guest requested reset (PSCI SYSTEM_RESET)";
        };
    }
}
