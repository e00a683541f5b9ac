package dev.wirelab.emulator.device.gic;

import dev.wirelab.emulator.cpu.SysRegId;
import dev.wirelab.emulator.device.GuestLog;
import dev.wirelab.emulator.device.MmioDevice;

import java.util.List;

/**
 * Arm GICv2 (IHI 0048B) for one CPU, as QEMU virt's {@code gic-version=2}
 * without {@code secure=on}: a distributor frame and a memory-mapped CPU
 * interface frame.
 *
 * <p>Simplifications, as hardware allows them: no Security Extensions (both
 * groups are configured and acknowledged from the one view; GICC_CTLR has the
 * Secure-copy layout, EOImode is bit 9); uniprocessor, so ITARGETSR is RAZ/WI
 * and every interrupt targets the CPU; 8-bit priorities in the distributor, 5
 * implemented in the CPU interface (PMR 0xF8 mask, 32 active levels); SGIs have
 * one source (CPU 0). GICC_APR0 holds Group 0 active priorities, GICC_NSAPR0
 * Group 1. Difference from QEMU's default GICv2 (8 priority bits throughout):
 * GICC_PMR reads back masked to 0xF8 and the minimum GICC_BPR is 2. Bad
 * offsets, widths and IDs are logged to the {@link GuestLog} and ignored
 * (reads return 0).
 */
public final class GicV2 extends Gic {
    public static final int DEFAULT_SPIS = 64;
    public static final int MAX_SPIS = 256;

    // ---- distributor register map (offsets in the GICD frame) ----
    static final int GICD_CTLR = 0x000;
    static final int GICD_TYPER = 0x004;
    static final int GICD_IIDR = 0x008;
    static final int GICD_IGROUPR = 0x080;
    static final int GICD_ISENABLER = 0x100;
    static final int GICD_ICENABLER = 0x180;
    static final int GICD_ISPENDR = 0x200;
    static final int GICD_ICPENDR = 0x280;
    static final int GICD_ISACTIVER = 0x300;
    static final int GICD_ICACTIVER = 0x380;
    static final int GICD_IPRIORITYR = 0x400;
    static final int GICD_ITARGETSR = 0x800;
    static final int GICD_ICFGR = 0xC00;
    static final int GICD_SGIR = 0xF00;
    static final int GICD_CPENDSGIR = 0xF10;
    static final int GICD_SPENDSGIR = 0xF20;
    static final int GICD_PIDR4 = 0xFD0;
    static final int GICD_PIDR2 = 0xFE8;

    /** PIDR4..PIDR7, PIDR0..PIDR3, CIDR0..CIDR3 from 0xFD0 (PIDR2 = 0x2B: architecture revision 2). */
    private static final int[] ID_REGS = {0x04, 0x00, 0x00, 0x00, 0x90, 0xB4, 0x2B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
    static final int GICD_IIDR_VALUE = 0x0200_043B;

    static final int SGIR_FILTER_LIST = 0;
    static final int SGIR_FILTER_OTHERS = 1;
    static final int SGIR_FILTER_SELF = 2;

    // ---- CPU interface register map (offsets in the GICC frame) ----
    static final int GICC_CTLR = 0x00;
    static final int GICC_PMR = 0x04;
    static final int GICC_BPR = 0x08;
    static final int GICC_IAR = 0x0C;
    static final int GICC_EOIR = 0x10;
    static final int GICC_RPR = 0x14;
    static final int GICC_HPPIR = 0x18;
    static final int GICC_ABPR = 0x1C;
    static final int GICC_AIAR = 0x20;
    static final int GICC_AEOIR = 0x24;
    static final int GICC_AHPPIR = 0x28;
    static final int GICC_APR0 = 0xD0;
    static final int GICC_NSAPR0 = 0xE0;
    static final int GICC_IIDR = 0xFC;
    static final int GICC_DIR = 0x1000;
    static final int GICC_IIDR_VALUE = 0x0202_043B;

    static final int CTLR_ENABLE_GRP0 = 1 << 0;
    static final int CTLR_ENABLE_GRP1 = 1 << 1;
    static final int CTLR_ACKCTL = 1 << 2;
    static final int CTLR_FIQEN = 1 << 3;
    static final int CTLR_CBPR = 1 << 4;
    static final int CTLR_BYPASS = 0xF << 5;
    static final int CTLR_EOIMODE = 1 << 9;

    private static final String NAME = "gicv2";

    private final Distributor dist;
    private final CpuInterface cpu;
    private boolean ackCtl;
    private int bypass;

    /** The distributor's and the CPU interface's register windows. */
    public static final long DIST_SIZE = 0x1_0000;
    public static final long CPU_SIZE = 0x1_0000;

    /**
     * @param nSpi number of SPIs, 0..{@value #MAX_SPIS} (INTIDs 32..32+nSpi-1)
     */
    public GicV2(long distBase, long cpuBase, int nSpi, GuestLog log) {
        super("GICv2", nSpi, MAX_SPIS, false, log);
        this.dist = new Distributor(distBase);
        this.cpu = new CpuInterface(cpuBase);
    }

    @Override
    public List<MmioDevice> mmioDevices() {
        return List.of(dist, cpu);
    }

    public MmioDevice distributor() {
        return dist;
    }

    public MmioDevice cpuInterface() {
        return cpu;
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public void reset() {
        ackCtl = false;
        bypass = 0;
        core.resetState(false);
    }

    // A GICv2's CPU interface is memory-mapped: it owns no system register.
    @Override
    public boolean handles(SysRegId reg) {
        return false;
    }

    @Override
    public long read(SysRegId reg) {
        log.error(NAME, "system register " + reg + " is not a GICv2 register");
        return 0;
    }

    @Override
    public void write(SysRegId reg, long value) {
        log.error(NAME, "system register " + reg + " is not a GICv2 register");
    }

    // ---- snapshot ----

    /** Complete GICv2 state. */
    public record State(int nSpi, GicCore.State core, boolean ackCtl, int bypass) implements GicState { }

    @Override
    public State saveState() {
        return new State(nSpi, core.save(), ackCtl, bypass);
    }

    @Override
    public void restoreState(GicState state) {
        if (!(state instanceof State s)) {
            throw new IllegalArgumentException("not a GICv2 state: " + (state == null ? "null" : state.getClass().getName()));
        }
        if (s.nSpi() != nSpi || s.core() == null) {
            throw new IllegalArgumentException("GICv2 state for " + s.nSpi() + " SPIs, controller has " + nSpi);
        }
        String err = core.check(s.core());
        if (err == null && (s.bypass() & ~CTLR_BYPASS) != 0) {
            err = "corrupt bypass bits";
        }
        if (err == null) {
            for (int flags : s.core().irq()) {
                if ((flags & GicCore.ROUTED) == 0) {
                    err = "an interrupt is not routed to the CPU";
                    break;
                }
            }
        }
        if (err != null) {
            throw new IllegalArgumentException("GICv2 state: " + err);
        }
        ackCtl = s.ackCtl();
        bypass = s.bypass();
        core.restore(s.core());
    }

    // ---- CPU interface operations ----

    private int acknowledge(boolean group1Only) {
        int h = core.hppi();
        if (h == GicCore.SPURIOUS || !core.canSignal(h)) {
            return GicCore.SPURIOUS;
        }
        int g = core.group(h);
        if (group1Only ? g != 1 : (g == 1 && !ackCtl)) {
            return group1Only ? GicCore.SPURIOUS : GicCore.SPURIOUS_GROUP1;
        }
        // SGIs report their source CPU in bits [12:10]: always CPU 0 here.
        return core.activate(h);
    }

    private void endOfInterrupt(String reg, int value) {
        int intid = value & 0x3FF;
        if (intid >= GicCore.FIRST_SPECIAL) {
            return;
        }
        if (!core.valid(intid)) {
            log.error(NAME, reg + " of unimplemented INTID " + intid);
            return;
        }
        if (!core.dropHighest()) {
            log.error(NAME, reg + " of INTID " + intid + " with no active priority");
            return;
        }
        if (!core.eoiMode) {
            if (!core.has(intid, GicCore.ACTIVE)) {
                log.error(NAME, reg + " of INTID " + intid + " that is not active");
            }
            core.deactivate(intid);
        }
    }

    private void deactivateDir(int value) {
        int intid = value & 0x3FF;
        if (intid >= GicCore.FIRST_SPECIAL) {
            return;
        }
        if (!core.valid(intid)) {
            log.error(NAME, "GICC_DIR of unimplemented INTID " + intid);
            return;
        }
        if (!core.eoiMode) {
            log.error(NAME, "GICC_DIR write with EOImode 0 ignored");
            return;
        }
        core.deactivate(intid);
    }

    private int hppir(boolean group1Only) {
        int h = core.hppi();
        if (h == GicCore.SPURIOUS) {
            return h;
        }
        int g = core.group(h);
        if (group1Only) {
            return g == 1 ? h : GicCore.SPURIOUS;
        }
        return g == 1 && !ackCtl ? GicCore.SPURIOUS_GROUP1 : h;
    }

    private int readCtlr() {
        int v = (core.cpuEnable & 1) != 0 ? CTLR_ENABLE_GRP0 : 0;
        v |= (core.cpuEnable & 2) != 0 ? CTLR_ENABLE_GRP1 : 0;
        v |= ackCtl ? CTLR_ACKCTL : 0;
        v |= core.fiqEn ? CTLR_FIQEN : 0;
        v |= core.cbpr ? CTLR_CBPR : 0;
        v |= bypass;
        v |= core.eoiMode ? CTLR_EOIMODE : 0;
        return v;
    }

    private void writeCtlr(int v) {
        ackCtl = (v & CTLR_ACKCTL) != 0;
        bypass = v & CTLR_BYPASS;
        core.cbpr = (v & CTLR_CBPR) != 0;
        core.eoiMode = (v & CTLR_EOIMODE) != 0;
        core.fiqEn = (v & CTLR_FIQEN) != 0;
        core.cpuEnable = ((v & CTLR_ENABLE_GRP0) != 0 ? 1 : 0) | ((v & CTLR_ENABLE_GRP1) != 0 ? 2 : 0);
        core.update();
    }

    private static int clampBpr(int v, int min) {
        return Math.max(min, v & 7);
    }

    // ---- the two frames ----

    private final class Distributor implements MmioDevice {
        private final long base;

        Distributor(long base) {
            this.base = base;
        }

        @Override
        public String name() {
            return "gicv2-dist";
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
            GicV2.this.reset();
        }

        /** Byte-accessible banks: IPRIORITYR, ITARGETSR, CPENDSGIR, SPENDSGIR. */
        private boolean byteAccessible(int off) {
            return (off >= GICD_IPRIORITYR && off < GICD_ICFGR) || (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10);
        }

        private boolean widthOk(String op, long offset, int size) {
            int off = (int) offset;
            boolean ok = offset >= 0 && offset < size() && (size == 4 || (size == 1 && byteAccessible(off)))
                    && (offset & (size - 1)) == 0;
            if (!ok) {
                log.error(NAME, "bad distributor " + op + " of size " + size + " at offset 0x" + Long.toHexString(offset));
            }
            return ok;
        }

        @Override
        public long read(long offset, int size) {
            if (!widthOk("read", offset, size)) {
                return 0;
            }
            int off = (int) offset;
            if (byteAccessible(off)) {
                long v = 0;
                for (int i = 0; i < size; i++) {
                    v |= (long) readByte(off + i) << (8 * i);
                }
                return v;
            }
            return Integer.toUnsignedLong(readWord(off));
        }

        private int readByte(int off) {
            if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
                int id = off - GICD_IPRIORITYR;
                return core.valid(id) ? core.priority(id) : 0;
            }
            if (off >= GICD_ITARGETSR && off < GICD_ICFGR) {
                return 0; // uniprocessor: RAZ/WI
            }
            if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10) {
                int sgi = off & 0xF;
                return core.has(sgi, GicCore.LATCH) ? 1 : 0;
            }
            return 0;
        }

        private int readWord(int off) {
            if (off == GICD_CTLR) {
                return core.distEnable;
            }
            if (off == GICD_TYPER) {
                return (core.nIrq + 31) / 32 - 1; // ITLinesNumber; CPUNumber 0; no Security Extensions
            }
            if (off == GICD_IIDR) {
                return GICD_IIDR_VALUE;
            }
            if (off >= GICD_IGROUPR && off < GICD_ISENABLER) {
                return core.readBank(GicCore.Bank.GROUP, (off - GICD_IGROUPR) * 8);
            }
            if (off >= GICD_ISENABLER && off < GICD_ISPENDR) {
                return core.readBank(GicCore.Bank.ENABLE, (off & 0x7F) * 8);
            }
            if (off >= GICD_ISPENDR && off < GICD_ISACTIVER) {
                return core.readBank(GicCore.Bank.PENDING, (off & 0x7F) * 8);
            }
            if (off >= GICD_ISACTIVER && off < GICD_IPRIORITYR) {
                return core.readBank(GicCore.Bank.ACTIVE, (off & 0x7F) * 8);
            }
            if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
                return core.readConfig((off - GICD_ICFGR) * 4);
            }
            if (off == GICD_SGIR) {
                log.error(NAME, "read of write-only GICD_SGIR");
                return 0;
            }
            if (off >= GICD_PIDR4 && off < 0x1000) {
                return ID_REGS[(off - GICD_PIDR4) / 4];
            }
            log.error(NAME, "read of unknown distributor offset 0x" + Integer.toHexString(off));
            return 0;
        }

        @Override
        public void write(long offset, int size, long value) {
            if (!widthOk("write", offset, size)) {
                return;
            }
            int off = (int) offset;
            if (byteAccessible(off)) {
                for (int i = 0; i < size; i++) {
                    writeByte(off + i, (int) (value >>> (8 * i)) & 0xFF);
                }
                return;
            }
            writeWord(off, (int) value);
        }

        private void writeByte(int off, int v) {
            if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
                int id = off - GICD_IPRIORITYR;
                if (core.valid(id)) {
                    core.setPriority(id, v);
                }
            } else if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10) {
                int sgi = off & 0xF;
                if ((v & 1) != 0) {
                    core.setFlag(sgi, GicCore.LATCH, off >= GICD_SPENDSGIR);
                }
            }
            // ITARGETSR: RAZ/WI on a uniprocessor GIC.
        }

        private void writeWord(int off, int v) {
            if (off == GICD_CTLR) {
                core.distEnable = v & 3;
                core.update();
            } else if (off == GICD_TYPER || off == GICD_IIDR || (off >= GICD_PIDR4 && off < 0x1000)) {
                log.error(NAME, "write to read-only distributor register 0x" + Integer.toHexString(off));
            } else if (off >= GICD_IGROUPR && off < GICD_ISENABLER) {
                core.writeGroups((off - GICD_IGROUPR) * 8, v, -1);
            } else if (off >= GICD_ISENABLER && off < GICD_ICENABLER) {
                core.setBank(GicCore.Bank.ENABLE, (off & 0x7F) * 8, v);
            } else if (off >= GICD_ICENABLER && off < GICD_ISPENDR) {
                core.clearBank(GicCore.Bank.ENABLE, (off & 0x7F) * 8, v);
            } else if (off >= GICD_ISPENDR && off < GICD_ICPENDR) {
                // SGI pending bits are set through GICD_SPENDSGIR: WI here.
                core.setBank(GicCore.Bank.PENDING, (off & 0x7F) * 8, off == GICD_ISPENDR ? v & ~0xFFFF : v);
            } else if (off >= GICD_ICPENDR && off < GICD_ISACTIVER) {
                core.clearBank(GicCore.Bank.PENDING, (off & 0x7F) * 8, off == GICD_ICPENDR ? v & ~0xFFFF : v);
            } else if (off >= GICD_ISACTIVER && off < GICD_ICACTIVER) {
                core.setBank(GicCore.Bank.ACTIVE, (off & 0x7F) * 8, v);
            } else if (off >= GICD_ICACTIVER && off < GICD_IPRIORITYR) {
                core.clearBank(GicCore.Bank.ACTIVE, (off & 0x7F) * 8, v);
            } else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
                core.writeConfig((off - GICD_ICFGR) * 4, v);
            } else if (off == GICD_SGIR) {
                writeSgir(v);
            } else {
                log.error(NAME, "write to unknown distributor offset 0x" + Integer.toHexString(off));
            }
        }

        private void writeSgir(int v) {
            int sgi = v & 0xF;
            int filter = (v >>> 24) & 3;
            int targets = (v >>> 16) & 0xFF;
            boolean toUs = switch (filter) {
                case SGIR_FILTER_LIST -> (targets & 1) != 0;
                case SGIR_FILTER_OTHERS -> false;
                case SGIR_FILTER_SELF -> true;
                default -> {
                    log.error(NAME, "GICD_SGIR with reserved target list filter 3");
                    yield false;
                }
            };
            if (toUs) {
                core.setFlag(sgi, GicCore.LATCH, true);
            }
        }
    }

    private final class CpuInterface implements MmioDevice {
        private final long base;

        CpuInterface(long base) {
            this.base = base;
        }

        @Override
        public String name() {
            return "gicv2-cpu";
        }

        @Override
        public long base() {
            return base;
        }

        @Override
        public long size() {
            return CPU_SIZE;
        }

        @Override
        public void reset() {
            GicV2.this.reset();
        }

        private boolean widthOk(String op, long offset, int size) {
            boolean ok = size == 4 && offset >= 0 && offset < size() && (offset & 3) == 0;
            if (!ok) {
                log.error(NAME, "bad CPU interface " + op + " of size " + size + " at offset 0x" + Long.toHexString(offset));
            }
            return ok;
        }

        @Override
        public long read(long offset, int size) {
            if (!widthOk("read", offset, size)) {
                return 0;
            }
            int off = (int) offset;
            return Integer.toUnsignedLong(switch (off) {
                case GICC_CTLR -> readCtlr();
                case GICC_PMR -> core.pmr;
                case GICC_BPR -> core.bpr0;
                case GICC_IAR -> acknowledge(false);
                case GICC_RPR -> Math.min(0xFF, core.runningPriority());
                case GICC_HPPIR -> hppir(false);
                case GICC_ABPR -> core.cbpr ? Math.min(core.bpr0 + 1, 7) : core.bpr1;
                case GICC_AIAR -> acknowledge(true);
                case GICC_AHPPIR -> hppir(true);
                case GICC_APR0 -> core.apr0;
                case GICC_APR0 + 4, GICC_APR0 + 8, GICC_APR0 + 12 -> 0;
                case GICC_NSAPR0 -> core.apr1;
                case GICC_NSAPR0 + 4, GICC_NSAPR0 + 8, GICC_NSAPR0 + 12 -> 0;
                case GICC_IIDR -> GICC_IIDR_VALUE;
                case GICC_EOIR, GICC_AEOIR, GICC_DIR -> {
                    log.error(NAME, "read of write-only CPU interface register 0x" + Integer.toHexString(off));
                    yield 0;
                }
                default -> {
                    log.error(NAME, "read of unknown CPU interface offset 0x" + Integer.toHexString(off));
                    yield 0;
                }
            });
        }

        @Override
        public void write(long offset, int size, long value) {
            if (!widthOk("write", offset, size)) {
                return;
            }
            int off = (int) offset;
            int v = (int) value;
            switch (off) {
                case GICC_CTLR -> writeCtlr(v);
                case GICC_PMR -> {
                    core.pmr = v & GicCore.PRIORITY_MASK;
                    core.update();
                }
                case GICC_BPR -> {
                    core.bpr0 = clampBpr(v, GicCore.MIN_BPR0);
                    core.update();
                }
                case GICC_ABPR -> {
                    if (!core.cbpr) {
                        core.bpr1 = clampBpr(v, GicCore.MIN_BPR1);
                        core.update();
                    }
                }
                case GICC_EOIR -> endOfInterrupt("GICC_EOIR", v);
                case GICC_AEOIR -> endOfInterrupt("GICC_AEOIR", v);
                case GICC_DIR -> deactivateDir(v);
                case GICC_APR0 -> core.setApr(0, v);
                case GICC_NSAPR0 -> core.setApr(1, v);
                case GICC_APR0 + 4, GICC_APR0 + 8, GICC_APR0 + 12,
                     GICC_NSAPR0 + 4, GICC_NSAPR0 + 8, GICC_NSAPR0 + 12 -> { }
                case GICC_IAR, GICC_RPR, GICC_HPPIR, GICC_AIAR, GICC_AHPPIR, GICC_IIDR ->
                        log.error(NAME, "write to read-only CPU interface register 0x" + Integer.toHexString(off));
                default -> log.error(NAME, "write to unknown CPU interface offset 0x" + Integer.toHexString(off));
            }
        }
    }
}
