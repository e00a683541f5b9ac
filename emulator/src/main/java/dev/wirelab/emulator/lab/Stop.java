package dev.wirelab.emulator.lab;

/**
 * Where a guest run stopped.
 *
 * @param reason       "budget" (the run's own count ran out), "breakpoint", "condition", "time", "exited",
 *                     "fault", "idle", "stopped"
 * @param detail       one line for people (the board's explanation)
 * @param instructions retired instructions since reset
 * @param ticks        virtual time since reset, in counter ticks (62.5 MHz)
 * @param pc           the program counter
 * @param where        the pc with its symbol ("tcp_input+0x10 (0x40201234)")
 */
public record Stop(String reason, String detail, long instructions, long ticks, long pc, String where) {
    /** True when a condition the caller asked for (breakpoint, pattern, time) was reached. */
    public boolean reached() {
        return reason.equals("breakpoint") || reason.equals("condition") || reason.equals("time");
    }

    /** True when the guest itself ended (exit, fault, idle forever). */
    public boolean ended() {
        return reason.equals("exited") || reason.equals("fault") || reason.equals("idle");
    }

    @Override
    public String toString() {
        return reason + " at " + where + " (" + instructions + " instructions, " + Lab.formatTime(ticks) + ")"
                + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }
}
