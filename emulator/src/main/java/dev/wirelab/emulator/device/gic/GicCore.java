package dev.wirelab.emulator.device.gic;

import dev.wirelab.emulator.device.IrqLine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a GICv2 and a GICv3 serving one CPU have in common: per-interrupt state
 * (enable, pending latch, input level, active, group, trigger, priority), the
 * highest-priority-pending-interrupt (HPPI) selection, and the CPU interface's
 * priority machinery (PMR, binary points, active priorities, running priority,
 * acknowledge, priority drop, deactivate). The register files of each model
 * ({@link GicV2}, {@link GicV3}) sit on top and translate guest accesses into
 * these operations.
 *
 * <p>Priorities (lower value = higher priority): the distributor keeps all 8
 * bits of every priority, as QEMU's GICs do, so readback and the choice of the
 * highest priority pending interrupt match QEMU; the CPU interface implements
 * 5 bits as a Cortex-A72's (PMR is masked to {@code 0xF8}, 32 active priority
 * levels, minimum binary points 2 and 3), so priorities that differ only in
 * bits [2:0] never preempt each other.
 *
 * <p>Every operation is O(1): candidate interrupts (enabled, pending, not
 * active, routed to the CPU) are kept in a bitmap per group and priority, with
 * a bitmap of non-empty priorities, so an interrupt storm costs a few word
 * operations per toggle.
 */
final class GicCore {
    static final int SPURIOUS = 1023;
    /** GICv2 IAR: the HPPI is Group 1 and GICC_CTLR.AckCtl is 0. */
    static final int SPURIOUS_GROUP1 = 1022;
    /** INTIDs 1020..1023 are special; an EOI/DIR for them is ignored silently. */
    static final int FIRST_SPECIAL = 1020;

    /** Priority bits implemented by the CPU interface (ICC_CTLR_EL1.PRIbits + 1). */
    static final int PRIORITY_BITS = 5;
    /** PMR mask: the priority bits the CPU interface implements. */
    static final int PRIORITY_MASK = 0xF8;
    /** Distinct priorities the distributor keeps (the candidate index has one row per group and priority). */
    static final int LEVELS = 256;
    static final int MIN_BPR0 = 7 - PRIORITY_BITS;
    static final int MIN_BPR1 = MIN_BPR0 + 1;
    /** Running priority when nothing is active (above every real priority). */
    static final int IDLE = 0x100;

    // Per-interrupt flags, packed in one int with the priority in bits [15:8].
    static final int ENABLED = 1;
    static final int LATCH = 2;     // pending latched by an edge, a software write or an SGI
    static final int LINE = 4;      // input level
    static final int ACTIVE = 8;
    static final int GROUP1 = 16;
    static final int EDGE = 32;     // edge-triggered (ICFGR bit 1)
    static final int ROUTED = 64;   // routed to our CPU (GICv3 IROUTER); always set on GICv2
    static final int FLAGS = 0x7F;
    static final int PRIO_SHIFT = 8;

    final int nIrq;
    private final int words;
    final int[] irq;
    /** Where each interrupt sits in the candidate index: -1, or group * LEVELS + priority. */
    private final int[] slot;
    private final long[][] bits;
    /** Non-empty rows: 4 words per group. */
    private final long[] levelMask = new long[2 * LEVELS / 64];

    // Enables: bit 0 group 0, bit 1 group 1.
    int distEnable;
    int cpuEnable;
    int pmr;
    int bpr0 = MIN_BPR0;
    int bpr1 = MIN_BPR1;
    boolean cbpr;
    boolean eoiMode;
    /** Group 0 is signalled as FIQ (GICv2 GICC_CTLR.FIQEn; always on a GICv3). */
    boolean fiqEn;
    int apr0;
    int apr1;

    private boolean irqOut;
    private boolean fiqOut;
    private final List<Runnable> listeners = new ArrayList<>();
    private final IrqLine[] lines;

    GicCore(int nIrq, boolean fiqEnAtReset) {
        this.nIrq = nIrq;
        this.words = (nIrq + 63) >>> 6;
        this.irq = new int[nIrq];
        this.slot = new int[nIrq];
        this.bits = new long[2 * LEVELS][words];
        this.lines = new IrqLine[nIrq];
        for (int i = 16; i < nIrq; i++) {
            final int id = i;
            lines[i] = level -> setLine(id, level);
        }
        resetState(fiqEnAtReset);
    }

    void resetState(boolean fiqEnAtReset) {
        for (int i = 0; i < nIrq; i++) {
            int keep = irq[i] & LINE;
            irq[i] = keep | ROUTED | (i < 16 ? EDGE : 0);
        }
        distEnable = 0;
        cpuEnable = 0;
        pmr = 0;
        bpr0 = MIN_BPR0;
        bpr1 = MIN_BPR1;
        cbpr = false;
        eoiMode = false;
        fiqEn = fiqEnAtReset;
        apr0 = 0;
        apr1 = 0;
        rebuildIndex();
        update();
    }

    IrqLine line(int intid) {
        if (intid < 16 || intid >= nIrq) {
            throw new IllegalArgumentException("no interrupt line for INTID " + intid + " (PPIs 16..31, SPIs 32.." + (nIrq - 1) + ")");
        }
        return lines[intid];
    }

    void onOutputChange(Runnable r) {
        listeners.add(r);
    }

    boolean irqOut() {
        return irqOut;
    }

    boolean fiqOut() {
        return fiqOut;
    }

    // ---- per-interrupt state ----

    boolean valid(int intid) {
        return intid >= 0 && intid < nIrq;
    }

    boolean has(int intid, int flag) {
        return (irq[intid] & flag) != 0;
    }

    boolean pending(int intid) {
        int s = irq[intid];
        return (s & LATCH) != 0 || (s & (EDGE | LINE)) == LINE;
    }

    int priority(int intid) {
        return (irq[intid] >>> PRIO_SHIFT) & 0xFF;
    }

    int group(int intid) {
        return (irq[intid] & GROUP1) != 0 ? 1 : 0;
    }

    void setLine(int intid, boolean level) {
        int s = irq[intid];
        if (((s & LINE) != 0) == level) {
            return;
        }
        if (level) {
            s |= LINE;
            if ((s & EDGE) != 0) {
                s |= LATCH;
            }
        } else {
            s &= ~LINE;
        }
        irq[intid] = s;
        refresh(intid);
        update();
    }

    /** Sets or clears {@code flag} on {@code intid}; LATCH, ENABLED, ACTIVE, GROUP1, EDGE, ROUTED. */
    void setFlag(int intid, int flag, boolean on) {
        int s = irq[intid];
        int n = on ? s | flag : s & ~flag;
        if (n != s) {
            irq[intid] = n;
            refresh(intid);
            update();
        }
    }

    void setPriority(int intid, int prio) {
        int s = irq[intid];
        int n = (s & FLAGS) | ((prio & 0xFF) << PRIO_SHIFT);
        if (n != s) {
            irq[intid] = n;
            refresh(intid);
            update();
        }
    }

    // ---- candidate index ----

    private boolean candidate(int s) {
        return (s & (ENABLED | ACTIVE | ROUTED)) == (ENABLED | ROUTED)
                && ((s & LATCH) != 0 || (s & (EDGE | LINE)) == LINE);
    }

    private void refresh(int intid) {
        int s = irq[intid];
        int want = candidate(s) ? ((s & GROUP1) != 0 ? LEVELS : 0) + ((s >>> PRIO_SHIFT) & 0xFF) : -1;
        int have = slot[intid];
        if (want == have) {
            return;
        }
        int w = intid >>> 6;
        long b = 1L << intid;
        if (have >= 0) {
            long[] row = bits[have];
            row[w] &= ~b;
            if (row[w] == 0 && empty(row)) {
                levelMask[have >>> 6] &= ~(1L << have);
            }
        }
        if (want >= 0) {
            bits[want][w] |= b;
            levelMask[want >>> 6] |= 1L << want;
        }
        slot[intid] = want;
    }

    private static boolean empty(long[] row) {
        for (long x : row) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    void rebuildIndex() {
        for (long[] row : bits) {
            Arrays.fill(row, 0);
        }
        Arrays.fill(levelMask, 0);
        Arrays.fill(slot, -1);
        for (int i = 0; i < nIrq; i++) {
            refresh(i);
        }
    }

    private int best(int group) {
        int first = group * (LEVELS / 64);
        for (int m = first; m < first + LEVELS / 64; m++) {
            if (levelMask[m] != 0) {
                long[] row = bits[(m << 6) + Long.numberOfTrailingZeros(levelMask[m])];
                for (int w = 0; w < row.length; w++) {
                    if (row[w] != 0) {
                        return (w << 6) + Long.numberOfTrailingZeros(row[w]);
                    }
                }
            }
        }
        return SPURIOUS;
    }

    /**
     * The highest priority pending interrupt among groups enabled at both the
     * distributor and the CPU interface (ties: lower INTID), or 1023.
     */
    int hppi() {
        int en = distEnable & cpuEnable;
        int g0 = (en & 1) != 0 ? best(0) : SPURIOUS;
        int g1 = (en & 2) != 0 ? best(1) : SPURIOUS;
        if (g0 == SPURIOUS) {
            return g1;
        }
        if (g1 == SPURIOUS) {
            return g0;
        }
        int p0 = priority(g0);
        int p1 = priority(g1);
        return p0 < p1 || (p0 == p1 && g0 < g1) ? g0 : g1;
    }

    // ---- CPU interface priority logic ----

    int groupPriority(int prio, int group) {
        int bpr = group == 0 || cbpr ? bpr0 + 1 : bpr1;
        return prio & (0xFF << bpr) & 0xFF;
    }

    int runningPriority() {
        int a = apr0 | apr1;
        return a == 0 ? IDLE : Integer.numberOfTrailingZeros(a) << (8 - PRIORITY_BITS);
    }

    /** Whether {@code intid} (a candidate) has sufficient priority to be signalled/acknowledged. */
    boolean canSignal(int intid) {
        int p = priority(intid);
        return p < pmr && groupPriority(p, group(intid)) < runningPriority();
    }

    /** Marks {@code intid} active, clears its latch and raises the running priority. Returns the INTID. */
    int activate(int intid) {
        int g = group(intid);
        int bit = 1 << (groupPriority(priority(intid), g) >>> (8 - PRIORITY_BITS));
        if (g == 0) {
            apr0 |= bit;
        } else {
            apr1 |= bit;
        }
        irq[intid] = (irq[intid] | ACTIVE) & ~LATCH;
        refresh(intid);
        update();
        return intid;
    }

    /**
     * Priority drop: clears the highest active priority if it belongs to
     * {@code group}. Returns false (nothing changed) when nothing is active or
     * the highest active priority is of the other group.
     */
    boolean dropPriority(int group) {
        int a = apr0 | apr1;
        if (a == 0) {
            return false;
        }
        int low = a & -a;
        if (group == 0) {
            if ((apr0 & low) == 0) {
                return false;
            }
            apr0 &= ~low;
        } else {
            if ((apr1 & low) == 0) {
                return false;
            }
            apr1 &= ~low;
        }
        update();
        return true;
    }

    /** GICv2 EOIR: drops the highest active priority whichever group holds it; false when nothing is active. */
    boolean dropHighest() {
        int a = apr0 | apr1;
        if (a == 0) {
            return false;
        }
        return dropPriority((apr0 & (a & -a)) != 0 ? 0 : 1);
    }

    void deactivate(int intid) {
        setFlag(intid, ACTIVE, false);
    }

    void setApr(int group, int value) {
        if (group == 0) {
            apr0 = value;
        } else {
            apr1 = value;
        }
        update();
    }

    /** Re-evaluates the CPU's IRQ/FIQ inputs and tells the listeners when they changed. */
    void update() {
        boolean irqNow = false;
        boolean fiqNow = false;
        int h = hppi();
        if (h != SPURIOUS && canSignal(h)) {
            if (group(h) == 0 && fiqEn) {
                fiqNow = true;
            } else {
                irqNow = true;
            }
        }
        if (irqNow != irqOut || fiqNow != fiqOut) {
            irqOut = irqNow;
            fiqOut = fiqNow;
            for (Runnable r : listeners) {
                r.run();
            }
        }
    }

    // ---- bit-per-interrupt register banks (ISENABLER, ISPENDR, ...) ----

    enum Bank { ENABLE, PENDING, ACTIVE, GROUP }

    /** Reads the 32 bits of {@code bank} for INTIDs {@code first..first+31}; unimplemented INTIDs read 0. */
    int readBank(Bank bank, int first) {
        int v = 0;
        for (int i = 0; i < 32; i++) {
            int id = first + i;
            if (id >= nIrq) {
                break;
            }
            boolean on = switch (bank) {
                case ENABLE -> has(id, ENABLED);
                case PENDING -> pending(id);
                case ACTIVE -> has(id, ACTIVE);
                case GROUP -> has(id, GROUP1);
            };
            if (on) {
                v |= 1 << i;
            }
        }
        return v;
    }

    /** Set-register semantics for the 1 bits of {@code value} (ISENABLER, ISPENDR, ISACTIVER). */
    void setBank(Bank bank, int first, int value) {
        bankWrite(bank, first, value, true);
    }

    /** Clear-register semantics for the 1 bits of {@code value} (ICENABLER, ICPENDR, ICACTIVER). */
    void clearBank(Bank bank, int first, int value) {
        bankWrite(bank, first, value, false);
    }

    private void bankWrite(Bank bank, int first, int value, boolean on) {
        int flag = switch (bank) {
            case ENABLE -> ENABLED;
            case PENDING -> LATCH;
            case ACTIVE -> ACTIVE;
            case GROUP -> GROUP1;
        };
        while (value != 0) {
            int i = Integer.numberOfTrailingZeros(value);
            value &= value - 1;
            int id = first + i;
            if (id < nIrq) {
                setFlag(id, flag, on);
            }
        }
    }

    /** IGROUPR: every bit written, 1 = group 1. */
    void writeGroups(int first, int value, int writableMask) {
        for (int i = 0; i < 32; i++) {
            int id = first + i;
            if (id < nIrq && (writableMask & (1 << i)) != 0) {
                setFlag(id, GROUP1, (value & (1 << i)) != 0);
            }
        }
    }

    /** ICFGR{n}: 16 INTIDs from {@code first}, two bits each, bit 1 = edge. SGIs stay edge. */
    int readConfig(int first) {
        int v = 0;
        for (int i = 0; i < 16; i++) {
            int id = first + i;
            if (id < nIrq && has(id, EDGE)) {
                v |= 2 << (2 * i);
            }
        }
        return v;
    }

    void writeConfig(int first, int value) {
        for (int i = 0; i < 16; i++) {
            int id = first + i;
            if (id >= 16 && id < nIrq) {
                setFlag(id, EDGE, (value & (2 << (2 * i))) != 0);
            }
        }
    }

    // ---- snapshot ----

    State save() {
        return new State(irq.clone(), distEnable, cpuEnable, pmr, bpr0, bpr1, cbpr, eoiMode, fiqEn, apr0, apr1);
    }

    /** Validates {@code s} against this core; returns an error message or null. */
    String check(State s) {
        int[] irqs = s.irq(); // the accessor hands out a copy: take it once
        if (irqs.length != nIrq) {
            return "state has " + irqs.length + " interrupts, controller has " + nIrq;
        }
        for (int i = 0; i < nIrq; i++) {
            int v = irqs[i];
            if ((v & ~(FLAGS | (0xFF << PRIO_SHIFT))) != 0) {
                return "corrupt state of INTID " + i + ": 0x" + Integer.toHexString(v);
            }
            if (i < 16 && (v & EDGE) == 0) {
                return "SGI " + i + " is not edge-triggered";
            }
        }
        if ((s.distEnable() & ~3) != 0 || (s.cpuEnable() & ~3) != 0) {
            return "corrupt group enables";
        }
        if ((s.pmr() & ~PRIORITY_MASK) != 0) {
            return "corrupt PMR 0x" + Integer.toHexString(s.pmr());
        }
        if (s.bpr0() < MIN_BPR0 || s.bpr0() > 7 || s.bpr1() < MIN_BPR1 || s.bpr1() > 7) {
            return "corrupt binary point " + s.bpr0() + "/" + s.bpr1();
        }
        return null;
    }

    void restore(State s) {
        // Only the interrupts that changed since the snapshot (a fuzz execution touches a few of
        // 288): refresh keeps the candidate index a function of irq[], so the result is what a
        // full rebuild gives. The record's own array is read directly (its accessor clones).
        int[] saved = s.irq;
        for (int i = 0; i < nIrq; i++) {
            if (irq[i] != saved[i]) {
                irq[i] = saved[i];
                refresh(i);
            }
        }
        distEnable = s.distEnable();
        cpuEnable = s.cpuEnable();
        pmr = s.pmr();
        bpr0 = s.bpr0();
        bpr1 = s.bpr1();
        cbpr = s.cbpr();
        eoiMode = s.eoiMode();
        fiqEn = s.fiqEn();
        apr0 = s.apr0();
        apr1 = s.apr1();
        update();
    }

    /** Interrupt state and CPU interface registers; {@code irq} packs flags and priority per INTID. */
    record State(int[] irq, int distEnable, int cpuEnable, int pmr, int bpr0, int bpr1,
                 boolean cbpr, boolean eoiMode, boolean fiqEn, int apr0, int apr1) {
        State {
            irq = irq.clone();
        }

        @Override
        public int[] irq() {
            return irq.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && Arrays.equals(irq, s.irq) && distEnable == s.distEnable
                    && cpuEnable == s.cpuEnable && pmr == s.pmr && bpr0 == s.bpr0 && bpr1 == s.bpr1
                    && cbpr == s.cbpr && eoiMode == s.eoiMode && fiqEn == s.fiqEn && apr0 == s.apr0 && apr1 == s.apr1;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(irq) * 31 + java.util.Objects.hash(distEnable, cpuEnable, pmr, bpr0, bpr1, cbpr, eoiMode, fiqEn, apr0, apr1);
        }

        @Override
        public String toString() {
            return "GicCore.State[irqs=" + irq.length + ", distEnable=" + distEnable + ", cpuEnable=" + cpuEnable
                    + ", pmr=" + pmr + ", bpr0=" + bpr0 + ", bpr1=" + bpr1 + ", cbpr=" + cbpr + ", eoiMode=" + eoiMode
                    + ", fiqEn=" + fiqEn + ", apr0=" + apr0 + ", apr1=" + apr1 + "]";
        }
    }
}
