package dev.wirelab.emulator.lab;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The {@code panic} option of {@code boot}: the console line that ends a run as a guest panic. */
final class BootPanic {
    private BootPanic() { }

    /** A ~/regex/ as given, text as a regular expression, '' for no panic watch (null). */
    static Pattern pattern(Object option) {
        if (option instanceof Pattern p) {
            return p.pattern().isEmpty() ? null : p;
        }
        String text = String.valueOf(option);
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new BadArgument("boot: panic '" + text + "' is not a regular expression (" + e.getDescription()
                    + "); quote literal text with \\Q...\\E", ScriptLine.caller());
        }
    }
}
