package dev.wirelab.cli;

import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.boot.BootImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys typed while the guest runs (the interactive console without a terminal: a byte stream). */
class InteractiveConsoleTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) { }

    private Run run(String guest, InputStream keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            var image = GuestImage.file(Path.of(Cli.guest(dir, guest)), BootImages.Format.AUTO, null);
            int code = new GuestRun(new Io(o, e, false), BoardConfig.defaults(), image).keyboard(keys)
                    .run(2_000_000_000L).exitCode();
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void typedKeysReachTheUart() {
        Run r = run("uart_rx.elf", new ByteArrayInputStream("typed.".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("TYPED."), r.toString());
    }

    @Test
    void ctrlAXQuitsAGuestThatWaitsForever() {
        Run r = run("uart_rx.elf", new ByteArrayInputStream(new byte[] {'a', 1, 'x'}));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("terminated (Ctrl-A X)"), r.toString());
        assertFalse(r.out().contains("bytes"), "the guest never saw its end of line: " + r);
    }

    @Test
    void escapesAsQemusMux() {
        InteractiveConsole c = new InteractiveConsole(InputStream.nullInputStream());
        ByteArrayOutputStream typed = new ByteArrayOutputStream();
        assertFalse(c.key('a', typed));
        assertFalse(c.key(1, typed));
        assertFalse(c.key(1, typed)); // Ctrl-A Ctrl-A: one literal Ctrl-A
        assertFalse(c.key(1, typed));
        assertFalse(c.key('z', typed)); // Ctrl-A z: dropped
        assertFalse(c.key(1, typed));
        assertTrue(c.key('X', typed));
        assertArrayEquals(new byte[] {'a', 1}, typed.toByteArray());
    }
}
