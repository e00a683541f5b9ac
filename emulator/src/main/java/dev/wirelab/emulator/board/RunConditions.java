package dev.wirelab.emulator.board;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The host-side state of one run's stop conditions: the exact-text console
 * matcher, the console pattern over output since the run began, the named
 * conditions, and which breakpoints may end the run. The board's run loop asks
 * it; device callbacks feed it console bytes.
 */
final class RunConditions {
    private final RunUntil until;
    private final Set<Long> own;
    private final byte[] needle;
    private int matched;
    private boolean printedHit;
    private final ByteArrayOutputStream since;
    private int checkedLength = -1;
    private String held;
    private boolean heldIsConsole;

    RunConditions(RunUntil until, Set<Long> ownBreakpoints) {
        this.until = until;
        this.own = Set.copyOf(ownBreakpoints);
        this.needle = until.printed() == null ? null : until.printed().getBytes(StandardCharsets.UTF_8);
        this.since = until.console() == null ? null : new ByteArrayOutputStream();
    }

    RunUntil until() {
        return until;
    }

    /** True when a breakpoint at {@code address} ends this run. */
    boolean stopsAt(long address) {
        return until.userBreakpoints() || own.contains(address);
    }

    /**
     * A byte the guest printed (told before the console stores it); true when the
     * run must stop at the next block: the awaited text is complete, or a line
     * ended and a condition holds.
     */
    boolean onConsoleByte(int b) {
        boolean stop = false;
        if (needle != null && !printedHit && matchNext((byte) b)) {
            printedHit = true;
            stop = true;
        }
        // Conditions are looked at when a line completes, so a wait ends at that line's instruction.
        if (b == '\n' && check()) {
            stop = true;
        }
        if (since != null) {
            since.write(b);
        }
        return stop;
    }

    boolean printedHit() {
        return printedHit;
    }

    /** Looks at the console pattern, then the conditions in order; true (and remembered) once one holds. */
    boolean check() {
        if (held != null) {
            return true;
        }
        if (since != null && since.size() != checkedLength) {
            checkedLength = since.size();
            if (until.console().matcher(since.toString(StandardCharsets.UTF_8)).find()) {
                held = "console";
                heldIsConsole = true;
                return true;
            }
        }
        for (RunUntil.Condition c : until.conditions()) {
            if (c.holds().getAsBoolean()) {
                held = c.name();
                return true;
            }
        }
        return false;
    }

    String held() {
        return held;
    }

    boolean heldIsConsole() {
        return heldIsConsole;
    }

    /** Incremental match of the guest's output against the awaited text (KMP, naive fallback). */
    private boolean matchNext(byte b) {
        while (true) {
            if (needle[matched] == b) {
                return ++matched == needle.length;
            }
            if (matched == 0) {
                return false;
            }
            // Fall back to the longest proper prefix that is also a suffix of what matched.
            int k = matched - 1;
            while (k > 0 && !regionMatches(matched - k, k)) {
                k--;
            }
            matched = k;
        }
    }

    private boolean regionMatches(int from, int len) {
        for (int i = 0; i < len; i++) {
            if (needle[i] != needle[from + i]) {
                return false;
            }
        }
        return true;
    }
}
