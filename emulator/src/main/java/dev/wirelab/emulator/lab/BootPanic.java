package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.board.Board;

import java.util.regex.Pattern;

/** The {@code panic} option of {@code boot}: the console line that ends a run as a guest panic. */
final class BootPanic {
    private BootPanic() { }

    /** A ~/regex/ as given, text as a regular expression, '' for no panic watch (null). */
    static Pattern pattern(Object option) {
        if (option instanceof Pattern p) {
            return p.pattern().isEmpty() ? null : p;
        }
        try {
            return Board.panicPattern(String.valueOf(option));
        } catch (IllegalArgumentException e) {
            throw new BadArgument("boot: panic " + e.getMessage(), ScriptLine.caller());
        }
    }
}
