package dev.wirelab.emulator.unicorn;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The binding against the real libunicorn: every path the board relies on. */
class UnicornTest {
    static final long CODE = 0x4000_0000L;
    static final int MOVZ_X0_5 = 0xd28000a0;      // movz x0, #5
    static final int ADD_X0_1 = 0x91000400;       // add x0, x0, #1
    static final int SVC_0 = 0xd4000001;          // svc #0
    static final int STR_W1_X2 = 0xb9000041;      // str w1, [x2]
    static final int LDR_W3_X2 = 0xb9400043;      // ldr w3, [x2]
    static final int MRS_X4_CNTVCT = 0xd53be044;  // mrs x4, cntvct_el0
    static final int NOP = 0xd503201f;
    static final int MRS_X5_TPIDR = 0xd53bd045;   // mrs x5, tpidr_el0

    Unicorn uc;

    @BeforeEach
    void open() {
        uc = new Unicorn(Unicorn.CPU_ARM64_A72);
        uc.mapMemory(CODE, 0x10000, Unicorn.PROT_ALL);
    }

    @AfterEach
    void close() {
        uc.close();
    }

    void code(int... insns) {
        ByteBuffer b = ByteBuffer.allocate(insns.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : insns) {
            b.putInt(i);
        }
        uc.writeMemory(CODE, b.array());
    }

    @Test
    void versionIsAtLeast212() {
        assertTrue((uc.library().version() >>> 8) >= UnicornLibrary.MIN_VERSION,
                UnicornLibrary.versionString(uc.library().version()));
    }

    @Test
    void runsInstructionsAndCountLimitStopsExactly() {
        code(MOVZ_X0_5, ADD_X0_1, ADD_X0_1, ADD_X0_1, NOP);
        uc.start(CODE, 0, 3);
        assertEquals(7, uc.readReg(Arm64Reg.x(0)));
        assertEquals(CODE + 12, uc.readReg(Arm64Reg.PC));
        uc.start(CODE + 12, CODE + 16, 0);
        assertEquals(8, uc.readReg(Arm64Reg.x(0)));
    }

    @Test
    void generalRegisterIdsMapToTheRightRegisters() {
        for (int n = 0; n <= 30; n++) {
            uc.writeReg(Arm64Reg.x(n), 1000 + n);
        }
        for (int n = 0; n <= 30; n++) {
            assertEquals(1000 + n, uc.readReg(Arm64Reg.x(n)), "X" + n);
        }
    }

    @Test
    void narrowRegistersReadBackWithoutStaleUpperBytes() {
        uc.writeReg(Arm64Reg.x(6), 0xa4309d6e1efa03bfL);
        uc.readReg(Arm64Reg.x(6));
        uc.writeReg(Arm64Reg.NZCV, 0x6000_0000L);
        assertEquals(0x6000_0000L, uc.readReg(Arm64Reg.NZCV));
    }

    @Test
    void svcReachesTheInterruptHookWithPcAfterIt() {
        code(SVC_0, NOP);
        List<Long> seen = new ArrayList<>();
        uc.hookInterrupt(intno -> {
            seen.add((long) intno);
            seen.add(uc.readReg(Arm64Reg.PC));
            uc.stop();
        });
        uc.start(CODE, CODE + 8, 0);
        assertEquals(List.of(2L, CODE + 4), seen);
    }

    @Test
    void mmioReadsAndWritesReachTheDevice() {
        List<String> log = new ArrayList<>();
        uc.mapMmio(0x0900_0000L, 0x1000, new Callbacks.Mmio() {
            @Override
            public long read(long offset, int size) {
                log.add("r" + offset + "/" + size);
                return 0x1234;
            }

            @Override
            public void write(long offset, int size, long value) {
                log.add("w" + offset + "/" + size + "=" + value);
            }
        });
        uc.writeReg(Arm64Reg.x(1), 42);
        uc.writeReg(Arm64Reg.x(2), 0x0900_0018L);
        code(STR_W1_X2, LDR_W3_X2);
        uc.start(CODE, CODE + 8, 0);
        assertEquals(List.of("w24/4=42", "r24/4"), log);
        assertEquals(0x1234, uc.readReg(Arm64Reg.x(3)));
    }

    @Test
    void mrsHookServesTheCounter() {
        uc.hookSysInsn(Unicorn.INS_MRS, (xt, op0, op1, crn, crm, op2, value) -> {
            if (op0 == 3 && op1 == 3 && crn == 14 && crm == 0 && op2 == 2) {
                uc.writeReg(xt, 777);
                return true;
            }
            return false;
        });
        code(MRS_X4_CNTVCT, NOP);
        uc.start(CODE, CODE + 4, 0);
        assertEquals(777, uc.readReg(Arm64Reg.x(4)));
    }

    @Test
    void filteredMrsHookCallsJavaOnlyForWantedRegisters() {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeHooks.available(), "native hooks not built");
        int[] calls = new int[1];
        SysInsnFilter f = uc.hookSysInsnFiltered(Unicorn.INS_MRS, (xt, op0, op1, crn, crm, op2, value) -> {
            calls[0]++;
            uc.writeReg(xt, 777);
            return true;
        });
        int cntvct = (3 << 14) | (3 << 11) | (14 << 7) | 2;
        f.want(p -> p == cntvct);
        uc.writeSysReg(3, 3, 13, 0, 2, 0x55); // TPIDR_EL0: Unicorn's own, read without Java
        code(MRS_X4_CNTVCT, MRS_X5_TPIDR, NOP);
        uc.start(CODE, CODE + 8, 0);
        assertEquals(777, uc.readReg(Arm64Reg.x(4)));
        assertEquals(0x55, uc.readReg(Arm64Reg.x(5)));
        assertEquals(1, calls[0]);
        f.want(p -> true);
        uc.start(CODE, CODE + 8, 0);
        assertEquals(777, uc.readReg(Arm64Reg.x(5)));
        assertEquals(3, calls[0]);
    }

    @Test
    void callbackExceptionIsRethrownAndTheEngineSurvives() {
        code(SVC_0, NOP);
        UcHook h = uc.hookInterrupt(intno -> {
            throw new IllegalStateException("boom in hook");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> uc.start(CODE, CODE + 8, 0));
        assertEquals("boom in hook", e.getMessage());
        uc.removeHook(h);
        code(MOVZ_X0_5);
        uc.flushTranslations(); // the svc block is still cached otherwise
        uc.start(CODE, CODE + 4, 0);
        assertEquals(5, uc.readReg(Arm64Reg.x(0)));
    }

    @Test
    void unmappedAccessIsAnErrorWithUnicornsText() {
        uc.writeReg(Arm64Reg.x(2), 0x2000_0000L);
        code(STR_W1_X2);
        UnicornException e = assertThrows(UnicornException.class, () -> uc.start(CODE, CODE + 4, 0));
        assertEquals(UcErr.WRITE_UNMAPPED, e.code());
        assertTrue(e.getMessage().contains("UNMAPPED"), e.getMessage());
    }

    @Test
    void blockHookSeesEachBlock() {
        code(MOVZ_X0_5, ADD_X0_1, NOP);
        List<Long> blocks = new ArrayList<>();
        uc.hookBlock((addr, size) -> blocks.add(addr * 100 + size), 1, 0);
        uc.start(CODE, CODE + 12, 0);
        assertEquals(CODE * 100 + 12, blocks.get(0));
    }

    @Test
    void contextSaveRestoreRoundTrips() {
        uc.writeReg(Arm64Reg.x(7), 99);
        uc.writeSysReg(3, 0, 12, 0, 0, 0x4000_8000L); // VBAR_EL1
        try (UcContext c = uc.allocContext()) {
            uc.saveContext(c);
            uc.writeReg(Arm64Reg.x(7), 1);
            uc.writeSysReg(3, 0, 12, 0, 0, 0);
            uc.restoreContext(c);
            assertEquals(99, uc.readReg(Arm64Reg.x(7)));
            assertEquals(0x4000_8000L, uc.readSysReg(3, 0, 12, 0, 0));
            assertTrue(uc.contextSize() > 1000);
        }
    }

    @Test
    void hostMemoryIsSharedBothWays() {
        var ram = HostMemory.map(0x10000);
        try {
            uc.mapHostMemory(0x5000_0000L, ram, Unicorn.PROT_ALL);
            ram.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0, 0x11223344);
            assertEquals(0x44, uc.readMemory(0x5000_0000L, 1)[0]);
            uc.writeMemory(0x5000_0004L, new byte[] {7});
            assertEquals(7, ram.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 4));
        } finally {
            uc.unmapMemory(0x5000_0000L, 0x10000);
            HostMemory.unmap(ram);
        }
    }

    @Test
    void missingOrOldLibraryIsRefusedWithAHint(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        UnicornException missing = assertThrows(UnicornException.class,
                () -> UnicornLibrary.load(List.of(dir.resolve("nope.so"))));
        assertTrue(missing.getMessage().contains("scripts/setup"), missing.getMessage());
        Path junk = Files.writeString(dir.resolve("junk.so"), "not a shared library");
        UnicornException bad = assertThrows(UnicornException.class, () -> UnicornLibrary.load(List.of(junk)));
        assertTrue(bad.getMessage().contains("cannot load Unicorn"), bad.getMessage());
    }
}
