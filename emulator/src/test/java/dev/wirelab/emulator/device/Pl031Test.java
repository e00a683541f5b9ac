package dev.wirelab.emulator.device;

import dev.wirelab.emulator.time.EventQueue;
import dev.wirelab.emulator.time.VirtualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.wirelab.emulator.device.Pl031.*;
import static org.junit.jupiter.api.Assertions.*;

class Pl031Test {
    static final long F = VirtualClock.FREQUENCY_HZ;

    VirtualClock clock;
    EventQueue queue;
    GuestLog log;
    boolean irq;
    int irqSets;
    Pl031 rtc;

    @BeforeEach
    void setUp() {
        clock = new VirtualClock();
        queue = new EventQueue();
        log = new GuestLog(clock::instructions);
        rtc = new Pl031(dev.wirelab.emulator.board.VirtMemoryMap.RTC_BASE, clock, queue, level -> {
            irq = level;
            irqSets++;
        }, log, Pl031.DEFAULT_EPOCH);
    }

    long rd(int off) {
        return rtc.read(off, 4);
    }

    void wr(int off, long v) {
        rtc.write(off, 4, v);
    }

    void run(long ticks) {
        clock.retire(ticks);
        queue.runDue(clock.ticks());
    }

    @Test
    void readsVirtualTimeFromTheFixedEpoch() {
        assertEquals(0x0901_0000L, rtc.base());
        assertEquals(DEFAULT_EPOCH, rd(RTCDR));
        run(F - 1);
        assertEquals(DEFAULT_EPOCH, rd(RTCDR));
        run(1);
        assertEquals(DEFAULT_EPOCH + 1, rd(RTCDR));
        clock.idleUntil(3600 * F);
        assertEquals(DEFAULT_EPOCH + 3600, rd(RTCDR));
        assertEquals(1, rd(RTCCR), "permanently enabled");
        wr(RTCCR, 0);
        assertEquals(1, rd(RTCCR));
        assertTrue(log.entries().isEmpty());
    }

    @Test
    void customEpoch() {
        Pl031 other = new Pl031(0x1000, clock, queue, IrqLine.NONE, log, 0);
        assertEquals(0, other.read(RTCDR, 4));
        clock.retire(5 * F);
        assertEquals(5, other.read(RTCDR, 4));
        assertEquals(DEFAULT_EPOCH + 5, rd(RTCDR));
    }

    @Test
    void loadSetsTheCounter() {
        run(2 * F + 7);
        wr(RTCLR, 1000);
        assertEquals(1000, rd(RTCDR));
        assertEquals(1000, rd(RTCLR));
        run(F);
        assertEquals(1001, rd(RTCDR));
        wr(RTCLR, 0xFFFF_FFFFL);
        run(F);
        assertEquals(0, rd(RTCDR), "32-bit counter wraps");
    }

    @Test
    void matchInterruptAtTheExactSecond() {
        run(F / 2);
        wr(RTCIMSC, 1);
        wr(RTCMR, DEFAULT_EPOCH + 2);
        assertEquals(2 * F, rtc.alarmTick(), "the tick the counter reaches the match value");
        assertEquals(2 * F, queue.nextDeadline());
        run(2 * F - F / 2 - 1);
        assertFalse(irq);
        assertEquals(0, rd(RTCRIS));
        run(1);
        assertTrue(irq);
        assertEquals(DEFAULT_EPOCH + 2, rd(RTCDR));
        assertEquals(1, rd(RTCRIS));
        assertEquals(1, rd(RTCMIS));
        assertEquals(-1, rtc.alarmTick());
        wr(RTCIMSC, 0);
        assertFalse(irq);
        assertEquals(1, rd(RTCRIS));
        assertEquals(0, rd(RTCMIS));
        wr(RTCIMSC, 1);
        assertTrue(irq);
        wr(RTCICR, 1);
        assertFalse(irq);
        assertEquals(0, rd(RTCRIS));
        assertTrue(log.entries().isEmpty());
    }

    @Test
    void matchNowIsImmediateAndReprogrammingCancels() {
        wr(RTCIMSC, 1);
        wr(RTCMR, DEFAULT_EPOCH);
        assertTrue(irq, "match equals the counter: at once");
        wr(RTCICR, 1);
        wr(RTCMR, DEFAULT_EPOCH + 100);
        wr(RTCMR, DEFAULT_EPOCH + 5);
        assertEquals(1, queue.pending().size());
        assertEquals(5 * F, queue.nextDeadline());
        // A match in the past waits for the counter to wrap (2^32 s): scheduled, far away, no overflow.
        wr(RTCMR, DEFAULT_EPOCH - 1);
        assertEquals(((1L << 32) - 1) * F, queue.nextDeadline());
        // Loading the counter re-arms the match.
        wr(RTCLR, DEFAULT_EPOCH - 3);
        assertEquals(2 * F, queue.nextDeadline());
        clock.idleUntil(queue.nextDeadline());
        queue.runDue(clock.ticks());
        assertTrue(irq);
    }

    @Test
    void identificationRegisters() {
        long periph = rd(0xFE0) | rd(0xFE4) << 8 | rd(0xFE8) << 16 | rd(0xFEC) << 24;
        long cell = rd(0xFF0) | rd(0xFF4) << 8 | rd(0xFF8) << 16 | rd(0xFFC) << 24;
        assertEquals(0x0004_1031L, periph & 0x000F_FFFFL, "PL031, ARM (what Linux's AMBA bus matches)");
        assertEquals(0xB105_F00DL, cell);
    }

    @Test
    void badAccessesAreLoggedAndIgnored() {
        assertEquals(0, rtc.read(RTCDR, 1));
        assertEquals(0, rtc.read(RTCDR, 8));
        assertEquals(0, rtc.read(2, 4));
        assertEquals(0, rtc.read(0x800, 4));
        assertEquals(0, rtc.read(0x1000, 4));
        assertEquals(0, rtc.read(RTCICR, 4));
        rtc.write(RTCDR, 4, 5);
        rtc.write(RTCRIS, 4, 1);
        rtc.write(0x800, 4, 1);
        rtc.write(0xFE0, 4, 1);
        rtc.write(RTCMR, 2, 1);
        assertEquals(11, log.entries().size(), log.entries().toString());
        assertEquals(DEFAULT_EPOCH, rd(RTCDR));
        assertEquals(0, rd(RTCMR));
        assertTrue(queue.isEmpty());
    }

    @Test
    void saveRestoreRoundTrip() {
        wr(RTCLR, 5000);
        wr(RTCIMSC, 1);
        wr(RTCMR, 5010);
        run(3 * F);
        VirtualClock.State clk = clock.save();
        EventQueue.State q = queue.save();
        Pl031.State s = rtc.save();
        assertEquals(new Pl031.State(5000, 5010, 5000, 1, 0, 10 * F), s);

        run(20 * F);
        assertTrue(irq);
        wr(RTCLR, 1);

        clock.restore(clk);
        queue.restore(q);
        rtc.restore(s);
        assertEquals(s, rtc.save());
        assertFalse(irq);
        assertEquals(5003, rd(RTCDR));
        assertEquals(1, queue.pending().size(), "the snapshot's event replaced, not duplicated");
        run(7 * F - 1);
        assertFalse(irq);
        run(1);
        assertTrue(irq);

        rtc.reset();
        assertFalse(irq);
        assertEquals(DEFAULT_EPOCH + 10, rd(RTCDR));
        assertTrue(queue.isEmpty());
        assertThrows(IllegalArgumentException.class, () -> rtc.restore(new Pl031.State(0, 0, 0, 2, 0, -1)));
        assertThrows(IllegalArgumentException.class, () -> rtc.restore(new Pl031.State(0, 0, 0, 0, 0, -5)));
        assertThrows(IllegalArgumentException.class, () -> rtc.restore(null));
    }
}
