package dev.wirelab.emulator.net;

import dev.wirelab.emulator.TestImages;
import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.board.Snapshot;

/** The default guest booted to its ready line on a board with a virtual wire, and a snapshot of that instant. */
final class BootedGuest implements AutoCloseable {
    final Board board;
    final VirtualWire wire;
    final Snapshot ready;

    private BootedGuest(Board board, VirtualWire wire, Snapshot ready) {
        this.board = board;
        this.wire = wire;
        this.ready = ready;
    }

    static BootedGuest boot(BoardConfig config, VirtualWire.Config wireConfig) {
        return boot(config, wireConfig, b -> { });
    }

    static BootedGuest boot(BoardConfig config, VirtualWire.Config wireConfig,
                            java.util.function.Consumer<Board> beforeLoad) {
        Board board = Board.create(config);
        try {
            VirtualWire wire = VirtualWire.attach(board, wireConfig); // before any snapshot it must be part of
            beforeLoad.accept(board);
            TestImages.bootDefaultGuest(board);
            return new BootedGuest(board, wire, board.snapshot());
        } catch (RuntimeException e) {
            board.close();
            throw e;
        }
    }

    static BootedGuest boot() {
        return boot(BoardConfig.defaults(), VirtualWire.Config.defaults());
    }

    void reset() {
        board.restore(ready);
    }

    @Override
    public void close() {
        ready.close();
        board.close();
    }
}
