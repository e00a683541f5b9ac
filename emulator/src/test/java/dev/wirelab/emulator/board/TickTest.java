package dev.wirelab.emulator.board;

import dev.wirelab.emulator.boot.BootImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tick() on the default guest: a run with the timer interrupt forced at
 * instruction N is identical to the unforced run before N, differs from N on,
 * and is itself the same every time.
 */
class TickTest {
    static Board board;
    static Snapshot ready;
    static final long WINDOW = 3_000_000;

    @BeforeAll
    static void bootToReady() {
        String name = "/guest/kernel/wirelab-guest.elf";
        board = Board.create(BoardConfig.defaults());
        board.load(BootImages.parse(name, TestCode.resource(name)));
        for (int i = 0; i < 400 && !board.console().text().contains("wirelab-guest: ready"); i++) {
            board.run(1_000_000);
        }
        assertTrue(board.console().text().contains("wirelab-guest: ready"), board.console().text());
        ready = board.snapshot();
    }

    @AfterAll
    static void close() {
        ready.close();
        board.close();
    }

    record Run(List<TraceHash.Entry> entries, String hash, boolean maskedAtTick) { }

    /** From the ready snapshot: run {@code before} instructions, optionally tick, then finish the window. */
    static Run run(long before, boolean tick) {
        board.restore(ready);
        int skip = board.trace().entries().size();
        board.run(before);
        boolean masked = (board.reg(dev.wirelab.emulator.cpu.Reg.PSTATE) & (1 << 7)) != 0;
        if (tick) {
            board.tick();
        }
        board.run(WINDOW - before);
        List<TraceHash.Entry> all = board.trace().entries();
        return new Run(List.copyOf(all.subList(skip, all.size())), board.trace().hex(), masked);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {1_234_567, 2_000_003, 777_777})
    void forcedTickChangesTheRunExactlyFromItsInstruction(long before) {
        long start = ready.instructions();
        long n = start + before;
        Run plain = run(before, false);
        Run ticked = run(before, true);
        Run again = run(before, true);

        assertEquals(ticked, again, "a forced tick must replay identically");
        assertNotEquals(plain.hash(), ticked.hash());

        int firstDiff = 0;
        while (firstDiff < plain.entries().size() && firstDiff < ticked.entries().size()
                && plain.entries().get(firstDiff).equals(ticked.entries().get(firstDiff))) {
            firstDiff++;
        }
        for (int i = 0; i < firstDiff; i++) {
            assertTrue(plain.entries().get(i).instruction() <= n, "identical prefix must end at N");
        }
        TraceHash.Entry diverged = ticked.entries().get(firstDiff);
        assertEquals(new TraceHash.Entry('T', n, diverged.payloadHash()), diverged, "the first difference is the tick at N");
        // Taken at once when the guest has IRQs unmasked at N, else at its next unmask (a short critical section).
        TraceHash.Entry taken = ticked.entries().get(firstDiff + 1);
        assertEquals('I', taken.kind(), "the forced interrupt is the next event");
        if (ticked.maskedAtTick()) {
            assertTrue(taken.instruction() > n && taken.instruction() < n + 10_000, "taken at the unmask: " + taken);
        } else {
            assertEquals(n, taken.instruction());
        }
        for (TraceHash.Entry e : plain.entries().subList(firstDiff, plain.entries().size())) {
            assertTrue(e.instruction() >= n, "unforced events after the divergence point come at or after N: " + e);
        }
    }
}
