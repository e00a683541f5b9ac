package dev.wirelab.emulator.gdb;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.boot.BootImages;

import java.io.IOException;
import java.io.InputStream;

/** A default board with a test guest from the classpath loaded (the guest module builds them). */
final class TestGuests {
    private TestGuests() { }

    static Board board(String name) throws IOException {
        byte[] image;
        try (InputStream in = TestGuests.class.getResourceAsStream("/guest/tests/" + name)) {
            if (in == null) {
                throw new IOException("test guest " + name + " is not on the classpath (guest module not built?)");
            }
            image = in.readAllBytes();
        }
        Board board = Board.create(BoardConfig.defaults());
        board.load(BootImages.parse(name, image));
        return board;
    }
}
