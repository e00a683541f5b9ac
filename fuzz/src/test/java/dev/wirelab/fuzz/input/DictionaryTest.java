package dev.wirelab.fuzz.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.fuzz.Seeds;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DictionaryTest {
    private static final Pattern WORD = Pattern.compile("^\"((?:\\\\x[0-9A-F]{2})+)\"$", Pattern.MULTILINE);

    @ParameterizedTest
    @EnumSource(StreamTarget.class)
    void everyWordIsOneWholeActionOfTheTarget(StreamTarget t) {
        String dict = Dictionary.render(t, Seeds.vocabulary(t));
        Matcher m = WORD.matcher(dict);
        int words = 0;
        while (m.find()) {
            byte[] w = HexFormat.of().parseHex(m.group(1).replace("\\x", ""));
            assertTrue(w.length <= Dictionary.MAX_WORD, dict);
            assertEquals(1, InputDecoder.decode(t, w).actions().size(), m.group());
            words++;
        }
        assertTrue(words >= 10, t + ": " + words + " words\n" + dict);
        for (String line : dict.split("\n")) {
            assertTrue(line.startsWith("#") || WORD.matcher(line).matches(), "libFuzzer reads every line: " + line);
        }
    }

    @ParameterizedTest
    @EnumSource(StreamTarget.class)
    void theLongSeedLetsInputsGrowToMaxLen(StreamTarget t) {
        // libFuzzer with -len_control=0 never grows an input past the largest seed (FuzzCommand: -max_len=512)
        int longest = Seeds.forTarget(t).values().stream().mapToInt(i -> InputEncoder.encode(i).length).max().orElseThrow();
        assertTrue(longest >= 480 && longest <= 512, t + ": " + longest);
    }

    @ParameterizedTest
    @EnumSource(StreamTarget.class)
    void noSeedIsAKnownBugsWholeShape(StreamTarget t) {
        // the #1048 shape is three actions: a window fill, a short read, data; a seed holds at most one of them
        for (FuzzInput seed : Seeds.forTarget(t).values()) {
            List<Action> a = seed.actions();
            boolean fill = a.contains(Seeds.windowFill());
            boolean read = a.stream().anyMatch(x -> x instanceof AppRead);
            assertTrue(!fill || !read, seed.toString());
        }
    }
}
