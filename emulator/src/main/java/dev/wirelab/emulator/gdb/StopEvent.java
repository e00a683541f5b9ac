package dev.wirelab.emulator.gdb;

/**
 * Why the machine stopped, in the terms of a GDB stop reply: a signal with an
 * optional reason ({@code swbreak}, {@code watch:ADDR}, {@code replaylog:begin}),
 * or the guest's end ({@code W}).
 */
public record StopEvent(Kind kind, long address, int exitCode) {
    public enum Kind { STEPPED, BREAKPOINT, WATCH_WRITE, WATCH_READ, WATCH_ACCESS, INTERRUPTED, FAULT, HISTORY_BEGIN,
        HISTORY_END, EXITED }

    public static StopEvent of(Kind kind) {
        return new StopEvent(kind, 0, 0);
    }

    /** The stop reply packet (thread 1, the one CPU). */
    public String reply() {
        return switch (kind) {
            case EXITED -> String.format("W%02x", exitCode & 0xff);
            case INTERRUPTED -> "T02thread:01;";
            case FAULT -> "T0bthread:01;";
            case BREAKPOINT -> "T05thread:01;swbreak:;";
            case WATCH_WRITE -> String.format("T05thread:01;watch:%x;", address);
            case WATCH_READ -> String.format("T05thread:01;rwatch:%x;", address);
            case WATCH_ACCESS -> String.format("T05thread:01;awatch:%x;", address);
            case HISTORY_BEGIN -> "T05thread:01;replaylog:begin;";
            case HISTORY_END -> "T05thread:01;replaylog:end;";
            case STEPPED -> "T05thread:01;";
        };
    }
}
