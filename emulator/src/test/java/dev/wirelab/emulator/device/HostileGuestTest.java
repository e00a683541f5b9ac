package dev.wirelab.emulator.device;

import dev.wirelab.emulator.cpu.SysRegHandler;
import dev.wirelab.emulator.cpu.SysRegId;
import dev.wirelab.emulator.device.gic.GicV2;
import dev.wirelab.emulator.device.gic.GicV3;
import dev.wirelab.emulator.device.gic.InterruptController;
import dev.wirelab.emulator.device.timer.GenericTimer;
import dev.wirelab.emulator.time.EventQueue;
import dev.wirelab.emulator.time.VirtualClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random guest accesses of every kind (offsets in and out of range, any width,
 * any value, any system register) never throw, never wedge the event queue,
 * and leave snapshots restorable. Seeded: the same run every time.
 */
class HostileGuestTest {
    static final int[] WIDTHS = {1, 2, 3, 4, 8, 0, 16, -4};

    void hammer(long seed, boolean v3) {
        Random rnd = new Random(seed);
        VirtualClock clock = new VirtualClock();
        EventQueue queue = new EventQueue();
        GuestLog log = new GuestLog(clock::instructions);
        InterruptController gic = v3 ? new GicV3(dev.wirelab.emulator.board.VirtMemoryMap.GIC_DIST_BASE, dev.wirelab.emulator.board.VirtMemoryMap.GIC_REDIST_BASE, 64, log) : new GicV2(dev.wirelab.emulator.board.VirtMemoryMap.GIC_DIST_BASE, dev.wirelab.emulator.board.VirtMemoryMap.GIC_CPU_BASE, 64, log);
        GenericTimer timer = new GenericTimer(clock, queue, gic.line(27), gic.line(30), log);
        Pl031 rtc = new Pl031(dev.wirelab.emulator.board.VirtMemoryMap.RTC_BASE, clock, queue, gic.line(34), log, Pl031.DEFAULT_EPOCH);
        List<MmioDevice> mmio = new ArrayList<>(gic.mmioDevices());
        mmio.add(rtc);
        List<SysRegId> regs = new ArrayList<>(GicV3.SYSTEM_REGISTERS);
        regs.addAll(GenericTimer.SYSTEM_REGISTERS);
        List<SysRegHandler> handlers = List.of(gic, timer);

        for (int i = 0; i < 200_000; i++) {
            long value = rnd.nextInt(4) == 0 ? rnd.nextLong() : rnd.nextInt(1100);
            switch (rnd.nextInt(6)) {
                case 0, 1 -> {
                    MmioDevice d = mmio.get(rnd.nextInt(mmio.size()));
                    long off = rnd.nextInt(8) == 0 ? rnd.nextLong() : rnd.nextLong(d.size() + 64);
                    int w = WIDTHS[rnd.nextInt(WIDTHS.length)];
                    if (rnd.nextBoolean()) {
                        d.read(off, w);
                    } else {
                        d.write(off, w, value);
                    }
                }
                case 2 -> {
                    // Aligned 32-bit accesses in the low register area: the ones that really change state.
                    MmioDevice d = mmio.get(rnd.nextInt(mmio.size()));
                    long off = rnd.nextLong(Math.min(d.size(), 0x1_1000)) & ~3L;
                    if (rnd.nextBoolean()) {
                        d.read(off, 4);
                    } else {
                        d.write(off, 4, value);
                    }
                }
                case 3 -> {
                    SysRegId r = rnd.nextInt(10) == 0
                            ? SysRegId.of(3, rnd.nextInt(8), rnd.nextInt(16), rnd.nextInt(16), rnd.nextInt(8))
                            : regs.get(rnd.nextInt(regs.size()));
                    SysRegHandler h = handlers.get(rnd.nextInt(2));
                    if (rnd.nextBoolean()) {
                        h.read(r);
                    } else {
                        h.write(r, value);
                    }
                }
                case 4 -> {
                    clock.retire(rnd.nextInt(100_000));
                    queue.runDue(clock.ticks());
                }
                default -> {
                    if (queue.nextDeadline() < clock.ticks() + 1_000_000_000L) {
                        clock.idleUntil(queue.nextDeadline());
                    }
                    queue.runDue(clock.ticks());
                }
            }
            assertTrue(queue.pending().size() <= 3, "at most one event per timer and one for the RTC");
        }
        dev.wirelab.emulator.device.gic.GicState s = gic.saveState();
        gic.reset();
        gic.restoreState(s);
        assertEquals(s, gic.saveState());
        GenericTimer.State ts = timer.save();
        timer.restore(ts);
        assertEquals(ts, timer.save());
        Pl031.State rs = rtc.save();
        rtc.restore(rs);
        assertEquals(rs, rtc.save());
        assertFalse(log.entries().isEmpty());
    }

    @Test
    void gicV3Board() {
        hammer(1, true);
        hammer(2, true);
    }

    @Test
    void gicV2Board() {
        hammer(3, false);
        hammer(4, false);
    }
}
