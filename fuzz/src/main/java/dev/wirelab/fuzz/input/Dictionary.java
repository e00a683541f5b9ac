package dev.wirelab.fuzz.input;

import java.util.List;

/**
 * A libFuzzer dictionary ({@code -dict=FILE}) whose words are single encoded actions. libFuzzer
 * inserts and overwrites with them at random offsets; at an action boundary that is a whole new
 * action in the stream, so exchanges the seeds hold apart (fill a window, read a little, send data)
 * compose in one mutation instead of many lucky byte flips.
 */
public final class Dictionary {
    /** libFuzzer refuses a dictionary with a longer word (its fixed word size). */
    static final int MAX_WORD = 64;

    private Dictionary() {
    }

    /** The dictionary text: one {@code "\xNN..."} line per word that fits, each with its action as a comment. */
    public static String render(StreamTarget target, List<Action> words) {
        StringBuilder b = new StringBuilder("# wirelab ").append(target.id())
                .append(": one action per word (dev.wirelab.fuzz.Seeds.vocabulary)\n");
        for (Action a : words) {
            byte[] w = InputEncoder.encode(FuzzInput.of(target, a));
            if (w.length > MAX_WORD) {
                continue;
            }
            b.append("# ").append(a.toString().replace('\n', ' ')).append('\n').append('"');
            for (byte x : w) {
                b.append(String.format("\\x%02X", x & 0xff));
            }
            b.append("\"\n");
        }
        return b.toString();
    }
}
