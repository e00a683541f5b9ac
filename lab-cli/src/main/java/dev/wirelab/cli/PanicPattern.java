package dev.wirelab.cli;

import dev.wirelab.emulator.board.Board;

import java.util.regex.Pattern;

/** {@code --panic-pattern}: absent means Linux's panic lines, '' means no panic watch. */
final class PanicPattern {
    private PanicPattern() { }

    static Pattern parse(String option) {
        if (option == null) {
            return Board.LINUX_PANIC;
        }
        try {
            return Board.panicPattern(option);
        } catch (IllegalArgumentException e) {
            throw new UserError("--panic-pattern " + e.getMessage(), e);
        }
    }
}
