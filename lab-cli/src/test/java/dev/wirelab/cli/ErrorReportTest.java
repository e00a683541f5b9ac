package dev.wirelab.cli;

import dev.wirelab.emulator.boot.BadImageException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a command's exception becomes an exit code and a line (internal errors cannot be provoked from outside). */
class ErrorReportTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Io io = new Io(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8), false);

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void internalErrorIsOneLineWithAHintAndExitCode1() {
        assertEquals(1, Main.failure(new IllegalStateException("boom\nsecond line"), io, false));
        assertEquals("wirelab: internal error: IllegalStateException: boom (run again with --debug for the stack trace)\n", err());
    }

    @Test
    void internalErrorWithDebugShowsTheStackTrace() {
        assertEquals(1, Main.failure(new IllegalStateException("boom"), io, true));
        assertTrue(err().contains("\tat "), err());
        assertTrue(err().endsWith("wirelab: internal error: IllegalStateException: boom\n"), err());
    }

    @Test
    void badImageIsBadInput() {
        assertEquals(2, Main.failure(new BadImageException("x.elf: bad"), io, false));
        assertEquals("wirelab: x.elf: bad\n", err());
    }

    @Test
    void aVanishedDirectoryIsOneLineNamingThePathNotAnInternalError() {
        // What a campaign met when its --out directory was deleted while it ran: the worker's write failed.
        Exception ex = new java.io.UncheckedIOException(
                new java.nio.file.NoSuchFileException("/tmp/out/status.txt.tmp"));
        assertEquals(2, Main.failure(new IllegalStateException("worker 0 failed", ex), io, false));
        assertEquals("wirelab: /tmp/out/status.txt.tmp: no such file or directory; check the path and run again\n", err());
    }
}
