package dev.wirelab.emulator.device.timer;

import dev.wirelab.emulator.board.VirtMemoryMap;
import dev.wirelab.emulator.cpu.SysRegId;
import dev.wirelab.emulator.device.GuestLog;
import dev.wirelab.emulator.device.IrqLine;
import dev.wirelab.emulator.device.gic.GicV3;
import dev.wirelab.emulator.time.EventQueue;
import dev.wirelab.emulator.time.VirtualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.wirelab.emulator.device.timer.GenericTimer.*;
import static org.junit.jupiter.api.Assertions.*;

class GenericTimerTest {
    /** An IrqLine that records every level it is driven to, stamped with the clock. */
    final class Probe implements IrqLine {
        boolean level;
        final List<Long> rises = new ArrayList<>();
        int sets;

        @Override
        public void set(boolean l) {
            sets++;
            if (l && !level) {
                rises.add(clock.ticks());
            }
            level = l;
        }
    }

    VirtualClock clock;
    EventQueue queue;
    GuestLog log;
    Probe vline;
    Probe pline;
    GenericTimer timer;

    @BeforeEach
    void setUp() {
        clock = new VirtualClock();
        queue = new EventQueue();
        log = new GuestLog(clock::instructions);
        vline = new Probe();
        pline = new Probe();
        timer = new GenericTimer(clock, queue, vline, pline, log);
    }

    /** Runs the guest for {@code n} instructions, then fires what is due (as the board does at block boundaries). */
    void run(long n) {
        clock.retire(n);
        queue.runDue(clock.ticks());
    }

    /** WFI: idle fast-forward to the next event. */
    void idle() {
        clock.idleUntil(queue.nextDeadline());
        queue.runDue(clock.ticks());
    }

    @Test
    void encodings() {
        assertEquals(SysRegId.of(3, 3, 14, 0, 0), CNTFRQ_EL0);
        assertEquals(SysRegId.of(3, 3, 14, 0, 2), CNTVCT_EL0);
        assertEquals(SysRegId.of(3, 3, 14, 3, 1), CNTV_CTL_EL0);
        assertEquals(SysRegId.of(3, 3, 14, 3, 2), CNTV_CVAL_EL0);
        assertEquals(SysRegId.of(3, 3, 14, 3, 0), CNTV_TVAL_EL0);
        assertEquals(SysRegId.of(3, 0, 14, 1, 0), CNTKCTL_EL1);
        for (SysRegId r : SYSTEM_REGISTERS) {
            assertTrue(timer.handles(r));
        }
        assertFalse(timer.handles(SysRegId.of(3, 0, 12, 12, 0)));
        assertFalse(timer.handles(SysRegId.of(3, 4, 14, 0, 3)), "CNTVOFF_EL2 not served");
    }

    @Test
    void counterAndFrequency() {
        assertEquals(62_500_000L, timer.read(CNTFRQ_EL0));
        assertEquals(0, timer.read(CNTVCT_EL0));
        clock.retire(1234);
        assertEquals(1234, timer.read(CNTVCT_EL0));
        assertEquals(1234, timer.read(CNTPCT_EL0), "CNTVOFF is 0");
        clock.idleUntil(5000);
        assertEquals(5000, timer.read(CNTVCT_EL0));
        assertEquals(5000, timer.read(CNTVCTSS_EL0));
        timer.write(CNTVCT_EL0, 0);
        timer.write(CNTFRQ_EL0, 1);
        assertEquals(5000, timer.read(CNTVCT_EL0));
        assertEquals(62_500_000L, timer.read(CNTFRQ_EL0));
        assertEquals(2, log.entries().size());
    }

    @Test
    void firesExactlyAtCval() {
        timer.write(CNTV_CVAL_EL0, 1000);
        timer.write(CNTV_CTL_EL0, CTL_ENABLE);
        assertEquals(1000, timer.nextDeadline());
        assertEquals(1000, queue.nextDeadline());
        run(999);
        assertFalse(vline.level);
        assertEquals(CTL_ENABLE, timer.read(CNTV_CTL_EL0), "ISTATUS clear before CVAL");
        run(1);
        assertTrue(vline.level);
        assertEquals(List.of(1000L), vline.rises);
        assertEquals(CTL_ENABLE | CTL_ISTATUS, timer.read(CNTV_CTL_EL0));
        assertFalse(pline.level, "the physical timer is independent");
        assertTrue(queue.isEmpty());
        // The handler moves the deadline: the line drops at once.
        timer.write(CNTV_TVAL_EL0, 500);
        assertFalse(vline.level);
        assertEquals(1500, timer.read(CNTV_CVAL_EL0));
        idle();
        assertEquals(1500, clock.ticks(), "WFI skipped exactly to the deadline");
        assertEquals(List.of(1000L, 1500L), vline.rises);
    }

    @Test
    void cvalInThePastFiresImmediately() {
        run(100);
        timer.write(CNTP_CVAL_EL0, 50);
        timer.write(CNTP_CTL_EL0, CTL_ENABLE);
        assertTrue(pline.level);
        assertTrue(queue.isEmpty());
        assertEquals(CTL_ENABLE | CTL_ISTATUS, timer.read(CNTP_CTL_EL0));
    }

    @Test
    void imaskAndDisable() {
        timer.write(CNTV_CVAL_EL0, 10);
        timer.write(CNTV_CTL_EL0, CTL_ENABLE | CTL_IMASK);
        assertTrue(queue.isEmpty(), "a masked timer changes no line: nothing to schedule");
        run(20);
        assertFalse(vline.level);
        assertEquals(CTL_ENABLE | CTL_IMASK | CTL_ISTATUS, timer.read(CNTV_CTL_EL0), "ISTATUS regardless of IMASK");
        timer.write(CNTV_CTL_EL0, CTL_ENABLE);
        assertTrue(vline.level);
        timer.write(CNTV_CTL_EL0, CTL_ENABLE | CTL_IMASK | CTL_ISTATUS);
        assertFalse(vline.level);
        assertEquals(CTL_ENABLE | CTL_IMASK | CTL_ISTATUS, timer.read(CNTV_CTL_EL0), "ISTATUS is read-only");
        timer.write(CNTV_CTL_EL0, 0);
        assertEquals(0, timer.read(CNTV_CTL_EL0), "disabled: ISTATUS reads 0");
        timer.write(CNTV_CVAL_EL0, 1000);
        timer.write(CNTV_CTL_EL0, CTL_ENABLE);
        assertEquals(1, queue.pending().size());
        timer.write(CNTV_CTL_EL0, 0);
        assertTrue(queue.isEmpty(), "disabling cancels the deadline");
        run(2000);
        assertFalse(vline.level);
    }

    @Test
    void reprogrammingCancelsStaleEvents() {
        timer.write(CNTV_CTL_EL0, CTL_ENABLE);
        assertTrue(vline.level, "CVAL 0 at reset: condition met at once");
        vline.rises.clear();
        for (int i = 1; i <= 100; i++) {
            timer.write(CNTV_CVAL_EL0, 1000L * i);
        }
        assertEquals(1, queue.pending().size());
        assertEquals(100_000, queue.nextDeadline());
        timer.write(CNTV_CVAL_EL0, 300);
        run(299);
        assertFalse(vline.level);
        run(1);
        assertTrue(vline.level);
        assertEquals(List.of(300L), vline.rises);
        assertTrue(queue.isEmpty());
    }

    @Test
    void tvalIsSignExtendedAndTruncated() {
        run(500);
        timer.write(CNTV_TVAL_EL0, 0xFFFF_FFFFL); // -1
        assertEquals(499, timer.read(CNTV_CVAL_EL0));
        timer.write(CNTV_TVAL_EL0, 0x1_0000_0064L); // upper bits ignored: 100
        assertEquals(600, timer.read(CNTV_CVAL_EL0));
        assertEquals(100, timer.read(CNTV_TVAL_EL0));
        run(150);
        assertEquals(0xFFFF_FFCEL, timer.read(CNTV_TVAL_EL0), "-50 as 32 bits");
        timer.write(CNTV_TVAL_EL0, 0x7FFF_FFFFL);
        assertEquals(650 + 0x7FFF_FFFFL, timer.read(CNTV_CVAL_EL0));
        timer.write(CNTV_TVAL_EL0, 0x8000_0000L);
        assertEquals(650 - 0x8000_0000L, timer.read(CNTV_CVAL_EL0), "wraps below zero as hardware does");
        timer.write(CNTV_CTL_EL0, CTL_ENABLE);
        assertFalse(vline.level, "CVAL wrapped to ~2^64: unsigned compare, not met");
        assertTrue(queue.isEmpty());
    }

    @Test
    void absurdDeadlineNeverFires() {
        timer.write(CNTV_CTL_EL0, CTL_ENABLE);
        timer.write(CNTV_CVAL_EL0, -1L); // 2^64-1
        assertTrue(queue.isEmpty());
        assertEquals(Long.MAX_VALUE, timer.nextDeadline());
        timer.write(CNTV_CVAL_EL0, Long.MAX_VALUE);
        assertTrue(queue.isEmpty());
        timer.write(CNTV_CVAL_EL0, HORIZON);
        assertTrue(queue.isEmpty());
        timer.write(CNTV_CVAL_EL0, HORIZON - 1);
        assertEquals(HORIZON - 1, queue.nextDeadline(), "just below the horizon is still scheduled");
        timer.write(CNTV_CVAL_EL0, -1L);
        clock.idleUntil(1L << 60);
        queue.runDue(clock.ticks());
        assertFalse(vline.level);
        assertEquals(CTL_ENABLE, timer.read(CNTV_CTL_EL0));
        assertTrue(log.entries().isEmpty());
    }

    @Test
    void physicalAndVirtualAreIndependent() {
        timer.write(CNTV_CVAL_EL0, 100);
        timer.write(CNTV_CTL_EL0, CTL_ENABLE);
        timer.write(CNTP_TVAL_EL0, 50);
        timer.write(CNTP_CTL_EL0, CTL_ENABLE);
        assertEquals(50, timer.nextDeadline());
        idle();
        assertTrue(pline.level);
        assertFalse(vline.level);
        assertEquals(50, timer.read(CNTP_CVAL_EL0));
        idle();
        assertTrue(vline.level);
        assertEquals(List.of(50L), pline.rises);
        assertEquals(List.of(100L), vline.rises);
    }

    @Test
    void cntkctlIsStored() {
        timer.write(CNTKCTL_EL1, 0xFFFF_FFFFL);
        assertEquals(0x3FF, timer.read(CNTKCTL_EL1));
    }

    @Test
    void unknownRegistersAreLogged() {
        SysRegId bogus = SysRegId.of(3, 3, 14, 4, 0);
        assertEquals(0, timer.read(bogus));
        timer.write(bogus, 1);
        assertEquals(2, log.entries().size());
    }

    @Test
    void drivesTheGicPpi() {
        GicV3 gic = new GicV3(dev.wirelab.emulator.board.VirtMemoryMap.GIC_DIST_BASE, dev.wirelab.emulator.board.VirtMemoryMap.GIC_REDIST_BASE, 64, log);
        GenericTimer t = new GenericTimer(clock, queue, gic.line(VirtMemoryMap.PPI_VIRT_TIMER),
                gic.line(VirtMemoryMap.PPI_NONSECURE_PHYS_TIMER), log);
        gic.redistributor().write(0x14, 4, 0); // GICR_WAKER: wake up
        gic.distributor().write(0, 4, 0x13);
        gic.redistributor().write(0x1_0080, 4, 0xFFFF_FFFFL); // Group 1
        gic.redistributor().write(0x1_0100, 4, 1L << 27);      // enable PPI 27
        gic.write(GicV3.ICC_PMR_EL1, 0xF0);
        gic.write(GicV3.ICC_IGRPEN1_EL1, 1);
        t.write(CNTV_TVAL_EL0, 62_500); // 1 ms
        t.write(CNTV_CTL_EL0, CTL_ENABLE);
        assertFalse(gic.irqPending());
        idle();
        assertEquals(62_500, clock.ticks());
        assertTrue(gic.irqPending());
        assertEquals(27, gic.read(GicV3.ICC_IAR1_EL1));
        t.write(CNTV_TVAL_EL0, 62_500);
        gic.write(GicV3.ICC_EOIR1_EL1, 27);
        assertFalse(gic.irqPending());
        idle();
        assertTrue(gic.irqPending());
        assertEquals(125_000, clock.ticks());
    }

    @Test
    void saveRestoreRoundTrip() {
        timer.write(CNTV_CVAL_EL0, 1000);
        timer.write(CNTV_CTL_EL0, CTL_ENABLE);
        timer.write(CNTP_CVAL_EL0, 10);
        timer.write(CNTP_CTL_EL0, CTL_ENABLE | CTL_IMASK);
        timer.write(CNTKCTL_EL1, 3);
        run(100);
        VirtualClock.State clk = clock.save();
        EventQueue.State q = queue.save();
        GenericTimer.State s = timer.save();

        run(5000);
        assertTrue(vline.level);
        timer.write(CNTV_CTL_EL0, 0);
        timer.write(CNTKCTL_EL1, 0);

        clock.restore(clk);
        queue.restore(q);
        timer.restore(s);
        assertEquals(s, timer.save());
        assertFalse(vline.level, "line driven to the restored state");
        assertEquals(1, queue.pending().size(), "the snapshot's event replaced, not duplicated");
        run(899);
        assertFalse(vline.level);
        run(1);
        assertTrue(vline.level);
        assertEquals(1000, vline.rises.getLast());

        // Restored into a fresh timer on the same clock.
        GenericTimer other = new GenericTimer(clock, new EventQueue(), new Probe(), new Probe(), log);
        other.restore(s);
        assertEquals(s, other.save());
        assertThrows(IllegalArgumentException.class, () -> timer.restore(new GenericTimer.State(8, 0, 0, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> timer.restore(null));
    }

    @Test
    void resetDisablesEverything() {
        timer.write(CNTV_CVAL_EL0, 10);
        timer.write(CNTV_CTL_EL0, CTL_ENABLE);
        run(20);
        assertTrue(vline.level);
        timer.write(CNTP_CVAL_EL0, 1000);
        timer.write(CNTP_CTL_EL0, CTL_ENABLE);
        timer.reset();
        assertFalse(vline.level);
        assertTrue(queue.isEmpty());
        assertEquals(new GenericTimer.State(0, 0, 0, 0, 0), timer.save());
    }
}
