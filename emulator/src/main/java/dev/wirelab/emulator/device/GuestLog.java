package dev.wirelab.emulator.device;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Guest errors, as QEMU's LOG_GUEST_ERROR: things the guest did wrong that the
 * board tolerated. Kept (bounded) so a run can report them, and stamped with the
 * virtual instruction count so the report says where in the run they happened.
 */
public final class GuestLog {
    public record Entry(long instructions, String device, String message) {
        @Override
        public String toString() {
            return "[" + instructions + "] " + device + ": " + message;
        }
    }

    private static final int LIMIT = 1000;
    private final List<Entry> entries = new ArrayList<>();
    private final LongSupplier now;
    private long dropped;
    private java.io.PrintStream echo;

    public GuestLog(LongSupplier now) {
        this.now = now;
    }

    /** Also print each entry to stderr as it happens (the CLI's --guest-errors). */
    public void echo(boolean on) {
        this.echo = on ? System.err : null;
    }

    /** Also print each entry to {@code out} as it happens (null: stop). */
    public void echoTo(java.io.PrintStream out) {
        this.echo = out;
    }

    public void error(String device, String message) {
        Entry e = new Entry(now.getAsLong(), device, message);
        if (echo != null) {
            echo.println("guest error: " + e);
        }
        if (entries.size() < LIMIT) {
            entries.add(e);
        } else {
            dropped++;
        }
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public long dropped() {
        return dropped;
    }
}
