package dev.wirelab.cli.bench;

import dev.wirelab.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's shape (rows, notes, QEMU missing); its numbers are printed, never asserted. */
class BenchCommandTest {
    @Test
    void withoutQemuPrintsWirelabRowsAndSaysSo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"bench", "--runs", "1", "--guests", "bench_compute", "--qemu", "/nonexistent/qemu-system-aarch64"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(0, code, text + err);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("bench_compute, ") && l.contains("M insn/s")), text);
        assertTrue(text.lines().noneMatch(l -> l.startsWith("bench_store")), "only the selected guest: " + text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("start-up: ")), text);
        assertTrue(text.contains("'/nonexistent/qemu-system-aarch64' was not found"), text);
        for (String target : new String[] {"tcp-listen", "tcp-established", "tcp-interleave"}) {
            assertTrue(text.lines().anyMatch(l -> l.startsWith("fuzz executions/s, " + target + " (")), target + ": " + text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("snapshot restore after a " + target + " execution")), text);
        }
        assertTrue(text.lines().anyMatch(l -> l.startsWith("engine executions/s, tcp-established (libFuzzer, 1,000 runs)")),
                "the real engine's row: " + text);
        assertTrue(!text.contains("engine row not measured"), text);
        assertTrue(!text.contains("on the default guest while benching"), "no finding on the default guest: " + text);
        assertTrue(!text.contains("warning:"), "the bench guests retire their documented counts: " + text);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }
}
