package dev.wirelab.emulator.pkt;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Malformed scripts never crash the parser: seeded mutations of the corpus either parse or give one
 * {@link PktSyntaxError} line naming FILE:LINE:COLUMN (the same seed gives the same inputs).
 */
class PktParserRobustnessTest {
    private static final String ALPHABET = "<>.:()[]{},=|+*~-_\"`%/ \n\t0123456789abcdefSFPR...xyz";

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void mutatedScriptsParseOrFailWithOneLine() throws IOException {
        List<String> seeds;
        try (Stream<Path> s = Files.list(PktCorpusTest.CORPUS)) {
            seeds = s.filter(p -> p.toString().endsWith(".pkt")).sorted().map(PktParserRobustnessTest::read).toList();
        }
        Random r = new Random(14);
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(seeds.get(r.nextInt(seeds.size())));
            for (int m = 1 + r.nextInt(4); m > 0; m--) {
                int at = r.nextInt(sb.length() + 1);
                switch (r.nextInt(4)) {
                    case 0 -> sb.insert(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                    case 1 -> {
                        if (at < sb.length()) {
                            sb.deleteCharAt(at);
                        }
                    }
                    case 2 -> sb.setLength(at);
                    default -> sb.insert(at, "99999999999999999999");
                }
            }
            String text = sb.toString();
            try {
                PktParser.parse("m.pkt", text);
                parsed++;
            } catch (PktSyntaxError e) {
                assertTrue(e.getMessage().matches("m\\.pkt:\\d+:\\d+: [^\\n]+"), e.getMessage());
                rejected++;
            } catch (RuntimeException e) {
                fail("the parser crashed on a mutated script: " + e + "\n--- input\n" + text, e);
            }
        }
        assertTrue(parsed > 100 && rejected > 100, parsed + " parsed, " + rejected + " rejected");
    }
}
