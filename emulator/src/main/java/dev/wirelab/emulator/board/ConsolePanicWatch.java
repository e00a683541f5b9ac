package dev.wirelab.emulator.board;

import java.util.regex.Pattern;

/**
 * Watches the console for a kernel's panic line: a complete line that matches the pattern ends
 * the run as {@link StopCause#GUEST_PANIC}, whatever the kernel does after it (Linux with
 * {@code panic=-1} resets, which would otherwise look like a clean exit).
 */
final class ConsolePanicWatch {
    /** Linux: a panic, or an Oops (arm64 prints "Internal error: Oops: ..."). */
    static final Pattern LINUX = Pattern.compile("Kernel panic - not syncing|Internal error: Oops");
    /** Longer lines are cut here: a guest printing without newlines cannot make the host hold it all. */
    private static final int MAX_LINE = 512;

    private Pattern pattern = LINUX;

    /**
     * A user's panic pattern: a regular expression, '' for no watch (null). Bad syntax is an
     * IllegalArgumentException that says how to quote literal text.
     */
    static Pattern parse(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(text);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a regular expression (" + e.getDescription()
                    + "): quote literal text with \\Q...\\E");
        }
    }
    private final StringBuilder line = new StringBuilder();

    void pattern(Pattern p) {
        pattern = p;
        line.setLength(0);
    }

    Pattern pattern() {
        return pattern;
    }

    /** Feeds one console byte; returns the panic line when this byte completed one, else null. */
    String onByte(int b) {
        if (pattern == null) {
            return null;
        }
        if (b == '\n') {
            String l = line.toString();
            line.setLength(0);
            return pattern.matcher(l).find() ? l.strip() : null;
        }
        if (b != '\r' && line.length() < MAX_LINE) {
            line.append((char) (b & 0xff));
        }
        return null;
    }

    /** A restore puts the console back: a half line from another history must not join the next. */
    void clear() {
        line.setLength(0);
    }
}
