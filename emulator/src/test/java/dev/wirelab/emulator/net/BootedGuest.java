package dev.wirelab.emulator.net;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.board.RunUntil;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.board.Snapshot;
import dev.wirelab.emulator.boot.BootImages;

import java.io.IOException;
import java.io.InputStream;

/** The default guest booted to its ready line on a board with a virtual wire, and a snapshot of that instant. */
final class BootedGuest implements AutoCloseable {
    static final String IMAGE = "/guest/kernel/wirelab-guest.elf";
    static final String READY = "wirelab-guest: ready";

    final Board board;
    final VirtualWire wire;
    final Snapshot ready;

    private BootedGuest(Board board, VirtualWire wire, Snapshot ready) {
        this.board = board;
        this.wire = wire;
        this.ready = ready;
    }

    static byte[] image() throws IOException {
        try (InputStream in = BootedGuest.class.getResourceAsStream(IMAGE)) {
            if (in == null) {
                throw new IOException(IMAGE + " is not on the test classpath (built by the guest module)");
            }
            return in.readAllBytes();
        }
    }

    static BootedGuest boot(BoardConfig config, VirtualWire.Config wireConfig) throws IOException {
        return boot(config, wireConfig, b -> { });
    }

    static BootedGuest boot(BoardConfig config, VirtualWire.Config wireConfig,
                            java.util.function.Consumer<Board> beforeLoad) throws IOException {
        Board board = Board.create(config);
        try {
            VirtualWire wire = VirtualWire.attach(board, wireConfig); // before any snapshot it must be part of
            beforeLoad.accept(board);
            board.load(BootImages.parse("wirelab-guest.elf", image()));
            Stop r = board.run(RunUntil.budget(1_500_000_000L).printed(READY));
            if (r.cause() != StopCause.CONSOLE_MATCH) {
                throw new IllegalStateException("guest not ready: " + r + "\n" + board.console().text());
            }
            return new BootedGuest(board, wire, board.snapshot());
        } catch (RuntimeException | IOException e) {
            board.close();
            throw e;
        }
    }

    static BootedGuest boot() throws IOException {
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
