package dev.wirelab.emulator.device.gic;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The O(1) candidate index against a brute-force scan, over random operation sequences (seeded: deterministic). */
class GicCoreTest {
    static int bruteHppi(GicCore c) {
        int best = GicCore.SPURIOUS;
        int bestPrio = Integer.MAX_VALUE;
        int en = c.distEnable & c.cpuEnable;
        for (int i = 0; i < c.nIrq; i++) {
            boolean cand = c.has(i, GicCore.ENABLED) && c.pending(i) && !c.has(i, GicCore.ACTIVE)
                    && c.has(i, GicCore.ROUTED) && (en & (1 << c.group(i))) != 0;
            if (cand && c.priority(i) < bestPrio) {
                best = i;
                bestPrio = c.priority(i);
            }
        }
        return best;
    }

    @Test
    void indexAgreesWithBruteForce() {
        Random rnd = new Random(42);
        for (int round = 0; round < 20; round++) {
            GicCore c = new GicCore(32 + 32 * (1 + rnd.nextInt(8)), rnd.nextBoolean());
            int[] flags = {GicCore.ENABLED, GicCore.LATCH, GicCore.ACTIVE, GicCore.GROUP1, GicCore.EDGE, GicCore.ROUTED};
            for (int step = 0; step < 20_000; step++) {
                int id = rnd.nextInt(c.nIrq);
                switch (rnd.nextInt(10)) {
                    case 0, 1, 2 -> {
                        if (id >= 16) {
                            c.line(id).set(rnd.nextBoolean());
                        }
                    }
                    case 3, 4, 5 -> {
                        int flag = flags[rnd.nextInt(flags.length)];
                        if (flag != GicCore.EDGE || id >= 16) { // SGIs stay edge, as the registers enforce
                            c.setFlag(id, flag, rnd.nextBoolean());
                        }
                    }
                    case 6 -> c.setPriority(id, rnd.nextInt(256));
                    case 7 -> {
                        c.distEnable = rnd.nextInt(4);
                        c.cpuEnable = rnd.nextInt(4);
                        c.update();
                    }
                    case 8 -> {
                        int h = c.hppi();
                        if (h != GicCore.SPURIOUS && c.canSignal(h)) {
                            c.activate(h);
                        }
                    }
                    default -> {
                        c.pmr = rnd.nextInt(256) & GicCore.PRIORITY_MASK;
                        c.update(); // register writers update after changing CPU interface fields
                        c.dropPriority(rnd.nextInt(2));
                    }
                }
                int expect = bruteHppi(c);
                assertEquals(expect, c.hppi(), "round " + round + " step " + step);
                boolean signal = expect != GicCore.SPURIOUS && c.canSignal(expect);
                boolean fiq = signal && c.group(expect) == 0 && c.fiqEn;
                assertEquals(signal && !fiq, c.irqOut(), "IRQ output, step " + step);
                assertEquals(fiq, c.fiqOut(), "FIQ output, step " + step);
            }
            // A rebuilt index (as after restore) is the same index.
            GicCore.State s = c.save();
            GicCore d = new GicCore(c.nIrq, false);
            assertNull(d.check(s));
            d.restore(s);
            assertEquals(s, d.save());
            assertEquals(c.hppi(), d.hppi());
            assertEquals(c.irqOut(), d.irqOut());
        }
    }

    @Test
    void distributorKeepsEightBitsCpuInterfaceFive() {
        GicCore c = new GicCore(64, false);
        c.setPriority(40, 0xFF);
        assertEquals(0xFF, c.priority(40));
        c.setPriority(41, 0xA1);
        c.setPriority(42, 0xA0);
        c.distEnable = 1;
        c.cpuEnable = 1;
        c.pmr = 0xF8;
        for (int id = 40; id <= 42; id++) {
            c.setFlag(id, GicCore.ENABLED, true);
            c.setFlag(id, GicCore.LATCH, true);
        }
        assertEquals(42, c.hppi(), "0xA0 beats 0xA1 although INTID 41 is lower");
        c.activate(42);
        assertEquals(0xA0, c.runningPriority());
        assertEquals(41, c.hppi());
        assertFalse(c.canSignal(41), "0xA1 and 0xA0 share a 5-bit group priority: no preemption");
        assertTrue(c.dropPriority(0));
        c.deactivate(42);
        c.setFlag(41, GicCore.ENABLED, false);
        assertEquals(40, c.hppi());
        assertFalse(c.canSignal(40), "0xFF is never below any PMR");
    }

    @Test
    void groupPriorityFollowsBinaryPoints() {
        GicCore c = new GicCore(64, false);
        assertEquals(0xF8, c.groupPriority(0xF8, 0));
        assertEquals(0xF8, c.groupPriority(0xF8, 1));
        c.bpr0 = 4;
        c.bpr1 = 4;
        assertEquals(0xE0, c.groupPriority(0xF8, 0), "BPR0=4: group priority bits [7:5]");
        assertEquals(0xF0, c.groupPriority(0xF8, 1), "BPR1=4: group priority bits [7:4]");
        c.cbpr = true;
        assertEquals(0xE0, c.groupPriority(0xF8, 1), "CBPR: BPR0 for both");
        c.bpr0 = 7;
        assertEquals(0, c.groupPriority(0xF8, 0), "BPR 7: no preemption");
    }
}
