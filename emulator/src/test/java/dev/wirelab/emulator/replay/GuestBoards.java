package dev.wirelab.emulator.replay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.boot.BootImages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The default guest booted to "wirelab-guest: ready" on a fresh board (test helper). */
final class GuestBoards {
    static final String KERNEL = "/guest/kernel/wirelab-guest.elf";

    private GuestBoards() { }

    static Board ready() {
        byte[] elf;
        try (InputStream in = GuestBoards.class.getResourceAsStream(KERNEL)) {
            if (in == null) {
                throw new IllegalStateException(KERNEL + " is not on the test classpath (build the guest module)");
            }
            elf = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Board board = Board.create(BoardConfig.defaults());
        board.load(BootImages.parse("wirelab-guest.elf", elf));
        for (int i = 0; i < 400 && !board.console().text().contains("wirelab-guest: ready"); i++) {
            board.run(100_000);
        }
        assertTrue(board.console().text().contains("wirelab-guest: ready"), board.console().text());
        return board;
    }
}
