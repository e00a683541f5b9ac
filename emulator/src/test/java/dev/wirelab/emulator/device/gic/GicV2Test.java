package dev.wirelab.emulator.device.gic;

import dev.wirelab.emulator.cpu.SysRegId;
import dev.wirelab.emulator.device.GuestLog;
import dev.wirelab.emulator.device.IrqLine;
import dev.wirelab.emulator.device.MmioDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.wirelab.emulator.device.gic.GicV2.*;
import static org.junit.jupiter.api.Assertions.*;

class GicV2Test {
    static final int UART = 33;
    static final int RTC = 34;

    GuestLog log;
    GicV2 gic;
    MmioDevice dist;
    MmioDevice cpu;
    int outputChanges;

    @BeforeEach
    void setUp() {
        log = new GuestLog(() -> 0);
        gic = new GicV2(dev.wirelab.emulator.board.VirtMemoryMap.GIC_DIST_BASE, dev.wirelab.emulator.board.VirtMemoryMap.GIC_CPU_BASE, 64, log);
        dist = gic.distributor();
        cpu = gic.cpuInterface();
        gic.onOutputChange(() -> outputChanges++);
    }

    /** Linux's irq-gic.c at boot, reduced: Group 0 everything, priority 0xA0, distributor and CPU interface enabled. */
    void linuxInit() {
        dist.write(GICD_CTLR, 4, 0);
        for (int i = 32; i < 96; i += 16) {
            dist.write(GICD_ICFGR + i / 4, 4, 0);
        }
        for (int i = 32; i < 96; i += 4) {
            dist.write(GICD_ITARGETSR + i, 4, 0x0101_0101L);
            dist.write(GICD_IPRIORITYR + i, 4, 0xA0A0_A0A0L);
        }
        for (int i = 0; i < 3; i++) {
            dist.write(GICD_ICENABLER + 4 * i, 4, 0xFFFF_FFFFL);
        }
        dist.write(GICD_ISENABLER, 4, 0x0000_FFFFL);
        for (int i = 0; i < 32; i += 4) {
            dist.write(GICD_IPRIORITYR + i, 4, 0xA0A0_A0A0L);
        }
        dist.write(GICD_CTLR, 4, 1);
        cpu.write(GICC_PMR, 4, 0xF0);
        cpu.write(GICC_CTLR, 4, CTLR_ENABLE_GRP0);
    }

    void enable(int intid) {
        dist.write(GICD_ISENABLER + 4L * (intid / 32), 4, 1L << (intid % 32));
    }

    void priority(int intid, int prio) {
        dist.write(GICD_IPRIORITYR + intid, 1, prio);
    }

    long iar() {
        return cpu.read(GICC_IAR, 4);
    }

    void eoi(long v) {
        cpu.write(GICC_EOIR, 4, v);
    }

    boolean isActive(int intid) {
        return (dist.read(GICD_ISACTIVER + 4L * (intid / 32), 4) & (1L << (intid % 32))) != 0;
    }

    @Test
    void identification() {
        assertEquals(0x20, dist.read(GICD_PIDR2, 4) & 0xF0, "architecture revision 2");
        assertEquals(2, dist.read(GICD_TYPER, 4) & 0x1F, "ITLinesNumber for 96 INTIDs");
        assertEquals(0, dist.read(GICD_TYPER, 4) & 0xE0, "one CPU");
        assertEquals(8, new GicV2(dev.wirelab.emulator.board.VirtMemoryMap.GIC_DIST_BASE, dev.wirelab.emulator.board.VirtMemoryMap.GIC_CPU_BASE, 256, log).distributor().read(GICD_TYPER, 4), "ITLinesNumber for 288 INTIDs");
        assertEquals(GICD_IIDR_VALUE, dist.read(GICD_IIDR, 4));
        assertEquals(GICC_IIDR_VALUE, cpu.read(GICC_IIDR, 4));
        assertEquals(2, gic.version());
        assertEquals(0x0800_0000L, dist.base());
        assertEquals(0x0801_0000L, cpu.base());
        assertFalse(gic.handles(SysRegId.of(3, 0, 12, 12, 0)), "no system registers on a GICv2");
        assertEquals(0, gic.read(SysRegId.of(3, 0, 12, 12, 0)));
        assertEquals(1, log.entries().size());
        assertEquals(GicCore.MIN_BPR0, cpu.read(GICC_BPR, 4));
        assertEquals(GicCore.MIN_BPR1, cpu.read(GICC_ABPR, 4));
    }

    @Test
    void levelInterruptAckEoi() {
        linuxInit();
        enable(UART);
        IrqLine uart = gic.line(UART);
        uart.set(true);
        assertTrue(gic.irqPending());
        assertFalse(gic.fiqPending(), "Group 0 is IRQ unless FIQEn");
        assertEquals(UART, cpu.read(GICC_HPPIR, 4));
        uart.set(false);
        assertFalse(gic.irqPending());
        uart.set(true);
        assertEquals(UART, iar());
        assertEquals(0xA0, cpu.read(GICC_RPR, 4));
        assertFalse(gic.irqPending());
        eoi(UART);
        assertTrue(gic.irqPending(), "line still high");
        assertEquals(UART, iar());
        uart.set(false);
        eoi(UART);
        assertFalse(gic.irqPending());
        assertEquals(1023, iar());
        assertEquals(0xFF, cpu.read(GICC_RPR, 4));
        assertTrue(log.entries().isEmpty(), log.entries().toString());
    }

    @Test
    void edgeInterrupt() {
        linuxInit();
        dist.write(GICD_ICFGR + 8, 4, 2L << (2 * (UART - 32)));
        assertEquals(2L << (2 * (UART - 32)), dist.read(GICD_ICFGR + 8, 4));
        enable(UART);
        gic.line(UART).pulse();
        assertEquals(UART, iar());
        gic.line(UART).pulse();
        assertFalse(gic.irqPending());
        eoi(UART);
        assertEquals(UART, iar());
        eoi(UART);
        assertEquals(1023, iar());
    }

    @Test
    void preemptionAndPriorityMask() {
        linuxInit();
        enable(40);
        enable(41);
        priority(40, 0x80);
        priority(41, 0x40);
        assertEquals(0x40, dist.read(GICD_IPRIORITYR + 41, 1));
        assertEquals(0xA0A0_4080L, dist.read(GICD_IPRIORITYR + 40, 4), "word read of byte registers, little-endian");
        gic.line(40).set(true);
        assertEquals(40, iar());
        gic.line(41).set(true);
        assertTrue(gic.irqPending());
        assertEquals(41, iar());
        assertEquals(0x40, cpu.read(GICC_RPR, 4));
        assertEquals((1 << (0x40 >> 3)) | (1 << (0x80 >> 3)), cpu.read(GICC_APR0, 4));
        gic.line(41).set(false);
        eoi(41);
        assertEquals(0x80, cpu.read(GICC_RPR, 4));
        gic.line(40).set(false);
        eoi(40);
        // PMR.
        priority(40, 0xF0);
        gic.line(40).set(true);
        assertFalse(gic.irqPending(), "0xF0 is not below PMR 0xF0");
        assertEquals(1023, iar());
        cpu.write(GICC_PMR, 4, 0xFF);
        assertEquals(0xF8, cpu.read(GICC_PMR, 4));
        assertTrue(gic.irqPending());
        // Binary point: BPR 7 puts every priority in one group: nothing preempts.
        assertEquals(40, iar());
        cpu.write(GICC_BPR, 4, 7);
        gic.line(41).set(true);
        assertTrue(gic.irqPending(), "the active priority was recorded with the old grouping");
        gic.line(41).set(false);
        gic.line(40).set(false);
        eoi(40);
        gic.line(40).set(true);
        assertEquals(40, iar());
        gic.line(41).set(true);
        assertFalse(gic.irqPending(), "BPR 7: no preemption at all");
    }

    @Test
    void splitEoiWithDir() {
        linuxInit();
        cpu.write(GICC_CTLR, 4, CTLR_ENABLE_GRP0 | CTLR_EOIMODE);
        assertEquals(CTLR_ENABLE_GRP0 | CTLR_EOIMODE, cpu.read(GICC_CTLR, 4));
        enable(UART);
        gic.line(UART).set(true);
        assertEquals(UART, iar());
        eoi(UART);
        assertEquals(0xFF, cpu.read(GICC_RPR, 4));
        assertTrue(isActive(UART));
        assertFalse(gic.irqPending());
        cpu.write(GICC_DIR, 4, UART);
        assertFalse(isActive(UART));
        assertTrue(gic.irqPending());
        cpu.write(GICC_CTLR, 4, CTLR_ENABLE_GRP0);
        assertEquals(UART, iar());
        cpu.write(GICC_DIR, 4, UART);
        assertTrue(isActive(UART), "DIR ignored with EOImode 0");
        assertEquals(1, log.entries().size());
    }

    @Test
    void sgiThroughGicdSgir() {
        linuxInit();
        dist.write(GICD_SGIR, 4, SGIR_FILTER_LIST << 24 | 1 << 16 | 2);
        assertTrue(gic.irqPending());
        assertEquals(1L << 16, dist.read(GICD_SPENDSGIR, 4), "SGI 2 (byte 2) pending from CPU 0 (bit 0)");
        assertEquals(2, iar(), "source CPU 0 in bits [12:10]");
        eoi(2);
        assertFalse(gic.irqPending());
        dist.write(GICD_SGIR, 4, SGIR_FILTER_SELF << 24 | 7);
        assertEquals(7, iar());
        eoi(7);
        dist.write(GICD_SGIR, 4, SGIR_FILTER_OTHERS << 24 | 7);
        dist.write(GICD_SGIR, 4, SGIR_FILTER_LIST << 24 | 2 << 16 | 7);
        assertFalse(gic.irqPending(), "no other CPU");
        dist.write(GICD_SGIR, 4, 3 << 24 | 7);
        assertFalse(gic.irqPending());
        assertEquals(1, log.entries().size(), "reserved filter logged");
        // SPENDSGIR / CPENDSGIR bytes.
        dist.write(GICD_SPENDSGIR + 1, 1, 1); // SGI 1
        assertTrue(gic.irqPending());
        assertEquals(1, dist.read(GICD_CPENDSGIR + 1, 1));
        dist.write(GICD_CPENDSGIR + 1, 1, 1);
        assertFalse(gic.irqPending());
        // ISPENDR cannot pend SGIs on a GICv2.
        dist.write(GICD_ISPENDR, 4, 1);
        assertFalse(gic.irqPending());
        assertEquals(0xAAAA_AAAAL, dist.read(GICD_ICFGR, 4), "SGIs are edge");
    }

    @Test
    void group1AndAckCtlAndFiq() {
        linuxInit();
        dist.write(GICD_IGROUPR + 4, 4, 1L << (UART - 32));
        enable(UART);
        gic.line(UART).set(true);
        assertFalse(gic.irqPending(), "Group 1 disabled");
        dist.write(GICD_CTLR, 4, 3);
        cpu.write(GICC_CTLR, 4, CTLR_ENABLE_GRP0 | CTLR_ENABLE_GRP1);
        assertTrue(gic.irqPending());
        assertEquals(1022, cpu.read(GICC_HPPIR, 4));
        assertEquals(1022, iar(), "Group 1 without AckCtl");
        assertEquals(UART, cpu.read(GICC_AHPPIR, 4));
        assertEquals(UART, cpu.read(GICC_AIAR, 4));
        assertEquals(1L << (0xA0 >> 3), cpu.read(GICC_NSAPR0, 4));
        gic.line(UART).set(false);
        cpu.write(GICC_AEOIR, 4, UART);
        assertFalse(isActive(UART));
        cpu.write(GICC_CTLR, 4, CTLR_ENABLE_GRP0 | CTLR_ENABLE_GRP1 | CTLR_ACKCTL);
        gic.line(UART).set(true);
        assertEquals(UART, iar());
        eoi(UART);
        // FIQEn: Group 0 becomes FIQ.
        gic.line(UART).set(false);
        cpu.write(GICC_CTLR, 4, CTLR_ENABLE_GRP0 | CTLR_FIQEN);
        enable(RTC);
        gic.line(RTC).set(true);
        assertTrue(gic.fiqPending());
        assertFalse(gic.irqPending());
        assertEquals(RTC, iar());
        assertFalse(gic.fiqPending());
    }

    @Test
    void itargetsrIsRazWiOnAUniprocessor() {
        dist.write(GICD_ITARGETSR + 40, 1, 0xFF);
        assertEquals(0, dist.read(GICD_ITARGETSR + 40, 1));
        assertEquals(0, dist.read(GICD_ITARGETSR, 4));
        assertTrue(log.entries().isEmpty());
    }

    @Test
    void bogusAccessesAreLoggedAndIgnored() {
        linuxInit();
        assertEquals(0, dist.read(GICD_CTLR, 8));
        dist.write(GICD_CTLR, 2, 0);
        assertEquals(1, dist.read(GICD_CTLR, 4));
        assertEquals(0, dist.read(0x0D00, 4));
        dist.write(0x0D00, 4, 1);
        assertEquals(0, dist.read(0x2_0000, 4));
        assertEquals(0, dist.read(GICD_SGIR, 4));
        dist.write(GICD_TYPER, 4, 0);
        assertEquals(0, cpu.read(GICC_PMR, 1));
        assertEquals(0, cpu.read(GICC_EOIR, 4));
        cpu.write(GICC_IAR, 4, 0);
        assertEquals(0, cpu.read(0x800, 4));
        cpu.write(0x800, 4, 0);
        cpu.write(GICC_CTLR + 2, 4, 0);
        eoi(UART); // nothing active
        eoi(900);  // unimplemented
        cpu.write(GICC_DIR, 4, 900);
        eoi(1023); // spurious: silent
        gic.write(SysRegId.of(3, 0, 4, 6, 0), 0);
        assertEquals(17, log.entries().size(), log.entries().toString());
        assertEquals(CTLR_ENABLE_GRP0, cpu.read(GICC_CTLR, 4));
        assertThrows(IllegalArgumentException.class, () -> gic.line(15));
        assertThrows(IllegalArgumentException.class, () -> gic.line(96));
        assertThrows(IllegalArgumentException.class, () -> new GicV2(dev.wirelab.emulator.board.VirtMemoryMap.GIC_DIST_BASE, dev.wirelab.emulator.board.VirtMemoryMap.GIC_CPU_BASE, 300, log));
    }

    @Test
    void interruptStorm() {
        linuxInit();
        enable(UART);
        IrqLine uart = gic.line(UART);
        for (int i = 0; i < 1_000_000; i++) {
            uart.set(true);
            uart.set(false);
        }
        // Cost is the bench's business (no wall-clock assertions here): every toggle is seen, none is left pending.
        assertEquals(2_000_000, outputChanges);
        assertEquals(1023, iar());
    }

    @Test
    void saveRestoreRoundTrip() {
        linuxInit();
        enable(UART);
        enable(RTC);
        priority(RTC, 0x40);
        gic.line(UART).set(true);
        assertEquals(UART, iar());
        gic.line(RTC).set(true);
        cpu.write(GICC_CTLR, 4, CTLR_ENABLE_GRP0 | CTLR_ACKCTL | (1 << 6) | CTLR_EOIMODE);
        GicV2.State s = gic.saveState();
        assertEquals(s, gic.saveState());
        gic.reset();
        assertNotEquals(s, gic.saveState());
        gic.restoreState(s);
        assertEquals(s, gic.saveState());
        GicV2 other = new GicV2(dev.wirelab.emulator.board.VirtMemoryMap.GIC_DIST_BASE, dev.wirelab.emulator.board.VirtMemoryMap.GIC_CPU_BASE, 64, log);
        other.restoreState(s);
        assertEquals(s, other.saveState());
        assertTrue(other.irqPending());
        assertEquals(RTC, other.cpuInterface().read(GICC_IAR, 4));
        assertThrows(IllegalArgumentException.class, () -> new GicV2(dev.wirelab.emulator.board.VirtMemoryMap.GIC_DIST_BASE, dev.wirelab.emulator.board.VirtMemoryMap.GIC_CPU_BASE, 32, log).restoreState(s));
        assertThrows(IllegalArgumentException.class, () -> gic.restoreState(new GicV3(dev.wirelab.emulator.board.VirtMemoryMap.GIC_DIST_BASE, dev.wirelab.emulator.board.VirtMemoryMap.GIC_REDIST_BASE, 64, log).saveState()));
        assertThrows(IllegalArgumentException.class, () -> gic.restoreState(new GicV2.State(64, s.core(), false, 1)));
    }
}
