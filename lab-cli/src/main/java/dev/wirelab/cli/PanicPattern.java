package dev.wirelab.cli;

import dev.wirelab.emulator.board.Board;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code --panic-pattern}: absent means Linux's panic lines, '' means no panic watch. */
final class PanicPattern {
    private PanicPattern() { }

    static Pattern parse(String option) {
        if (option == null) {
            return Board.LINUX_PANIC;
        }
        if (option.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(option);
        } catch (PatternSyntaxException e) {
            throw new UserError("--panic-pattern '" + option + "' is not a regular expression (" + e.getDescription()
                    + "): quote literal text with \\Q...\\E");
        }
    }
}
