package dev.wirelab.emulator.replay;

import dev.wirelab.emulator.TestImages;
import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;

/** The default guest booted to "wirelab-guest: ready" on a fresh board (test helper). */
final class GuestBoards {
    private GuestBoards() { }

    static Board ready() {
        Board board = Board.create(BoardConfig.defaults());
        try {
            TestImages.bootDefaultGuest(board);
            return board;
        } catch (RuntimeException e) {
            board.close();
            throw e;
        }
    }
}
