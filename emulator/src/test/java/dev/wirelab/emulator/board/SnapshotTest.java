package dev.wirelab.emulator.board;

import dev.wirelab.emulator.boot.BootImages;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;

import static dev.wirelab.emulator.board.TestCode.boot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotTest {
    static final int STR_X0_X2 = 0xf9000040;        // str x0, [x2]
    static final int ADD_X0_1 = 0x91000400;         // add x0, x0, #1
    static final int ADD_X2_X2_4096 = 0x91400442;   // add x2, x2, #1, lsl #12
    static final int B_MINUS_12 = 0x17fffffd;       // b .-12
    static final long DATA = TestCode.RAM + 0x10_0000;

    record Outcome(String console, Stop exit, long instructions, String trace) { }

    static Outcome finish(Board b) {
        Stop r = b.run(50_000_000);
        return new Outcome(b.console().text(), r, r.instructions(), b.trace().hex());
    }

    @Test
    void restoredRunIsBitIdenticalToTheOriginal() {
        for (String guest : new String[] {"/guest/tests/dtb.elf", "/guest/tests/uart_rx.elf"}) {
            try (Board b = Board.create(BoardConfig.defaults())) {
                b.load(BootImages.parse(guest, TestCode.resource(guest)));
                b.console().input("wirelab.\n");
                b.run(300);
                try (Snapshot s = b.snapshot()) {
                    Outcome first = finish(b);
                    assertTrue(first.exit().is(StopCause.GUEST_EXIT), guest + ": " + first.exit());
                    assertEquals(300, s.instructions());
                    b.restore(s);
                    assertEquals(300, b.clock().instructions());
                    Outcome second = finish(b);
                    assertEquals(first, second, guest);
                    b.restore(s);
                    assertEquals(first, finish(b), guest + " after a second restore");
                }
            }
        }
    }

    @Test
    void pagesTouchedAfterTheSnapshotComeBackAsTheyWere() {
        try (Board b = Board.create(TestCode.SMALL_BOARD)) {
            boot(b, STR_X0_X2, ADD_X0_1, ADD_X2_X2_4096, B_MINUS_12);
            b.setX(2, DATA);
            b.run(4 * 10);                        // ten pages written
            byte[] before = b.readVirtual(DATA, 16 * 4096);
            try (Snapshot s = b.snapshot()) {
                // Round 0 restores with a scan of all RAM, later rounds scan the written pages' hull.
                for (int round = 0; round < 3; round++) {
                    b.run(4 * 20);                    // twenty more, ten of them new pages
                    assertNotEquals(0, b.ram().get(ValueLayout.JAVA_LONG, DATA - TestCode.RAM + 15 * 4096));
                    int pages = b.restore(s);
                    assertTrue(pages >= 10, "restore rewrote " + pages + " pages, round " + round);
                    assertArrayEquals(before, b.readVirtual(DATA, 16 * 4096), "round " + round);
                    assertEquals(0, b.ram().get(ValueLayout.JAVA_LONG, DATA - TestCode.RAM + 15 * 4096), "round " + round);
                    assertEquals(10, b.x(0));
                    assertEquals(DATA + 10 * 4096, b.x(2));
                }
                assertTrue(b.dirtyPageRestores(), "restores put back the written pages only (userfaultfd on this kernel)");
            }
        }
    }

    @Test
    void restoreRejectsAForeignSnapshot() {
        try (Board a = Board.create(TestCode.SMALL_BOARD);
             Board b = Board.create(TestCode.SMALL_BOARD);
             Snapshot s = a.snapshot()) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> b.restore(s));
            assertTrue(e.getMessage().contains("another board"));
        }
    }
}
