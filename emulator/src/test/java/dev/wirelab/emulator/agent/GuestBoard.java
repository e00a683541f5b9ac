package dev.wirelab.emulator.agent;

import dev.wirelab.emulator.TestImages;
import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;

/** The default guest booted to ready with an agent host attached from reset. */
final class GuestBoard {
    final Board board;
    final AgentHost host;

    GuestBoard() {
        this(b -> { });
    }

    /** {@code beforeBoot} attaches more to the board (a virtual wire) before the guest starts. */
    GuestBoard(java.util.function.Consumer<Board> beforeBoot) {
        board = Board.create(BoardConfig.defaults());
        host = AgentHost.attach(board);
        beforeBoot.accept(board);
        TestImages.bootDefaultGuest(board);
    }
}
