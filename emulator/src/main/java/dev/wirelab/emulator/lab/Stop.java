package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.board.StopCause;

/**
 * Where a guest run stopped, as scripts see it.
 *
 * @param cause        why, typed (what code decides on)
 * @param reason       the script's word for it: "budget" (the run's own count ran out), "breakpoint",
 *                     "condition", "time", "timeout" (a {@code within} bound passed first), "exited",
 *                     "fault", "idle", "interrupted"
 * @param detail       one line for people (the board's explanation)
 * @param instructions retired instructions since reset
 * @param ticks        virtual time since reset, in counter ticks (62.5 MHz)
 * @param pc           the program counter
 * @param where        the pc with its symbol ("tcp_input+0x10 (0x40201234)")
 */
public record Stop(StopCause cause, String reason, String detail, long instructions, long ticks, long pc, String where) {
    /** True when a condition the caller asked for (breakpoint, pattern, time) was reached. */
    public boolean reached() {
        return switch (cause) {
            case BREAKPOINT, CONSOLE_MATCH, CONDITION_HELD -> true;
            case TIME_REACHED -> !isTimeout();
            default -> false;
        };
    }

    /** True when a {@code within} bound passed before what was awaited. */
    public boolean isTimeout() {
        return cause == StopCause.TIME_REACHED && "timeout".equals(reason);
    }

    /** True when the guest itself ended (exit, fault, idle forever). */
    public boolean ended() {
        return cause.guestEnded();
    }

    @Override
    public String toString() {
        return reason + " at " + where + " (" + instructions + " instructions, " + Lab.formatTime(ticks) + ")"
                + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }
}
