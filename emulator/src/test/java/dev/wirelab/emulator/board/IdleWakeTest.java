package dev.wirelab.emulator.board;

import dev.wirelab.emulator.boot.BootImages;
import dev.wirelab.emulator.time.VirtualClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default guest idling: each timer wake is one run to WFI after the interrupt entry, not a
 * slice per timer reprogramming or interrupt acknowledge (those move the slice's deadline or need
 * no stop at all), and the run is the same instruction for instruction with count-limited slices.
 */
class IdleWakeTest {
    static final long IDLE_TICKS = VirtualClock.FREQUENCY_HZ / 5; // 200 ms: 20 wakes of the 100 Hz tick

    record Idle(long wakes, long emuStarts, long instructions, String hash) { }

    static Idle idle(boolean countLimited) {
        String name = "/guest/kernel/wirelab-guest.elf";
        try (Board board = Board.create(BoardConfig.defaults())) {
            if (countLimited) {
                board.countLimitedSlices();
            }
            board.load(BootImages.parse(name, TestCode.resource(name)));
            for (int i = 0; i < 400 && !board.console().text().contains("wirelab-guest: ready"); i++) {
                board.run(1_000_000);
            }
            assertTrue(board.console().text().contains("wirelab-guest: ready"), board.console().text());
            board.run(RunUntil.unbounded().time(board.clock().ticks() + VirtualClock.FREQUENCY_HZ / 100)); // settle
            long irqs0 = interrupts(board);
            long starts0 = board.emuStarts();
            long insns0 = board.clock().instructions();
            Stop s = board.run(RunUntil.unbounded().time(board.clock().ticks() + IDLE_TICKS));
            assertEquals(StopCause.TIME_REACHED, s.cause(), s.toString());
            return new Idle(interrupts(board) - irqs0, board.emuStarts() - starts0,
                    board.clock().instructions() - insns0, board.trace().hex());
        }
    }

    static long interrupts(Board board) {
        return board.trace().entries().stream().filter(e -> e.kind() == 'I').count();
    }

    @Test
    void aTimerWakeIsOneRunAfterItsInterruptEntry() {
        Idle exact = idle(false);
        assertTrue(exact.wakes() >= 19, "the 100 Hz tick should wake the idle guest ~20 times in 200 ms: " + exact);
        // Per wake: the slice that takes the interrupt and runs to WFI, and at most one more
        // (a wake that ends the slice for a lwIP timer or the run's own deadline).
        assertTrue(exact.emuStarts() <= 2 * exact.wakes() + 2, "uc_emu_start calls per wake: " + exact);
        Idle limited = idle(true);
        assertEquals(limited.instructions(), exact.instructions());
        assertEquals(limited.hash(), exact.hash());
    }
}
