package dev.wirelab.emulator.device.gic;

import dev.wirelab.emulator.cpu.SysRegId;
import dev.wirelab.emulator.device.GuestLog;
import dev.wirelab.emulator.device.IrqLine;
import dev.wirelab.emulator.device.MmioDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.wirelab.emulator.device.gic.GicV3.*;
import static org.junit.jupiter.api.Assertions.*;

class GicV3Test {
    static final int UART = 33;
    static final int RTC = 34;
    static final int VTIMER = 27;

    GuestLog log;
    GicV3 gic;
    MmioDevice dist;
    MmioDevice redist;
    int outputChanges;

    @BeforeEach
    void setUp() {
        log = new GuestLog(() -> 0);
        gic = new GicV3(dev.wirelab.emulator.board.VirtMemoryMap.GIC_DIST_BASE, dev.wirelab.emulator.board.VirtMemoryMap.GIC_REDIST_BASE, 64, log);
        dist = gic.distributor();
        redist = gic.redistributor();
        gic.onOutputChange(() -> outputChanges++);
    }

    /** What Linux's irq-gic-v3 does at boot, reduced: wake the redistributor, Group 1 everything, priority 0xA0, PMR 0xF0. */
    void linuxInit() {
        redist.write(GICR_WAKER, 4, redist.read(GICR_WAKER, 4) & ~WAKER_PROCESSOR_SLEEP);
        assertEquals(0, redist.read(GICR_WAKER, 4) & WAKER_CHILDREN_ASLEEP);
        dist.write(GICD_CTLR, 4, 0);
        for (int i = 1; i < 3; i++) {
            dist.write(GICD_IGROUPR + 4 * i, 4, 0xFFFF_FFFFL);
            dist.write(GICD_ICENABLER + 4 * i, 4, 0xFFFF_FFFFL);
        }
        for (int i = 32; i < 96; i += 4) {
            dist.write(GICD_IPRIORITYR + i, 4, 0xA0A0_A0A0L);
        }
        for (int i = 32; i < 96; i++) {
            dist.write(GICD_IROUTER + 8L * i, 8, 0);
        }
        dist.write(GICD_CTLR, 4, GICD_CTLR_ARE | 0x3);
        redist.write(GICR_IGROUPR0, 4, 0xFFFF_FFFFL);
        redist.write(GICR_ICENABLER0, 4, 0xFFFF_0000L);
        redist.write(GICR_ISENABLER0, 4, 0x0000_FFFFL);
        for (int i = 0; i < 32; i += 4) {
            redist.write(GICR_IPRIORITYR + i, 4, 0xA0A0_A0A0L);
        }
        gic.write(ICC_SRE_EL1, 7);
        gic.write(ICC_PMR_EL1, 0xF0);
        gic.write(ICC_BPR1_EL1, 0);
        gic.write(ICC_CTLR_EL1, 0);
        gic.write(ICC_IGRPEN1_EL1, 1);
    }

    void enable(int intid) {
        if (intid < 32) {
            redist.write(GICR_ISENABLER0, 4, 1L << intid);
        } else {
            dist.write(GICD_ISENABLER + 4L * (intid / 32), 4, 1L << (intid % 32));
        }
    }

    void priority(int intid, int prio) {
        if (intid < 32) {
            redist.write(GICR_IPRIORITYR + intid, 1, prio);
        } else {
            dist.write(GICD_IPRIORITYR + intid, 1, prio);
        }
    }

    void edge(int intid) {
        long reg = GICD_ICFGR + 4L * (intid / 16);
        dist.write(reg, 4, dist.read(reg, 4) | 2L << (2 * (intid % 16)));
    }

    long iar() {
        return gic.read(ICC_IAR1_EL1);
    }

    void eoi(long intid) {
        gic.write(ICC_EOIR1_EL1, intid);
    }

    boolean isActive(int intid) {
        return (dist.read(GICD_ISACTIVER + 4L * (intid / 32), 4) & (1L << (intid % 32))) != 0;
    }

    @Test
    void identificationAndRedistributorWakeup() {
        assertEquals(WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP, redist.read(GICR_WAKER, 4));
        redist.write(GICR_WAKER, 4, 0);
        assertEquals(0, redist.read(GICR_WAKER, 4));
        redist.write(GICR_WAKER, 4, WAKER_PROCESSOR_SLEEP);
        assertEquals(WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP, redist.read(GICR_WAKER, 4));
        assertEquals(0x30, dist.read(0xFFE8, 4) & 0xF0);
        assertEquals(0x30, redist.read(0xFFE8, 4) & 0xF0);
        assertEquals(0xB105F00DL, dist.read(0xFFF0, 4) | dist.read(0xFFF4, 4) << 8 | dist.read(0xFFF8, 4) << 16 | dist.read(0xFFFC, 4) << 24);
        assertEquals(2, dist.read(GICD_TYPER, 4) & 0x1F, "ITLinesNumber for 96 INTIDs");
        assertEquals(GICR_TYPER_LAST, redist.read(GICR_TYPER, 8) & GICR_TYPER_LAST);
        assertEquals(GICR_TYPER_LAST, redist.read(GICR_TYPER, 4));
        assertEquals(0, redist.read(GICR_CTLR, 4), "RWP clear");
        assertEquals(GICD_CTLR_ARE | GICD_CTLR_DS, dist.read(GICD_CTLR, 4));
        assertEquals(0, dist.read(GICD_CTLR, 4) & (1L << 31), "RWP clear");
        assertEquals(0x7, gic.read(ICC_SRE_EL1));
        assertEquals(4, (gic.read(ICC_CTLR_EL1) >>> 8) & 7, "PRIbits: 5 bits");
        assertEquals(3, gic.version());
        assertEquals(2, gic.mmioDevices().size());
        assertEquals(0x0800_0000L, dist.base());
        assertEquals(0x080A_0000L, redist.base());
        assertEquals(0x2_0000L, redist.size());
        assertTrue(log.entries().isEmpty(), log.entries().toString());
    }

    @Test
    void servesEveryIccRegisterAndNothingElse() {
        for (SysRegId r : SYSTEM_REGISTERS) {
            assertTrue(gic.handles(r), r.toString());
        }
        assertTrue(gic.handles(SysRegId.of(3, 0, 12, 12, 0)), "ICC_IAR1_EL1 by encoding");
        assertTrue(gic.handles(SysRegId.of(3, 0, 4, 6, 0)), "ICC_PMR_EL1 by encoding");
        assertFalse(gic.handles(SysRegId.of(3, 3, 14, 3, 1)), "CNTV_CTL_EL0 is the timer's");
        assertFalse(gic.handles(SysRegId.of(3, 4, 12, 9, 5)), "ICC_SRE_EL2 not served");
    }

    @Test
    void levelInterruptPendingFollowsLineWhileNotActive() {
        linuxInit();
        enable(UART);
        IrqLine uart = gic.line(UART);
        assertFalse(gic.irqPending());
        uart.set(true);
        assertTrue(gic.irqPending());
        assertEquals(UART, gic.read(ICC_HPPIR1_EL1));
        uart.set(false);
        assertFalse(gic.irqPending(), "level: pending follows the line");
        assertEquals(1023, iar());
        uart.set(true);
        assertEquals(UART, iar());
        assertFalse(gic.irqPending(), "active: not signalled again");
        assertEquals(0xA0, gic.read(ICC_RPR_EL1));
        assertTrue(isActive(UART));
        assertEquals(1L << 1, dist.read(GICD_ISPENDR + 4, 4) & (1L << 1), "active and pending while the line is high");
        eoi(UART);
        assertFalse(isActive(UART));
        assertTrue(gic.irqPending(), "line still high: pending again after deactivation");
        assertEquals(UART, iar());
        uart.set(false);
        eoi(UART);
        assertFalse(gic.irqPending());
        assertEquals(0xFF, gic.read(ICC_RPR_EL1));
        assertEquals(1023, iar());
        assertTrue(log.entries().isEmpty(), log.entries().toString());
    }

    @Test
    void edgeInterruptLatchesRisingEdge() {
        linuxInit();
        edge(UART);
        enable(UART);
        gic.line(UART).pulse();
        assertTrue(gic.irqPending(), "edge latched after the line dropped");
        assertEquals(UART, iar());
        assertFalse(gic.irqPending());
        gic.line(UART).pulse();
        assertFalse(gic.irqPending(), "active and pending is not signalled");
        eoi(UART);
        assertTrue(gic.irqPending());
        assertEquals(UART, iar());
        eoi(UART);
        assertFalse(gic.irqPending());
        // Holding the line high is one edge, not a stream of them.
        gic.line(UART).set(true);
        assertEquals(UART, iar());
        eoi(UART);
        assertFalse(gic.irqPending());
        gic.line(UART).set(true);
        assertFalse(gic.irqPending(), "no new edge");
    }

    @Test
    void softwarePendAndClearPend() {
        linuxInit();
        enable(RTC);
        dist.write(GICD_ISPENDR + 4, 4, 1L << (RTC - 32));
        assertTrue(gic.irqPending());
        dist.write(GICD_ICPENDR + 4, 4, 1L << (RTC - 32));
        assertFalse(gic.irqPending());
        // A level interrupt pended by software: acknowledge clears the software latch.
        dist.write(GICD_ISPENDR + 4, 4, 1L << (RTC - 32));
        assertEquals(RTC, iar());
        eoi(RTC);
        assertFalse(gic.irqPending());
    }

    @Test
    void disabledInterruptIsNotSignalledButStaysPending() {
        linuxInit();
        gic.line(UART).set(true);
        assertFalse(gic.irqPending());
        assertEquals(1023, gic.read(ICC_HPPIR1_EL1));
        enable(UART);
        assertTrue(gic.irqPending());
        dist.write(GICD_ICENABLER + 4, 4, 1L << (UART - 32));
        assertFalse(gic.irqPending());
        assertEquals(0, dist.read(GICD_ISENABLER + 4, 4) & (1L << 1));
        assertEquals(0, dist.read(GICD_ICENABLER + 4, 4) & (1L << 1), "ICENABLER reads the enable state too");
    }

    @Test
    void groupEnablesGateForwarding() {
        linuxInit();
        enable(UART);
        gic.line(UART).set(true);
        assertTrue(gic.irqPending());
        gic.write(ICC_IGRPEN1_EL1, 0);
        assertFalse(gic.irqPending());
        assertEquals(1023, iar());
        gic.write(ICC_IGRPEN1_EL1, 1);
        assertTrue(gic.irqPending());
        dist.write(GICD_CTLR, 4, GICD_CTLR_ARE | 1);
        assertFalse(gic.irqPending(), "distributor Group 1 disabled");
        dist.write(GICD_CTLR, 4, GICD_CTLR_ARE | 3);
        assertTrue(gic.irqPending());
    }

    @Test
    void higherPriorityPreemptsAndEqualGroupPriorityDoesNot() {
        linuxInit();
        int low = 40;
        int high = 41;
        int other = 42;
        for (int id : new int[] {low, high, other}) {
            enable(id);
        }
        priority(low, 0x80);
        priority(high, 0x40);
        priority(other, 0x80);
        gic.line(low).set(true);
        assertEquals(low, iar());
        assertEquals(0x80, gic.read(ICC_RPR_EL1));
        gic.line(other).set(true);
        assertFalse(gic.irqPending(), "same group priority does not preempt");
        gic.line(high).set(true);
        assertTrue(gic.irqPending(), "higher priority preempts");
        assertEquals(high, iar());
        assertEquals(0x40, gic.read(ICC_RPR_EL1));
        assertEquals(Integer.toUnsignedLong((1 << (0x40 >> 3)) | (1 << (0x80 >> 3))), gic.read(ICC_AP1R0_EL1));
        gic.line(high).set(false);
        eoi(high);
        assertEquals(0x80, gic.read(ICC_RPR_EL1), "back to the preempted handler's priority");
        assertFalse(gic.irqPending());
        gic.line(low).set(false);
        eoi(low);
        assertEquals(0xFF, gic.read(ICC_RPR_EL1));
        assertTrue(gic.irqPending());
        assertEquals(other, iar());
    }

    @Test
    void lowerIntidWinsATie() {
        linuxInit();
        enable(50);
        enable(45);
        gic.line(50).set(true);
        gic.line(45).set(true);
        assertEquals(45, gic.read(ICC_HPPIR1_EL1));
        priority(50, 0x10);
        assertEquals(50, gic.read(ICC_HPPIR1_EL1), "priority beats INTID");
    }

    @Test
    void binaryPointGroupsPriorities() {
        linuxInit();
        enable(40);
        enable(41);
        priority(40, 0x88);
        priority(41, 0x80);
        gic.line(40).set(true);
        assertEquals(40, iar());
        gic.line(41).set(true);
        assertTrue(gic.irqPending(), "BPR1 minimum (3): 0x80 preempts 0x88");
        gic.write(ICC_BPR1_EL1, 4);
        assertEquals(4, gic.read(ICC_BPR1_EL1));
        // The active priority was recorded with the old grouping (0x88); regroup from scratch.
        gic.line(41).set(false);
        gic.line(40).set(false);
        eoi(40);
        gic.line(40).set(true);
        assertEquals(40, iar());
        assertEquals(0x80, gic.read(ICC_RPR_EL1), "group priority of 0x88 with BPR1=4 is 0x80");
        gic.line(41).set(true);
        assertFalse(gic.irqPending(), "0x80 and 0x88 share a group priority: no preemption");
        // CBPR: BPR0 governs Group 1 too.
        gic.write(ICC_CTLR_EL1, ICC_CTLR_CBPR);
        gic.write(ICC_BPR0_EL1, 2);
        assertEquals(3, gic.read(ICC_BPR1_EL1));
        gic.write(ICC_BPR1_EL1, 6);
        assertEquals(3, gic.read(ICC_BPR1_EL1), "BPR1 writes ignored while CBPR");
        gic.write(ICC_BPR0_EL1, 0);
        assertEquals(GicCore.MIN_BPR0, gic.read(ICC_BPR0_EL1), "clamped to the minimum");
    }

    @Test
    void priorityMaskMasks() {
        linuxInit();
        enable(UART);
        priority(UART, 0x80);
        gic.write(ICC_PMR_EL1, 0x80);
        gic.line(UART).set(true);
        assertFalse(gic.irqPending(), "priority must be strictly higher than PMR");
        assertEquals(UART, gic.read(ICC_HPPIR1_EL1), "HPPIR ignores PMR");
        assertEquals(1023, iar());
        gic.write(ICC_PMR_EL1, 0x88);
        assertTrue(gic.irqPending());
        gic.write(ICC_PMR_EL1, 0xFF);
        assertEquals(0xF8, gic.read(ICC_PMR_EL1), "5 priority bits");
        gic.write(ICC_PMR_EL1, 0);
        assertFalse(gic.irqPending());
    }

    @Test
    void splitEoiAndDeactivate() {
        linuxInit();
        gic.write(ICC_CTLR_EL1, ICC_CTLR_EOIMODE);
        assertEquals(ICC_CTLR_EOIMODE, gic.read(ICC_CTLR_EL1) & ICC_CTLR_EOIMODE);
        enable(UART);
        gic.line(UART).set(true);
        assertEquals(UART, iar());
        eoi(UART);
        assertEquals(0xFF, gic.read(ICC_RPR_EL1), "priority dropped");
        assertTrue(isActive(UART), "still active until DIR");
        assertFalse(gic.irqPending());
        gic.write(ICC_DIR_EL1, UART);
        assertFalse(isActive(UART));
        assertTrue(gic.irqPending(), "line still high");
        // DIR with EOImode 0 is ignored and logged.
        gic.write(ICC_CTLR_EL1, 0);
        assertEquals(UART, iar());
        gic.write(ICC_DIR_EL1, UART);
        assertTrue(isActive(UART));
        assertEquals(1, log.entries().size());
        eoi(UART);
        assertFalse(isActive(UART));
    }

    @Test
    void sgiThroughSgi1r() {
        linuxInit();
        gic.write(ICC_SGI1R_EL1, 3L << 24 | 1);
        assertTrue(gic.irqPending());
        assertEquals(3, iar());
        eoi(3);
        assertFalse(gic.irqPending());
        // Other targets: another CPU in the list, another Aff1, IRM (all but self), RS != 0.
        gic.write(ICC_SGI1R_EL1, 3L << 24 | 2);
        gic.write(ICC_SGI1R_EL1, 3L << 24 | 1L << 16 | 1);
        gic.write(ICC_SGI1R_EL1, 3L << 24 | SGIR_IRM | 1);
        gic.write(ICC_SGI1R_EL1, 3L << 24 | 1L << 44 | 1);
        assertFalse(gic.irqPending());
        // A disabled SGI stays pending until enabled.
        redist.write(GICR_ICENABLER0, 4, 1L << 5);
        gic.write(ICC_SGI1R_EL1, 5L << 24 | 1);
        assertFalse(gic.irqPending());
        assertEquals(1L << 5, redist.read(GICR_ISPENDR0, 4));
        redist.write(GICR_ISENABLER0, 4, 1L << 5);
        assertEquals(5, iar());
        eoi(5);
        assertEquals(0xAAAA_AAAAL, redist.read(GICR_ICFGR0, 4), "SGIs are edge");
        redist.write(GICR_ICFGR0, 4, 0);
        assertEquals(0xAAAA_AAAAL, redist.read(GICR_ICFGR0, 4));
        assertTrue(log.entries().isEmpty(), log.entries().toString());
    }

    @Test
    void ppiFromTheVirtualTimer() {
        linuxInit();
        redist.write(GICR_ISENABLER0, 4, 1L << VTIMER);
        assertEquals(0, redist.read(GICR_ICFGR1, 4), "PPIs level by default");
        gic.line(VTIMER).set(true);
        assertEquals(VTIMER, iar());
        gic.line(VTIMER).set(false);
        eoi(VTIMER);
        assertFalse(gic.irqPending());
        // The distributor's banked PPI bits are RAZ/WI under affinity routing.
        assertEquals(0, dist.read(GICD_ISENABLER, 4));
        dist.write(GICD_ICENABLER, 4, 0xFFFF_FFFFL);
        assertEquals(1L << VTIMER | 0xFFFF, redist.read(GICR_ISENABLER0, 4));
    }

    @Test
    void group0IsFiq() {
        linuxInit();
        dist.write(GICD_IGROUPR + 4, 4, ~(1L << (UART - 32)) & 0xFFFF_FFFFL);
        enable(UART);
        gic.line(UART).set(true);
        assertFalse(gic.fiqPending(), "Group 0 disabled at the CPU interface");
        gic.write(ICC_IGRPEN0_EL1, 1);
        assertTrue(gic.fiqPending());
        assertFalse(gic.irqPending());
        assertEquals(1023, iar(), "IAR1 does not acknowledge Group 0");
        assertEquals(1023, gic.read(ICC_HPPIR1_EL1));
        assertEquals(UART, gic.read(ICC_HPPIR0_EL1));
        assertEquals(UART, gic.read(ICC_IAR0_EL1));
        assertFalse(gic.fiqPending());
        assertEquals(1L << (0xA0 >> 3), gic.read(ICC_AP0R0_EL1));
        eoi(UART);
        assertEquals(1, log.entries().size(), "EOIR1 for a Group 0 priority is logged");
        assertTrue(isActive(UART));
        gic.line(UART).set(false);
        gic.write(ICC_EOIR0_EL1, UART);
        assertFalse(isActive(UART));
        assertEquals(0, gic.read(ICC_AP0R0_EL1));
    }

    @Test
    void irouterRoutesOnlyToOurAffinity() {
        linuxInit();
        enable(UART);
        dist.write(GICD_IROUTER + 8L * UART, 8, 1L << 8);
        gic.line(UART).set(true);
        assertFalse(gic.irqPending(), "routed to affinity 0.0.1.0: nobody");
        assertEquals(1L << 8, dist.read(GICD_IROUTER + 8L * UART, 8));
        dist.write(GICD_IROUTER + 8L * UART + 4, 4, 0);
        assertEquals(1L << 8, dist.read(GICD_IROUTER + 8L * UART, 4));
        dist.write(GICD_IROUTER + 8L * UART, 4, IROUTER_IRM);
        assertTrue(gic.irqPending(), "IRM: any PE, i.e. ours");
        dist.write(GICD_IROUTER + 8L * UART, 8, 0xFFFF_FFFF_FFFF_FFFFL);
        assertEquals(IROUTER_MASK, dist.read(GICD_IROUTER + 8L * UART, 8), "reserved bits RAZ");
    }

    @Test
    void spuriousWhenNothingPending() {
        linuxInit();
        assertEquals(1023, iar());
        assertEquals(1023, gic.read(ICC_IAR0_EL1));
        assertEquals(1023, gic.read(ICC_HPPIR1_EL1));
        eoi(1023);
        gic.write(ICC_DIR_EL1, 1023);
        assertTrue(log.entries().isEmpty(), "EOI of the spurious INTID is silently ignored");
        assertEquals(0xFF, gic.read(ICC_RPR_EL1));
    }

    @Test
    void bogusAccessesAreLoggedAndIgnored() {
        linuxInit();
        int before = log.entries().size();
        assertEquals(0, dist.read(GICD_CTLR, 2), "bad width");
        dist.write(GICD_CTLR, 2, 0);
        assertEquals(GICD_CTLR_ARE | GICD_CTLR_DS | 3, dist.read(GICD_CTLR, 4), "write ignored");
        assertEquals(0, dist.read(GICD_CTLR + 1, 1), "unaligned / byte on a word register");
        assertEquals(0, dist.read(0x1_0000, 4), "outside the frame");
        assertEquals(0, dist.read(0x5000, 4), "unknown offset");
        dist.write(0x5000, 4, 1);
        assertEquals(0, redist.read(0x3000, 4));
        redist.write(0x2_0000, 4, 1);
        assertEquals(0, redist.read(GICR_WAKER, 8), "64-bit access to a 32-bit register");
        gic.write(ICC_IAR1_EL1, 5);
        assertEquals(0, gic.read(ICC_EOIR1_EL1));
        assertEquals(0, gic.read(SysRegId.of(3, 0, 15, 0, 0)));
        gic.write(SysRegId.of(3, 0, 15, 0, 0), 1);
        eoi(5000);
        eoi(0xFF_FFFFL);
        gic.write(ICC_DIR_EL1, 777);
        eoi(UART);
        dist.write(GICD_SGIR, 4, 1 << 16);
        dist.write(GICD_TYPER, 4, 0);
        assertEquals(19, log.entries().size() - before, log.entries().toString());
        assertFalse(gic.irqPending());
    }

    @Test
    void bogusInterruptIdsAreIgnored() {
        linuxInit();
        // Bit banks and priorities beyond the implemented INTIDs are RAZ/WI.
        dist.write(GICD_ISENABLER + 4 * 20, 4, 0xFFFF_FFFFL);
        assertEquals(0, dist.read(GICD_ISENABLER + 4 * 20, 4));
        dist.write(GICD_ISPENDR + 4 * 31, 4, 0xFFFF_FFFFL);
        dist.write(GICD_IPRIORITYR + 1000, 4, 0xFFFF_FFFFL);
        assertEquals(0, dist.read(GICD_IPRIORITYR + 1000, 4));
        dist.write(GICD_IROUTER + 8 * 1000, 8, 0);
        assertEquals(0, dist.read(GICD_IROUTER + 8 * 1000, 8));
        assertFalse(gic.irqPending());
        assertTrue(log.entries().isEmpty(), log.entries().toString());
    }

    @Test
    void lineRejectsWiringBugs() {
        assertThrows(IllegalArgumentException.class, () -> gic.line(3), "SGIs have no line");
        assertThrows(IllegalArgumentException.class, () -> gic.line(96));
        assertThrows(IllegalArgumentException.class, () -> gic.line(-1));
        assertSame(gic.line(UART), gic.line(UART));
        assertThrows(IllegalArgumentException.class, () -> new GicV3(dev.wirelab.emulator.board.VirtMemoryMap.GIC_DIST_BASE, dev.wirelab.emulator.board.VirtMemoryMap.GIC_REDIST_BASE, 257, log));
        assertThrows(IllegalArgumentException.class, () -> new GicV3(dev.wirelab.emulator.board.VirtMemoryMap.GIC_DIST_BASE, dev.wirelab.emulator.board.VirtMemoryMap.GIC_REDIST_BASE, -1, log));
    }

    @Test
    void outputChangeListenerFiresOnlyOnChange() {
        linuxInit();
        enable(UART);
        outputChanges = 0;
        gic.line(UART).set(true);
        assertEquals(1, outputChanges);
        gic.line(UART).set(true);
        gic.line(RTC).set(true); // disabled
        assertEquals(1, outputChanges);
        iar();
        assertEquals(2, outputChanges);
    }

    @Test
    void interruptStormStaysCheap() {
        linuxInit();
        enable(UART);
        enable(RTC);
        gic.line(RTC).set(true);
        assertEquals(RTC, iar()); // a handler is running
        priority(UART, 0x20);
        IrqLine uart = gic.line(UART);
        outputChanges = 0;
        for (int i = 0; i < 1_000_000; i++) {
            uart.set(true);
            uart.set(false);
        }
        // Cost is the bench's business (no wall-clock assertions here): every toggle is seen, none is left pending.
        assertEquals(2_000_000, outputChanges);
        assertFalse(gic.irqPending());
        // Storm on an edge line while the interrupt is active: still one pending latch.
        edge(UART);
        uart.pulse();
        assertEquals(UART, iar());
        for (int i = 0; i < 1_000_000; i++) {
            uart.pulse();
        }
        eoi(UART);
        assertEquals(UART, iar());
        eoi(UART);
        assertFalse(gic.irqPending());
    }

    @Test
    void saveRestoreRoundTrip() {
        linuxInit();
        enable(UART);
        edge(RTC);
        enable(RTC);
        priority(RTC, 0x40);
        dist.write(GICD_IROUTER + 8L * 60, 8, IROUTER_IRM);
        gic.line(UART).set(true);
        assertEquals(UART, iar());
        gic.line(RTC).pulse();
        gic.write(ICC_SGI1R_EL1, 7L << 24 | 1);
        gic.write(ICC_CTLR_EL1, ICC_CTLR_EOIMODE);
        GicV3.State s = gic.saveState();
        assertEquals(s, gic.saveState());

        gic.reset();
        assertNotEquals(s, gic.saveState());
        gic.restoreState(s);
        assertEquals(s, gic.saveState());
        assertTrue(gic.irqPending());
        assertEquals(RTC, iar());

        GicV3 other = new GicV3(dev.wirelab.emulator.board.VirtMemoryMap.GIC_DIST_BASE, dev.wirelab.emulator.board.VirtMemoryMap.GIC_REDIST_BASE, 64, log);
        other.restoreState(s);
        assertEquals(s, other.saveState());
        assertTrue(other.irqPending());
        assertEquals(0xA0, other.read(ICC_RPR_EL1));
    }

    @Test
    void restoreValidates() {
        GicV3.State s = gic.saveState();
        assertThrows(IllegalArgumentException.class, () -> new GicV3(dev.wirelab.emulator.board.VirtMemoryMap.GIC_DIST_BASE, dev.wirelab.emulator.board.VirtMemoryMap.GIC_REDIST_BASE, 32, log).restoreState(s));
        assertThrows(IllegalArgumentException.class, () -> gic.restoreState(null));
        assertThrows(IllegalArgumentException.class, () -> gic.restoreState(new GicV2(dev.wirelab.emulator.board.VirtMemoryMap.GIC_DIST_BASE, dev.wirelab.emulator.board.VirtMemoryMap.GIC_CPU_BASE, 64, log).saveState()));
        int[] irq = s.core().irq();
        irq[40] |= 1 << 20;
        GicCore.State c = s.core();
        GicCore.State bad = new GicCore.State(irq, c.distEnable(), c.cpuEnable(), c.pmr(), c.bpr0(), c.bpr1(),
                c.cbpr(), c.eoiMode(), c.fiqEn(), c.apr0(), c.apr1());
        assertThrows(IllegalArgumentException.class, () -> gic.restoreState(new GicV3.State(64, bad, s.irouter(), true)));
        GicCore.State badPmr = new GicCore.State(c.irq(), c.distEnable(), c.cpuEnable(), 0x7, c.bpr0(), c.bpr1(),
                c.cbpr(), c.eoiMode(), c.fiqEn(), c.apr0(), c.apr1());
        assertThrows(IllegalArgumentException.class, () -> gic.restoreState(new GicV3.State(64, badPmr, s.irouter(), true)));
        long[] route = s.irouter();
        route[40] = 1L << 8; // disagrees with the ROUTED flag
        assertThrows(IllegalArgumentException.class, () -> gic.restoreState(new GicV3.State(64, c, route, true)));
        assertEquals(s, gic.saveState(), "a rejected restore changes nothing");
    }

    @Test
    void resetKeepsInputLevels() {
        linuxInit();
        gic.line(UART).set(true);
        gic.reset();
        assertEquals(WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP, redist.read(GICR_WAKER, 4));
        assertFalse(gic.irqPending());
        linuxInit();
        enable(UART);
        assertTrue(gic.irqPending(), "the device still holds its line high");
    }

    @Test
    void softwareActiveStateAndActivePriorityRegisters() {
        linuxInit();
        enable(UART);
        dist.write(GICD_ISACTIVER + 4, 4, 1L << (UART - 32));
        assertTrue(isActive(UART));
        gic.line(UART).set(true);
        assertFalse(gic.irqPending(), "active: not forwarded");
        assertEquals(0xFF, gic.read(ICC_RPR_EL1), "ISACTIVER does not touch the active priorities");
        dist.write(GICD_ICACTIVER + 4, 4, 1L << (UART - 32));
        assertTrue(gic.irqPending());
        // Writing ICC_AP1R0_EL1 (what an OS does to restore or clear them) moves the running priority.
        gic.write(ICC_AP1R0_EL1, 1L << (0x40 >> 3));
        assertEquals(0x40, gic.read(ICC_RPR_EL1));
        assertFalse(gic.irqPending(), "0xA0 cannot preempt a running 0x40");
        gic.write(ICC_AP1R0_EL1, 0);
        assertTrue(gic.irqPending());
        gic.write(ICC_AP0R0_EL1, 1);
        assertEquals(0, gic.read(ICC_RPR_EL1));
        assertEquals(1, gic.read(ICC_AP0R0_EL1));
        gic.write(ICC_AP0R0_EL1, 0);
        // Redistributor active bits for PPIs.
        redist.write(GICR_ISACTIVER0, 4, 1L << VTIMER);
        assertEquals(1L << VTIMER, redist.read(GICR_ISACTIVER0, 4));
        redist.write(GICR_ICACTIVER0, 4, 1L << VTIMER);
        assertEquals(0, redist.read(GICR_ICACTIVER0, 4));
        assertTrue(log.entries().isEmpty(), log.entries().toString());
    }

    @Test
    void sgi0rAndAsgi1rAndEdgePpi() {
        linuxInit();
        gic.write(ICC_SGI0R_EL1, 9L << 24 | 1);
        assertEquals(9, iar());
        eoi(9);
        gic.write(ICC_ASGI1R_EL1, 10L << 24 | 1);
        assertEquals(10, iar());
        eoi(10);
        // PPI configured edge in GICR_ICFGR1.
        redist.write(GICR_ICFGR1, 4, 2L << (2 * (VTIMER - 16)));
        assertEquals(2L << (2 * (VTIMER - 16)), redist.read(GICR_ICFGR1, 4));
        redist.write(GICR_ISENABLER0, 4, 1L << VTIMER);
        gic.line(VTIMER).pulse();
        assertEquals(VTIMER, iar());
        eoi(VTIMER);
        assertFalse(gic.irqPending());
        // Priority byte access in the SGI frame, bad widths there.
        redist.write(GICR_IPRIORITYR + VTIMER, 1, 0x33);
        assertEquals(0x33, redist.read(GICR_IPRIORITYR + VTIMER, 1), "the distributor keeps 8 bits");
        assertEquals(0, redist.read(GICR_ISENABLER0, 2));
        redist.write(GICR_IPRIORITYR + 32, 1, 0x10); // past the 32 private priorities
        assertEquals(2, log.entries().size(), log.entries().toString());
    }

    @Test
    void iccRegistersReadBack() {
        linuxInit();
        assertEquals(0xF0, gic.read(ICC_PMR_EL1));
        assertEquals(GicCore.MIN_BPR1, gic.read(ICC_BPR1_EL1), "0 clamped to the minimum");
        assertEquals(1, gic.read(ICC_IGRPEN1_EL1));
        assertEquals(0, gic.read(ICC_IGRPEN0_EL1));
        gic.write(ICC_IGRPEN0_EL1, 0xFF);
        assertEquals(1, gic.read(ICC_IGRPEN0_EL1));
        gic.write(ICC_BPR1_EL1, 5);
        assertEquals(5, gic.read(ICC_BPR1_EL1));
        gic.write(ICC_BPR0_EL1, 9);
        assertEquals(GicCore.MIN_BPR0, gic.read(ICC_BPR0_EL1), "9 masked to 3 bits (1), then clamped to the minimum");
        gic.write(ICC_CTLR_EL1, 0xFFFF_FFFFL);
        assertEquals(ICC_CTLR_CBPR | ICC_CTLR_EOIMODE | ICC_CTLR_PRIBITS | ICC_CTLR_A3V, gic.read(ICC_CTLR_EL1));
        gic.write(ICC_SRE_EL1, 0);
        assertEquals(7, gic.read(ICC_SRE_EL1));
        assertEquals(1, log.entries().size(), "clearing SRE is logged");
    }
}
