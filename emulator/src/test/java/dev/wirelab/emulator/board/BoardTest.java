package dev.wirelab.emulator.board;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static dev.wirelab.emulator.board.TestCode.RAM;
import static dev.wirelab.emulator.board.TestCode.boot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoardTest extends BoardFixture {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 7, 511, 512, 513, 1000, 4097, 1_000_001})
    void stopsAfterExactlyTheBudget(long n) {
        boot(board, ADD_X0_1, B_MINUS_4);
        Stop r = board.run(n);
        assertEquals(StopCause.BUDGET_EXHAUSTED, r.cause());
        assertEquals(n, r.instructions());
        assertEquals((n + 1) / 2, board.x(0), "adds executed");
    }

    @Test
    void consecutiveRunsAddUpExactly() {
        boot(board, ADD_X0_1, B_MINUS_4);
        for (int i = 0; i < 10; i++) {
            board.run(999);
        }
        assertEquals(9990, board.clock().instructions());
        assertEquals(4995, board.x(0));
    }

    @Test
    void eventsFireAtTheirExactInstant() {
        boot(board, ADD_X0_1, B_MINUS_4);
        List<Long> seen = new ArrayList<>();
        for (long t : new long[] {5, 1000, 123_457}) {
            board.events().schedule(t, "probe", tick -> seen.add(board.clock().instructions() * 1_000_000 + board.x(0)));
        }
        board.run(200_000);
        assertEquals(List.of(5_000_000L + 3, 1000_000_000L + 500, 123_457_000_000L + 61_729), seen);
    }

    @Test
    void counterReadsVirtualTimeExactly() {
        boot(board, NOP, MRS_X1_CNTVCT, NOP, NOP, NOP, NOP, NOP, MRS_X2_CNTVCT, MRS_X3_CNTFRQ, B_SELF);
        board.run(9);
        assertEquals(1, board.x(1), "one instruction retired before the first read");
        assertEquals(7, board.x(2));
        assertEquals(62_500_000L, board.x(3));
    }

    static final int MOVZ_X1_0XF0 = 0xd2801e01;       // movz x1, #0xf0
    static final int MSR_ICC_PMR_X1 = 0xd5184601;     // msr icc_pmr_el1, x1
    static final int MRS_X0_ICC_PMR = 0xd5384600;     // mrs x0, icc_pmr_el1
    static final int MRS_X3_ICC_IAR1 = 0xd538cc03;    // mrs x3, icc_iar1_el1

    /** Unicorn has no ICC_* registers: the board emulates them in its MRS/MSR hook and moves PC past them. */
    @Test
    void gicCpuInterfaceMovesRetireOnceWithExactCounts() {
        boot(board, MOVZ_X1_0XF0, MSR_ICC_PMR_X1, MRS_X0_ICC_PMR, MRS_X3_ICC_IAR1, NOP, B_SELF);
        board.setX(3, 7);
        Stop r = board.run(4);
        assertEquals(4, r.instructions());
        assertEquals(RAM + 16, board.pc(), "each move retired once: none repeated, none skipped");
        assertEquals(0xf0, board.x(0), "PMR written by msr, read back by mrs");
        assertEquals(1023, board.x(3), "IAR1 with nothing pending reads the spurious INTID");
        board.run(1);
        assertEquals(RAM + 20, board.pc());
        assertEquals(5, board.clock().instructions());
    }

    static final int MRS_X4_PMCCNTR = 0xd53b9d04;     // mrs x4, pmccntr_el0
    static final int MRS_X5_ID_AA64DFR0 = 0xd5380505; // mrs x5, id_aa64dfr0_el1

    @Test
    void hostTimeLeaksAreServedFromVirtualState() {
        boot(board, NOP, NOP, MRS_X4_PMCCNTR, MRS_X5_ID_AA64DFR0, B_SELF);
        board.run(4);
        assertEquals(2, board.x(4), "PMCCNTR counts virtual ticks, not host time");
        assertEquals(0, (board.x(5) >>> 8) & 0xf, "no PMU advertised");
    }

    @Test
    void rndrIsSeededAndReportsSuccess() {
        long[] first = new long[2];
        for (int run = 0; run < 2; run++) {
            try (Board b = Board.create(TestCode.SMALL_BOARD.withCpuMax(true))) {
                boot(b, 0xd53b2406, B_SELF);   // mrs x6, rndr
                b.setReg(dev.wirelab.emulator.cpu.Reg.NZCV, 0xf000_0000L);
                b.run(1);
                first[run] = b.x(6);
                assertEquals(0, b.reg(dev.wirelab.emulator.cpu.Reg.NZCV));
            }
        }
        assertEquals(first[0], first[1]);
        assertNotEquals(0, first[0]);
    }

    @Test
    void unmappedWriteIsAGuestFaultNamingTheAddress() {
        boot(board, MOVZ_X2_0x2000_LSL16, STR_W1_X2, B_SELF);
        Stop r = board.run(1000);
        assertEquals(StopCause.GUEST_FAULT, r.cause());
        assertTrue(r.detail().contains("unmapped address 0x20000000"), r.detail());
    }

    @Test
    void unmappedWriteJustAboveRamIsAGuestFaultNamingTheAddress() {
        // The unmapped hook covers everything but RAM (so RAM stores keep Unicorn's fast path):
        // the first byte past RAM's end must still be reported.
        long ramEnd = VirtMemoryMap.RAM_BASE + TestCode.SMALL_BOARD.ramSize();
        assertEquals(0x4100_0000L, ramEnd, "test assumes 16 MiB of RAM");
        boot(board, 0xd2a82002 /* movz x2, #0x4100, lsl #16 */, STR_W1_X2, B_SELF);
        Stop r = board.run(1000);
        assertEquals(StopCause.GUEST_FAULT, r.cause());
        assertTrue(r.detail().contains("unmapped address 0x41000000"), r.detail());
    }

    @Test
    void unmappedHookRangesAreEverythingButRam() {
        var r = Executor.outside(0x4000_0000L, 0x4100_0000L);
        assertEquals(2, r.size());
        assertArrayEquals(new long[] {0, 0x3fff_ffffL}, r.get(0));
        assertArrayEquals(new long[] {0x4100_0000L, -1L}, r.get(1));
        assertEquals(1, Executor.outside(0, 0x1000).size());
        assertArrayEquals(new long[] {0x1000, -1L}, Executor.outside(0, 0x1000).get(0));
    }

    @Test
    void wfiWithNothingPendingIsIdleForever() {
        boot(board, NOP, WFI, B_SELF);
        Stop r = board.run(1000);
        assertEquals(StopCause.IDLE_FOREVER, r.cause());
        assertEquals(2, r.instructions());
    }

    @Test
    void wfiFastForwardsToEventsAndOnlyAnInterruptWakesIt() {
        boot(board, WFI, ADD_X0_1, B_SELF);
        long[] at = new long[1];
        board.events().schedule(1_000_000, "host event", tick -> at[0] = board.clock().ticks());
        Stop r = board.run(10);
        assertEquals(1_000_000, at[0], "idle time skipped straight to the event");
        assertEquals(StopCause.IDLE_FOREVER, r.cause(), "a host event is not an interrupt: still waiting");
        assertEquals(1, r.instructions());
        assertEquals(0, board.x(0));
        board.tick(); // the GIC here was never configured: nothing is signalled to the CPU, as on hardware
        assertEquals(StopCause.IDLE_FOREVER, board.run(10).cause());
    }

    @Test
    void helloElfPrintsAndExitsThroughSemihosting() {
        long entry = TestCode.loadElf(board, TestCode.resource("/guest/tests/hello.elf"));
        board.resetCpu(entry, 0);
        Stop r = board.run(1_000_000);
        assertEquals("hello from wirelab test guest\n", board.console().text());
        assertEquals(StopCause.GUEST_EXIT, r.cause());
        assertEquals(new ExitStatus(ExitStatus.Kind.SEMIHOSTING_EXIT, 0, r.exit().detail()), r.exit());
    }

    @Test
    void runUntilConsoleStopsRightAfterTheText() {
        long entry = TestCode.loadElf(board, TestCode.resource("/guest/tests/hello.elf"));
        board.resetCpu(entry, 0);
        Stop r = board.run(RunUntil.budget(1_000_000).printed("from wi"));
        assertEquals(StopCause.CONSOLE_MATCH, r.cause());
        assertEquals("hello from wi", board.console().text());
        r = board.run(RunUntil.budget(1_000_000).printed("not printed"));
        assertEquals(StopCause.GUEST_EXIT, r.cause());
    }

    @Test
    void firmwareRunsFromFlashAtAddressZero() {
        board.loadBytes(0, TestCode.resource("/guest/tests/hello.bin"));
        board.resetCpu(0, 0);
        Stop r = board.run(1_000_000);
        assertEquals("hello from wirelab test guest\n", board.console().text());
        assertEquals(0, r.exitCode());
    }

    @Test
    void sameGuestSameTraceHashDifferentBudgetDifferentHash() {
        String[] hashes = new String[3];
        for (int i = 0; i < 3; i++) {
            try (Board b = Board.create(TestCode.SMALL_BOARD)) {
                long entry = TestCode.loadElf(b, TestCode.resource("/guest/tests/hello.elf"));
                b.resetCpu(entry, 0);
                b.run(i < 2 ? 1_000_000 : 20);
                hashes[i] = b.trace().hex();
            }
        }
        assertEquals(hashes[0], hashes[1]);
        assertNotEquals(hashes[0], hashes[2]);
    }

    /** QEMU's slots for -device virtio-net-device -device virtio-rng-device -device virtio-blk-device. */
    @Test
    void virtioDevicesSitWhereQemuPutsThemFromTheTop() {
        try (Board b = Board.create(BoardConfig.defaults().withRamSize(16L << 20))) {
            java.util.function.IntToLongFunction deviceId = slot -> b.devices().stream()
                    .filter(d -> d.base() == VirtMemoryMap.virtioSlotBase(slot)).findFirst().orElseThrow().read(0x008, 4);
            assertEquals(1, deviceId.applyAsLong(31), "net in slot 31 (0x0a003e00, SPI 47)");
            assertEquals(4, deviceId.applyAsLong(30), "rng in slot 30");
            for (int slot = 0; slot < 30; slot++) {
                assertEquals(0, deviceId.applyAsLong(slot), "slot " + slot + " empty without a disk");
            }
        }
    }

    @Test
    void diskImageAppearsAsVirtioBlkInSlot29ReadOnlyByDefault(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path img = java.nio.file.Files.write(dir.resolve("disk.img"), new byte[1 << 20]);
        try (Board b = Board.create(TestCode.SMALL_BOARD.withDisk(img, false))) {
            var slot1 = b.devices().stream().filter(d -> d.base() == VirtMemoryMap.virtioSlotBase(29)).findFirst().orElseThrow();
            assertEquals(0x74726976L, slot1.read(0x000, 4), "magic 'virt'");
            assertEquals(2, slot1.read(0x008, 4), "device id 2 = block");
            slot1.write(0x014, 4, 0); // DeviceFeaturesSel 0
            assertEquals(1L << 5, slot1.read(0x010, 4) & (1L << 5), "VIRTIO_BLK_F_RO offered");
            assertEquals(2048, slot1.read(0x100, 4), "capacity in 512-byte sectors");
        }
        try (Board b = Board.create(TestCode.SMALL_BOARD)) {
            var slot1 = b.devices().stream().filter(d -> d.base() == VirtMemoryMap.virtioSlotBase(29)).findFirst().orElseThrow();
            assertEquals(0, slot1.read(0x008, 4), "no disk: an empty slot");
        }
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Board.create(BoardConfig.defaults().withDisk(dir.resolve("missing.img"), false)).close());
        assertTrue(e.getMessage().contains("cannot open disk image"), e.getMessage());
    }

    @Test
    void loadingOutsideRamAndFlashIsRefused() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> board.loadBytes(RAM + (16L << 20) - 2, new byte[4]));
        assertTrue(e.getMessage().contains("outside RAM"), e.getMessage());
    }
}
