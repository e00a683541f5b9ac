package dev.wirelab.emulator.gdb;

import dev.wirelab.emulator.TestImages;
import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.boot.BootImages;

import java.io.IOException;

/** A default board with a test guest from the classpath loaded (the guest module builds them). */
final class TestGuests {
    private TestGuests() { }

    static Board board(String name) throws IOException {
        Board board = Board.create(BoardConfig.defaults());
        board.load(BootImages.parse(name, TestImages.resource("/guest/tests/" + name)));
        return board;
    }
}
