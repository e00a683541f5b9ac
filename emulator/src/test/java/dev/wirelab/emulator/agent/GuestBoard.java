package dev.wirelab.emulator.agent;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.boot.BootImages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default guest booted to ready with an agent host attached from reset. */
final class GuestBoard {
    static final String ELF = "/guest/kernel/wirelab-guest.elf";

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
        board.load(BootImages.parse(ELF, resource(ELF)));
        for (int i = 0; i < 400 && !board.console().text().contains("wirelab-guest: ready"); i++) {
            board.run(1_000_000);
        }
        assertTrue(board.console().text().contains("wirelab-guest: ready"), board.console().text());
    }

    static byte[] resource(String path) {
        try (InputStream in = GuestBoard.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path + " (is the guest module built?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
