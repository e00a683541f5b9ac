package dev.wirelab.emulator.net;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.board.RunResult;
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
            long limit = 1_500_000_000L;
            while (!board.console().text().contains(READY)) {
                RunResult r = board.run(20_000_000);
                if (r.exit() != null && r.exit().kind() != dev.wirelab.emulator.board.ExitStatus.Kind.BUDGET_EXHAUSTED) {
                    throw new IllegalStateException("guest stopped before ready: " + r.exit() + "\n" + board.console().text());
                }
                if (board.clock().instructions() > limit) {
                    throw new IllegalStateException("guest not ready after " + limit + " instructions:\n" + board.console().text());
                }
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
