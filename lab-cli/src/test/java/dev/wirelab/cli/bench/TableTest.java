package dev.wirelab.cli.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TableTest {
    @Test
    void alignsColumnsRightAlignsNumbersAndPrintsNotes() {
        Table t = new Table("measure", "a", "b")
                .row("first", "1.5", "x")
                .row("second row", "1,234.5")
                .note("median of 3 runs");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("""
                measure     a        b
                ----------  -------  -
                first           1.5  x
                second row  1,234.5
                median of 3 runs
                """, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void rowsWiderThanTheHeaderAreAMistake() {
        assertThrows(IllegalArgumentException.class, () -> new Table("one").row("a", "b"));
    }

    @Test
    void medianIsTheMiddleSample() {
        Samples s = new Samples(4);
        s.add(30);
        s.add(10);
        s.add(20);
        assertEquals(20, s.median());
        s.add(40);
        assertEquals(25, s.median());
    }
}
