package dev.wirelab.emulator;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.RunUntil;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.boot.BootImages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The guest images the guest module builds onto the test class path, and the one way a test
 * boots the default guest to its ready line.
 */
public final class TestImages {
    public static final String DEFAULT_GUEST = "/guest/kernel/wirelab-guest.elf";
    public static final String READY = "wirelab-guest: ready";

    private TestImages() { }

    /** A class-path resource's bytes, e.g. {@code /guest/tests/hello.elf}. */
    public static byte[] resource(String path) {
        try (InputStream in = TestImages.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path + " (is the guest module built?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default guest's ELF. */
    public static byte[] defaultGuest() {
        return resource(DEFAULT_GUEST);
    }

    /**
     * Loads the default guest on {@code board} and runs it until it printed its ready line (its
     * services listen); a guest that stops anywhere else fails the test with its console.
     */
    public static void bootDefaultGuest(Board board) {
        board.load(BootImages.parse("wirelab-guest.elf", defaultGuest()));
        Stop r = board.run(RunUntil.budget(1_500_000_000L).printed(READY));
        if (r.cause() != StopCause.CONSOLE_MATCH) {
            throw new IllegalStateException("guest not ready: " + r + "\n" + board.console().text());
        }
    }
}
