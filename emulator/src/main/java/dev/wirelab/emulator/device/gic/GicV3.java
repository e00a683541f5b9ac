package dev.wirelab.emulator.device.gic;

import dev.wirelab.emulator.cpu.SysRegId;
import dev.wirelab.emulator.device.GuestLog;
import dev.wirelab.emulator.device.MmioDevice;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Arm GICv3 (IHI 0069) for one CPU, as QEMU virt's {@code gic-version=3}
 * without {@code secure=on}: a distributor frame, one redistributor (RD_base
 * frame and SGI_base frame at +64 KiB) and the system-register CPU interface
 * (ICC_*_EL1), which the board traps and forwards to {@link #read}/{@link #write}.
 *
 * <p>Simplifications, as hardware allows them:
 * <ul>
 * <li>A single security state: GICD_CTLR.DS is 1 (RAO/WI), so there is one
 *     view of every register; Group 0 is signalled as FIQ and Group 1 as IRQ;
 *     IGRPMODR and NSACR are RAZ/WI.</li>
 * <li>Affinity routing only: GICD_CTLR.ARE is RAO/WI; GICD_ITARGETSR, GICD_SGIR,
 *     GICD_[S|C]PENDSGIR and the distributor's SGI/PPI bits are RAZ/WI.</li>
 * <li>No LPIs, no ITS, no message-based SPIs, no extended ranges.</li>
 * <li>One CPU with affinity 0.0.0.0; an SPI whose GICD_IROUTER names another
 *     affinity (and IRM=0) is never forwarded.</li>
 * <li>GICR_WAKER implements the ProcessorSleep/ChildrenAsleep handshake
 *     (ChildrenAsleep follows ProcessorSleep at once) but sleep does not gate
 *     forwarding.</li>
 * <li>8-bit priorities in the distributor (as QEMU), 5 in the CPU interface
 *     (ICC_CTLR_EL1.PRIbits = 4, PMR mask 0xF8), so only ICC_AP0R0_EL1 and
 *     ICC_AP1R0_EL1 exist.</li>
 * </ul>
 * Bad offsets, widths, INTIDs and registers are logged to the {@link GuestLog}
 * and ignored (reads return 0).
 */
public final class GicV3 extends Gic {
    public static final int DEFAULT_SPIS = 64;
    public static final int MAX_SPIS = 256;

    // ---- CPU interface system registers (op0, op1, CRn, CRm, op2) ----
    public static final SysRegId ICC_PMR_EL1 = SysRegId.of(3, 0, 4, 6, 0);
    public static final SysRegId ICC_IAR0_EL1 = SysRegId.of(3, 0, 12, 8, 0);
    public static final SysRegId ICC_EOIR0_EL1 = SysRegId.of(3, 0, 12, 8, 1);
    public static final SysRegId ICC_HPPIR0_EL1 = SysRegId.of(3, 0, 12, 8, 2);
    public static final SysRegId ICC_BPR0_EL1 = SysRegId.of(3, 0, 12, 8, 3);
    public static final SysRegId ICC_AP0R0_EL1 = SysRegId.of(3, 0, 12, 8, 4);
    public static final SysRegId ICC_AP1R0_EL1 = SysRegId.of(3, 0, 12, 9, 0);
    public static final SysRegId ICC_DIR_EL1 = SysRegId.of(3, 0, 12, 11, 1);
    public static final SysRegId ICC_RPR_EL1 = SysRegId.of(3, 0, 12, 11, 3);
    public static final SysRegId ICC_SGI1R_EL1 = SysRegId.of(3, 0, 12, 11, 5);
    public static final SysRegId ICC_ASGI1R_EL1 = SysRegId.of(3, 0, 12, 11, 6);
    public static final SysRegId ICC_SGI0R_EL1 = SysRegId.of(3, 0, 12, 11, 7);
    public static final SysRegId ICC_IAR1_EL1 = SysRegId.of(3, 0, 12, 12, 0);
    public static final SysRegId ICC_EOIR1_EL1 = SysRegId.of(3, 0, 12, 12, 1);
    public static final SysRegId ICC_HPPIR1_EL1 = SysRegId.of(3, 0, 12, 12, 2);
    public static final SysRegId ICC_BPR1_EL1 = SysRegId.of(3, 0, 12, 12, 3);
    public static final SysRegId ICC_CTLR_EL1 = SysRegId.of(3, 0, 12, 12, 4);
    public static final SysRegId ICC_SRE_EL1 = SysRegId.of(3, 0, 12, 12, 5);
    public static final SysRegId ICC_IGRPEN0_EL1 = SysRegId.of(3, 0, 12, 12, 6);
    public static final SysRegId ICC_IGRPEN1_EL1 = SysRegId.of(3, 0, 12, 12, 7);

    /** Every system register this controller serves. */
    public static final List<SysRegId> SYSTEM_REGISTERS = List.of(
            ICC_PMR_EL1, ICC_IAR0_EL1, ICC_EOIR0_EL1, ICC_HPPIR0_EL1, ICC_BPR0_EL1, ICC_AP0R0_EL1,
            ICC_AP1R0_EL1, ICC_DIR_EL1, ICC_RPR_EL1, ICC_SGI1R_EL1, ICC_ASGI1R_EL1, ICC_SGI0R_EL1,
            ICC_IAR1_EL1, ICC_EOIR1_EL1, ICC_HPPIR1_EL1, ICC_BPR1_EL1, ICC_CTLR_EL1, ICC_SRE_EL1,
            ICC_IGRPEN0_EL1, ICC_IGRPEN1_EL1);

    private static final int PMR = ICC_PMR_EL1.packed();
    private static final int IAR0 = ICC_IAR0_EL1.packed();
    private static final int EOIR0 = ICC_EOIR0_EL1.packed();
    private static final int HPPIR0 = ICC_HPPIR0_EL1.packed();
    private static final int BPR0 = ICC_BPR0_EL1.packed();
    private static final int AP0R0 = ICC_AP0R0_EL1.packed();
    private static final int AP1R0 = ICC_AP1R0_EL1.packed();
    private static final int DIR = ICC_DIR_EL1.packed();
    private static final int RPR = ICC_RPR_EL1.packed();
    private static final int SGI1R = ICC_SGI1R_EL1.packed();
    private static final int ASGI1R = ICC_ASGI1R_EL1.packed();
    private static final int SGI0R = ICC_SGI0R_EL1.packed();
    private static final int IAR1 = ICC_IAR1_EL1.packed();
    private static final int EOIR1 = ICC_EOIR1_EL1.packed();
    private static final int HPPIR1 = ICC_HPPIR1_EL1.packed();
    private static final int BPR1 = ICC_BPR1_EL1.packed();
    private static final int CTLR = ICC_CTLR_EL1.packed();
    private static final int SRE = ICC_SRE_EL1.packed();
    private static final int IGRPEN0 = ICC_IGRPEN0_EL1.packed();
    private static final int IGRPEN1 = ICC_IGRPEN1_EL1.packed();

    static final long ICC_CTLR_CBPR = 1L << 0;
    static final long ICC_CTLR_EOIMODE = 1L << 1;
    static final long ICC_CTLR_PRIBITS = (long) (GicCore.PRIORITY_BITS - 1) << 8;
    static final long ICC_CTLR_A3V = 1L << 15;
    /** SRE | DFB | DIB: system register interface enabled, bypass disabled. */
    static final long ICC_SRE_VALUE = 0x7;

    static final long SGIR_TARGETS = 0xFFFFL;
    static final long SGIR_IRM = 1L << 40;
    /** Aff1 [23:16], Aff2 [39:32], RS [47:44], Aff3 [55:48]: all must be 0 to reach our CPU. */
    static final long SGIR_AFFINITY_RS = 0xFFL << 16 | 0xFFL << 32 | 0xFL << 44 | 0xFFL << 48;

    // ---- distributor register map ----
    static final int GICD_CTLR = 0x0000;
    static final int GICD_TYPER = 0x0004;
    static final int GICD_IIDR = 0x0008;
    static final int GICD_TYPER2 = 0x000C;
    static final int GICD_STATUSR = 0x0010;
    static final int GICD_IGROUPR = 0x0080;
    static final int GICD_ISENABLER = 0x0100;
    static final int GICD_ICENABLER = 0x0180;
    static final int GICD_ISPENDR = 0x0200;
    static final int GICD_ICPENDR = 0x0280;
    static final int GICD_ISACTIVER = 0x0300;
    static final int GICD_ICACTIVER = 0x0380;
    static final int GICD_IPRIORITYR = 0x0400;
    static final int GICD_ITARGETSR = 0x0800;
    static final int GICD_ICFGR = 0x0C00;
    static final int GICD_IGRPMODR = 0x0D00;
    static final int GICD_NSACR = 0x0E00;
    static final int GICD_SGIR = 0x0F00;
    static final int GICD_CPENDSGIR = 0x0F10;
    static final int GICD_SPENDSGIR = 0x0F20;
    static final int GICD_IROUTER = 0x6000;
    /** End (exclusive) of GICD_IROUTER<n>, n < 1020. */
    static final int GICD_IROUTER_LIMIT = GICD_IROUTER + 8 * 1020;
    static final int ID_BASE = 0xFFD0;

    static final int GICD_CTLR_ENABLE_MASK = 0x3;
    static final int GICD_CTLR_ARE = 1 << 4;
    static final int GICD_CTLR_DS = 1 << 6;
    static final int GICD_IIDR_VALUE = 0x0000_043B;
    static final long IROUTER_IRM = 1L << 31;
    static final long IROUTER_MASK = 0xFFL << 32 | IROUTER_IRM | 0xFF_FFFFL;

    // ---- redistributor register map (RD_base frame; SGI_base frame at +0x10000) ----
    static final int GICR_CTLR = 0x0000;
    static final int GICR_IIDR = 0x0004;
    static final int GICR_TYPER = 0x0008;
    static final int GICR_STATUSR = 0x0010;
    static final int GICR_WAKER = 0x0014;
    static final int GICR_PROPBASER = 0x0070;
    static final int GICR_PENDBASER = 0x0078;
    static final int SGI_BASE = 0x1_0000;
    static final int GICR_IGROUPR0 = SGI_BASE + 0x0080;
    static final int GICR_ISENABLER0 = SGI_BASE + 0x0100;
    static final int GICR_ICENABLER0 = SGI_BASE + 0x0180;
    static final int GICR_ISPENDR0 = SGI_BASE + 0x0200;
    static final int GICR_ICPENDR0 = SGI_BASE + 0x0280;
    static final int GICR_ISACTIVER0 = SGI_BASE + 0x0300;
    static final int GICR_ICACTIVER0 = SGI_BASE + 0x0380;
    static final int GICR_IPRIORITYR = SGI_BASE + 0x0400;
    static final int GICR_ICFGR0 = SGI_BASE + 0x0C00;
    static final int GICR_ICFGR1 = SGI_BASE + 0x0C04;
    static final int GICR_IGRPMODR0 = SGI_BASE + 0x0D00;
    static final int GICR_NSACR = SGI_BASE + 0x0E00;
    static final long GICR_TYPER_LAST = 1L << 4;
    static final int WAKER_PROCESSOR_SLEEP = 1 << 1;
    static final int WAKER_CHILDREN_ASLEEP = 1 << 2;

    /** PIDR4..PIDR7, PIDR0..PIDR3, CIDR0..CIDR3 from 0xFFD0 (PIDR2 = 0x3B: architecture revision 3). */
    private static final int[] ID_REGS = {0x44, 0x00, 0x00, 0x00, 0x92, 0xB4, 0x3B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

    private static final String NAME = "gicv3";

    private final long[] irouter;
    private boolean processorSleep = true;
    private final Distributor dist;
    private final Redistributor redist;

    /** The distributor's window, and one redistributor's (RD_base + SGI_base frames). */
    public static final long DIST_SIZE = 0x1_0000;
    public static final long REDIST_SIZE = 0x2_0000;

    /**
     * @param redistBase the one redistributor (128 KiB: RD_base, SGI_base)
     * @param nSpi number of SPIs, 0..{@value #MAX_SPIS} (INTIDs 32..32+nSpi-1)
     */
    public GicV3(long distBase, long redistBase, int nSpi, GuestLog log) {
        super("GICv3", nSpi, MAX_SPIS, true, log);
        this.irouter = new long[32 + nSpi];
        this.dist = new Distributor(distBase);
        this.redist = new Redistributor(redistBase);
    }

    @Override
    public List<MmioDevice> mmioDevices() {
        return List.of(dist, redist);
    }

    public MmioDevice distributor() {
        return dist;
    }

    public MmioDevice redistributor() {
        return redist;
    }

    @Override
    public int version() {
        return 3;
    }

    @Override
    public void reset() {
        Arrays.fill(irouter, 0);
        processorSleep = true;
        core.resetState(true);
    }

    // ---- snapshot ----

    /** Complete GICv3 state. */
    public record State(int nSpi, GicCore.State core, long[] irouter, boolean processorSleep) implements GicState {
        public State {
            irouter = irouter.clone();
        }

        @Override
        public long[] irouter() {
            return irouter.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && nSpi == s.nSpi && Objects.equals(core, s.core)
                    && Arrays.equals(irouter, s.irouter) && processorSleep == s.processorSleep;
        }

        @Override
        public int hashCode() {
            return Objects.hash(nSpi, core, Arrays.hashCode(irouter), processorSleep);
        }

        @Override
        public String toString() {
            return "GicV3.State[nSpi=" + nSpi + ", core=" + core + ", processorSleep=" + processorSleep + "]";
        }
    }

    @Override
    public State saveState() {
        return new State(nSpi, core.save(), irouter, processorSleep);
    }

    @Override
    public void restoreState(GicState state) {
        if (!(state instanceof State s)) {
            throw new IllegalArgumentException("not a GICv3 state: " + (state == null ? "null" : state.getClass().getName()));
        }
        if (s != checked) {
            check(s);
            checked = s; // states are immutable: a fuzz restore checks once
        }
        System.arraycopy(s.irouter, 0, irouter, 0, irouter.length);
        processorSleep = s.processorSleep();
        core.restore(s.core());
    }

    /** The last state {@link #check}ed. */
    private State checked;

    private void check(State s) {
        if (s.nSpi() != nSpi || s.core() == null || s.irouter.length != irouter.length) {
            throw new IllegalArgumentException("GICv3 state for " + s.nSpi() + " SPIs, controller has " + nSpi);
        }
        String err = core.check(s.core());
        if (err == null) {
            int[] flags = s.core().irq();
            for (int i = 0; i < irouter.length && err == null; i++) {
                if ((s.irouter[i] & ~IROUTER_MASK) != 0 || (i < 32 && s.irouter[i] != 0)) {
                    err = "corrupt IROUTER of INTID " + i;
                } else if (((flags[i] & GicCore.ROUTED) != 0) != routesToUs(i, s.irouter[i])) {
                    err = "routing of INTID " + i + " disagrees with its IROUTER";
                }
            }
        }
        if (err != null) {
            throw new IllegalArgumentException("GICv3 state: " + err);
        }
    }

    private static boolean routesToUs(int intid, long route) {
        return intid < 32 || (route & IROUTER_IRM) != 0 || (route & ~IROUTER_IRM) == 0;
    }

    // ---- CPU interface (system registers) ----

    @Override
    public boolean handles(SysRegId reg) {
        return SYSTEM_REGISTERS.contains(reg);
    }

    @Override
    public long read(SysRegId reg) {
        int r = reg.packed();
        if (r == IAR1) {
            return acknowledge(1);
        } else if (r == IAR0) {
            return acknowledge(0);
        } else if (r == HPPIR1) {
            return hppir(1);
        } else if (r == HPPIR0) {
            return hppir(0);
        } else if (r == PMR) {
            return core.pmr;
        } else if (r == RPR) {
            return Math.min(0xFF, core.runningPriority());
        } else if (r == CTLR) {
            return (core.cbpr ? ICC_CTLR_CBPR : 0) | (core.eoiMode ? ICC_CTLR_EOIMODE : 0) | ICC_CTLR_PRIBITS | ICC_CTLR_A3V;
        } else if (r == BPR0) {
            return core.bpr0;
        } else if (r == BPR1) {
            return core.cbpr ? Math.min(core.bpr0 + 1, 7) : core.bpr1;
        } else if (r == IGRPEN0) {
            return core.cpuEnable & 1;
        } else if (r == IGRPEN1) {
            return (core.cpuEnable >>> 1) & 1;
        } else if (r == SRE) {
            return ICC_SRE_VALUE;
        } else if (r == AP0R0) {
            return Integer.toUnsignedLong(core.apr0);
        } else if (r == AP1R0) {
            return Integer.toUnsignedLong(core.apr1);
        } else if (r == EOIR0 || r == EOIR1 || r == DIR || r == SGI0R || r == SGI1R || r == ASGI1R) {
            log.error(NAME, "read of write-only " + reg);
            return 0;
        }
        log.error(NAME, "read of unknown system register " + reg);
        return 0;
    }

    @Override
    public void write(SysRegId reg, long value) {
        int r = reg.packed();
        if (r == EOIR1) {
            endOfInterrupt(1, value);
        } else if (r == EOIR0) {
            endOfInterrupt(0, value);
        } else if (r == DIR) {
            deactivate(value);
        } else if (r == PMR) {
            core.pmr = (int) value & GicCore.PRIORITY_MASK;
            core.update();
        } else if (r == SGI1R || r == ASGI1R || r == SGI0R) {
            generateSgi(value);
        } else if (r == CTLR) {
            core.cbpr = (value & ICC_CTLR_CBPR) != 0;
            core.eoiMode = (value & ICC_CTLR_EOIMODE) != 0;
            core.update();
        } else if (r == BPR0) {
            core.bpr0 = Math.max(GicCore.MIN_BPR0, (int) value & 7);
            core.update();
        } else if (r == BPR1) {
            if (!core.cbpr) {
                core.bpr1 = Math.max(GicCore.MIN_BPR1, (int) value & 7);
                core.update();
            }
        } else if (r == IGRPEN0) {
            core.cpuEnable = (core.cpuEnable & 2) | (int) (value & 1);
            core.update();
        } else if (r == IGRPEN1) {
            core.cpuEnable = (core.cpuEnable & 1) | (int) (value & 1) << 1;
            core.update();
        } else if (r == SRE) {
            if ((value & 1) == 0) {
                log.error(NAME, "ICC_SRE_EL1.SRE cannot be cleared (no memory-mapped CPU interface)");
            }
        } else if (r == AP0R0) {
            core.setApr(0, (int) value);
        } else if (r == AP1R0) {
            core.setApr(1, (int) value);
        } else if (r == IAR0 || r == IAR1 || r == HPPIR0 || r == HPPIR1 || r == RPR) {
            log.error(NAME, "write to read-only " + reg);
        } else {
            log.error(NAME, "write to unknown system register " + reg);
        }
    }

    private int acknowledge(int group) {
        int h = core.hppi();
        if (h == GicCore.SPURIOUS || core.group(h) != group || !core.canSignal(h)) {
            return GicCore.SPURIOUS;
        }
        return core.activate(h);
    }

    private int hppir(int group) {
        int h = core.hppi();
        return h != GicCore.SPURIOUS && core.group(h) == group ? h : GicCore.SPURIOUS;
    }

    private void endOfInterrupt(int group, long value) {
        String reg = group == 0 ? "ICC_EOIR0_EL1" : "ICC_EOIR1_EL1";
        long intid = value & 0xFF_FFFFL;
        if (intid >= GicCore.FIRST_SPECIAL && intid <= GicCore.SPURIOUS) {
            return;
        }
        if (!core.valid((int) intid)) {
            log.error(NAME, reg + " of unimplemented INTID " + intid);
            return;
        }
        int id = (int) intid;
        if (!core.dropPriority(group)) {
            log.error(NAME, reg + " of INTID " + id + " with no active Group " + group + " priority");
            return;
        }
        if (!core.eoiMode) {
            if (!core.has(id, GicCore.ACTIVE)) {
                log.error(NAME, reg + " of INTID " + id + " that is not active");
            }
            core.deactivate(id);
        }
    }

    private void deactivate(long value) {
        long intid = value & 0xFF_FFFFL;
        if (intid >= GicCore.FIRST_SPECIAL && intid <= GicCore.SPURIOUS) {
            return;
        }
        if (!core.valid((int) intid)) {
            log.error(NAME, "ICC_DIR_EL1 of unimplemented INTID " + intid);
            return;
        }
        if (!core.eoiMode) {
            log.error(NAME, "ICC_DIR_EL1 write with EOImode 0 ignored");
            return;
        }
        core.deactivate((int) intid);
    }

    private void generateSgi(long value) {
        int sgi = (int) (value >>> 24) & 0xF;
        if ((value & SGIR_IRM) != 0) {
            return; // all PEs but self: there is no other PE
        }
        if ((value & SGIR_AFFINITY_RS) == 0 && (value & 1) != 0) {
            core.setFlag(sgi, GicCore.LATCH, true);
        }
    }

    // ---- shared MMIO helpers ----

    private boolean accessOk(String frame, String op, long offset, int size, long frameSize, boolean bytesOk, boolean quadOk) {
        boolean ok = offset >= 0 && offset < frameSize && (offset & (size - 1)) == 0
                && (size == 4 || (size == 1 && bytesOk) || (size == 8 && quadOk));
        if (!ok) {
            log.error(NAME, "bad " + frame + " " + op + " of size " + size + " at offset 0x" + Long.toHexString(offset));
        }
        return ok;
    }

    private static int idReg(int off) {
        return ID_REGS[(off - ID_BASE) / 4];
    }

    private long readPriorities(int firstIntid, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            int id = firstIntid + i;
            v |= core.valid(id) ? (long) core.priority(id) << (8 * i) : 0;
        }
        return v;
    }

    private void writePriorities(int firstIntid, int size, long value) {
        for (int i = 0; i < size; i++) {
            int id = firstIntid + i;
            if (core.valid(id)) {
                core.setPriority(id, (int) (value >>> (8 * i)) & 0xFF);
            }
        }
    }

    private void setRoute(int intid, long value) {
        irouter[intid] = value & IROUTER_MASK;
        core.setFlag(intid, GicCore.ROUTED, routesToUs(intid, irouter[intid]));
    }

    // ---- distributor ----

    private final class Distributor implements MmioDevice {
        private final long base;

        Distributor(long base) {
            this.base = base;
        }

        @Override
        public String name() {
            return "gicv3-dist";
        }

        @Override
        public long base() {
            return base;
        }

        @Override
        public long size() {
            return DIST_SIZE;
        }

        @Override
        public void reset() {
            GicV3.this.reset();
        }

        private boolean byteOk(long off) {
            return (off >= GICD_IPRIORITYR && off < GICD_ICFGR) || (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10);
        }

        private boolean quadOk(long off) {
            return off >= GICD_IROUTER && off < GICD_IROUTER_LIMIT;
        }

        /** Bit banks of INTIDs 0..31 belong to the redistributor under affinity routing: RAZ/WI here. */
        private int spiMask(int first) {
            return first == 0 ? 0 : -1;
        }

        @Override
        public long read(long offset, int size) {
            if (!accessOk("distributor", "read", offset, size, size(), byteOk(offset), quadOk(offset))) {
                return 0;
            }
            int off = (int) offset;
            if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
                int first = off - GICD_IPRIORITYR;
                return first < 32 ? 0 : readPriorities(first, size);
            }
            if ((off >= GICD_ITARGETSR && off < GICD_ICFGR) || (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10)) {
                return 0; // affinity routing: RAZ/WI
            }
            if (off >= GICD_IROUTER && off < GICD_IROUTER_LIMIT) {
                int id = (off - GICD_IROUTER) / 8;
                long v = id >= 32 && core.valid(id) ? irouter[id] : 0;
                return size == 8 ? v : (off & 4) != 0 ? v >>> 32 : v & 0xFFFF_FFFFL;
            }
            return Integer.toUnsignedLong(readWord(off));
        }

        private int readWord(int off) {
            if (off == GICD_CTLR) {
                return core.distEnable | GICD_CTLR_ARE | GICD_CTLR_DS;
            } else if (off == GICD_TYPER) {
                // ITLinesNumber, CPUNumber 0, no security, IDbits = 10 bits (9), A3V.
                return ((core.nIrq + 31) / 32 - 1) | (9 << 19) | (1 << 24);
            } else if (off == GICD_IIDR) {
                return GICD_IIDR_VALUE;
            } else if (off == GICD_TYPER2 || off == GICD_STATUSR) {
                return 0;
            } else if (off >= GICD_IGROUPR && off < GICD_ISENABLER) {
                int first = (off - GICD_IGROUPR) * 8;
                return core.readBank(GicCore.Bank.GROUP, first) & spiMask(first);
            } else if (off >= GICD_ISENABLER && off < GICD_ISPENDR) {
                int first = (off & 0x7F) * 8;
                return core.readBank(GicCore.Bank.ENABLE, first) & spiMask(first);
            } else if (off >= GICD_ISPENDR && off < GICD_ISACTIVER) {
                int first = (off & 0x7F) * 8;
                return core.readBank(GicCore.Bank.PENDING, first) & spiMask(first);
            } else if (off >= GICD_ISACTIVER && off < GICD_IPRIORITYR) {
                int first = (off & 0x7F) * 8;
                return core.readBank(GicCore.Bank.ACTIVE, first) & spiMask(first);
            } else if (off >= GICD_ICFGR && off < GICD_IGRPMODR) {
                int first = (off - GICD_ICFGR) * 4;
                return first < 32 ? 0 : core.readConfig(first);
            } else if ((off >= GICD_IGRPMODR && off < GICD_SGIR)) {
                return 0; // IGRPMODR, NSACR: RAZ/WI with DS=1
            } else if (off >= ID_BASE) {
                return idReg(off);
            } else if (off == GICD_SGIR) {
                log.error(NAME, "read of write-only GICD_SGIR");
                return 0;
            }
            log.error(NAME, "read of unknown distributor offset 0x" + Integer.toHexString(off));
            return 0;
        }

        @Override
        public void write(long offset, int size, long value) {
            if (!accessOk("distributor", "write", offset, size, size(), byteOk(offset), quadOk(offset))) {
                return;
            }
            int off = (int) offset;
            if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
                int first = off - GICD_IPRIORITYR;
                if (first >= 32) {
                    writePriorities(first, size, value);
                }
                return;
            }
            if ((off >= GICD_ITARGETSR && off < GICD_ICFGR) || (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10)) {
                return;
            }
            if (off >= GICD_IROUTER && off < GICD_IROUTER_LIMIT) {
                int id = (off - GICD_IROUTER) / 8;
                if (id < 32 || !core.valid(id)) {
                    return; // reserved / unimplemented: RAZ/WI
                }
                long v = irouter[id];
                if (size == 8) {
                    v = value;
                } else if ((off & 4) != 0) {
                    v = (v & 0xFFFF_FFFFL) | (value & 0xFFFF_FFFFL) << 32;
                } else {
                    v = (v & ~0xFFFF_FFFFL) | (value & 0xFFFF_FFFFL);
                }
                setRoute(id, v);
                return;
            }
            int v = (int) value;
            if (off == GICD_CTLR) {
                core.distEnable = v & GICD_CTLR_ENABLE_MASK;
                core.update();
            } else if (off >= GICD_IGROUPR && off < GICD_ISENABLER) {
                int first = (off - GICD_IGROUPR) * 8;
                core.writeGroups(first, v, spiMask(first));
            } else if (off >= GICD_ISENABLER && off < GICD_ICENABLER) {
                int first = (off & 0x7F) * 8;
                core.setBank(GicCore.Bank.ENABLE, first, v & spiMask(first));
            } else if (off >= GICD_ICENABLER && off < GICD_ISPENDR) {
                int first = (off & 0x7F) * 8;
                core.clearBank(GicCore.Bank.ENABLE, first, v & spiMask(first));
            } else if (off >= GICD_ISPENDR && off < GICD_ICPENDR) {
                int first = (off & 0x7F) * 8;
                core.setBank(GicCore.Bank.PENDING, first, v & spiMask(first));
            } else if (off >= GICD_ICPENDR && off < GICD_ISACTIVER) {
                int first = (off & 0x7F) * 8;
                core.clearBank(GicCore.Bank.PENDING, first, v & spiMask(first));
            } else if (off >= GICD_ISACTIVER && off < GICD_ICACTIVER) {
                int first = (off & 0x7F) * 8;
                core.setBank(GicCore.Bank.ACTIVE, first, v & spiMask(first));
            } else if (off >= GICD_ICACTIVER && off < GICD_IPRIORITYR) {
                int first = (off & 0x7F) * 8;
                core.clearBank(GicCore.Bank.ACTIVE, first, v & spiMask(first));
            } else if (off >= GICD_ICFGR && off < GICD_IGRPMODR) {
                int first = (off - GICD_ICFGR) * 4;
                if (first >= 32) {
                    core.writeConfig(first, v);
                }
            } else if (off >= GICD_IGRPMODR && off < GICD_SGIR) {
                // IGRPMODR, NSACR: RAZ/WI with DS=1
            } else if (off == GICD_SGIR) {
                log.error(NAME, "GICD_SGIR write ignored: affinity routing is enabled (use ICC_SGI1R_EL1)");
            } else if (off == GICD_TYPER || off == GICD_IIDR || off == GICD_TYPER2 || off >= ID_BASE) {
                log.error(NAME, "write to read-only distributor register 0x" + Integer.toHexString(off));
            } else if (off == GICD_STATUSR) {
                // RAZ/WI
            } else {
                log.error(NAME, "write to unknown distributor offset 0x" + Integer.toHexString(off));
            }
        }
    }

    // ---- redistributor ----

    private final class Redistributor implements MmioDevice {
        private final long base;

        Redistributor(long base) {
            this.base = base;
        }

        @Override
        public String name() {
            return "gicv3-redist";
        }

        @Override
        public long base() {
            return base;
        }

        @Override
        public long size() {
            return REDIST_SIZE;
        }

        @Override
        public void reset() {
            GicV3.this.reset();
        }

        private boolean byteOk(long off) {
            return off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + 32;
        }

        private boolean quadOk(long off) {
            return off == GICR_TYPER || off == GICR_PROPBASER || off == GICR_PENDBASER;
        }

        @Override
        public long read(long offset, int size) {
            if (!accessOk("redistributor", "read", offset, size, size(), byteOk(offset), quadOk(offset))) {
                return 0;
            }
            int off = (int) offset;
            if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + 32) {
                return readPriorities(off - GICR_IPRIORITYR, size);
            }
            if (off == GICR_TYPER) {
                // Processor number 0, affinity 0.0.0.0, Last; no physical LPIs.
                return size == 8 ? GICR_TYPER_LAST : GICR_TYPER_LAST & 0xFFFF_FFFFL;
            }
            if (off == GICR_TYPER + 4) {
                return 0;
            }
            return Integer.toUnsignedLong(switch (off) {
                case GICR_CTLR, GICR_STATUSR, GICR_PROPBASER, GICR_PROPBASER + 4, GICR_PENDBASER, GICR_PENDBASER + 4 -> 0;
                case GICR_IIDR -> GICD_IIDR_VALUE;
                case GICR_WAKER -> processorSleep ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
                case GICR_IGROUPR0 -> core.readBank(GicCore.Bank.GROUP, 0);
                case GICR_ISENABLER0, GICR_ICENABLER0 -> core.readBank(GicCore.Bank.ENABLE, 0);
                case GICR_ISPENDR0, GICR_ICPENDR0 -> core.readBank(GicCore.Bank.PENDING, 0);
                case GICR_ISACTIVER0, GICR_ICACTIVER0 -> core.readBank(GicCore.Bank.ACTIVE, 0);
                case GICR_ICFGR0 -> core.readConfig(0);
                case GICR_ICFGR1 -> core.readConfig(16);
                case GICR_IGRPMODR0, GICR_NSACR -> 0;
                default -> {
                    if (off >= ID_BASE && off < 0x1_0000) {
                        yield idReg(off);
                    }
                    log.error(NAME, "read of unknown redistributor offset 0x" + Integer.toHexString(off));
                    yield 0;
                }
            });
        }

        @Override
        public void write(long offset, int size, long value) {
            if (!accessOk("redistributor", "write", offset, size, size(), byteOk(offset), quadOk(offset))) {
                return;
            }
            int off = (int) offset;
            if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + 32) {
                writePriorities(off - GICR_IPRIORITYR, size, value);
                return;
            }
            int v = (int) value;
            switch (off) {
                case GICR_WAKER -> processorSleep = (v & WAKER_PROCESSOR_SLEEP) != 0;
                case GICR_CTLR, GICR_STATUSR, GICR_PROPBASER, GICR_PROPBASER + 4, GICR_PENDBASER, GICR_PENDBASER + 4,
                     GICR_IGRPMODR0, GICR_NSACR -> { } // no LPIs, single security state: RAZ/WI
                case GICR_IGROUPR0 -> core.writeGroups(0, v, -1);
                case GICR_ISENABLER0 -> core.setBank(GicCore.Bank.ENABLE, 0, v);
                case GICR_ICENABLER0 -> core.clearBank(GicCore.Bank.ENABLE, 0, v);
                case GICR_ISPENDR0 -> core.setBank(GicCore.Bank.PENDING, 0, v);
                case GICR_ICPENDR0 -> core.clearBank(GicCore.Bank.PENDING, 0, v);
                case GICR_ISACTIVER0 -> core.setBank(GicCore.Bank.ACTIVE, 0, v);
                case GICR_ICACTIVER0 -> core.clearBank(GicCore.Bank.ACTIVE, 0, v);
                case GICR_ICFGR0 -> { } // SGIs are always edge-triggered
                case GICR_ICFGR1 -> core.writeConfig(16, v);
                case GICR_IIDR, GICR_TYPER, GICR_TYPER + 4 ->
                        log.error(NAME, "write to read-only redistributor register 0x" + Integer.toHexString(off));
                default -> log.error(NAME, "write to unknown redistributor offset 0x" + Integer.toHexString(off));
            }
        }
    }
}
