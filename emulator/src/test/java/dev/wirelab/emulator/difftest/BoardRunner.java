package dev.wirelab.emulator.difftest;

import java.nio.file.Path;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.boot.BootImages;

/**
 * wirelab's side of the differential test, written against the board API.
 *
 * <p>What the board must do for the catalogue to pass: load ELF, arm64 Image
 * and firmware images like QEMU (README in guest/tests); end the run on a
 * semihosting exit with its code, on PSCI SYSTEM_OFF with 0 and on PSCI
 * SYSTEM_RESET with 0 (QEMU's {@code -no-reboot} behaviour); put UART TX and
 * semihosting output into one console transcript in order.
 */
final class BoardRunner implements WirelabRunner {
    /** bench_compute, the longest guest, retires 1,500,000,098 instructions. */
    static final long INSTRUCTION_BUDGET = 2_000_000_000L;

    /** {@code -Dwirelab.difftest.budget=N} lowers the budget (a hanging guest then fails fast). */
    static long budget() {
        return Long.getLong("wirelab.difftest.budget", INSTRUCTION_BUDGET);
    }

    @Override
    public Transcript run(GuestCase c, Path image, byte[] stdin) throws Exception {
        BootImage bootImage = BootImages.load(image);
        BoardConfig cfg = BoardConfig.defaults()
                .withGicVersion(c.gicVersion())
                .withRamSize(128L << 20)
                .withPsciMethod(c.has(GuestCase.Flag.PSCI_SMC) ? "smc" : "hvc");
        try (Board board = Board.create(cfg)) {
            board.load(bootImage);
            board.console().input(stdin);
            Stop r = board.run(budget());
            boolean exited = r.is(StopCause.GUEST_EXIT) || r.is(StopCause.GUEST_FAULT);
            byte[] console = board.console().transcript();
            if (!r.is(StopCause.GUEST_EXIT)) {
                // Make a fault or a budget overrun visible in the comparison, not just in the exit code.
                console = (board.console().text() + "\n[wirelab: " + r + "]\n").getBytes();
            }
            // A fault exits 125 as the CLI does (the catalogue's expected code).
            return new Transcript(console, !exited ? -1 : r.is(StopCause.GUEST_FAULT) ? 125 : r.exitCode(), !exited);
        }
    }
}
