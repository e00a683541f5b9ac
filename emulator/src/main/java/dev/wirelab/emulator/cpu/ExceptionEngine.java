package dev.wirelab.emulator.cpu;

import dev.wirelab.emulator.unicorn.Arm64Reg;
import dev.wirelab.emulator.unicorn.RegBatch;
import dev.wirelab.emulator.unicorn.Unicorn;

/**
 * Architectural exception entry to EL1, done by the host because Unicorn never
 * enters the guest's vectors (Unicorn 2.1.4). Writes SPSR/ELR/ESR/FAR, banks the
 * stack pointer, switches PSTATE to EL1h with DAIF masked and jumps to
 * VBAR_EL1 + the vector offset. {@code eret} is left to the CPU, which
 * restores all of it correctly.
 */
public final class ExceptionEngine {
    // Exception classes (ESR_ELx.EC), Arm ARM D17.2.37.
    public static final int EC_UNKNOWN = 0x00;
    public static final int EC_SVC64 = 0x15;
    public static final int EC_HVC64 = 0x16;
    public static final int EC_SMC64 = 0x17;
    public static final int EC_IABT_LOWER = 0x20;
    public static final int EC_IABT_CURRENT = 0x21;
    public static final int EC_DABT_LOWER = 0x24;
    public static final int EC_DABT_CURRENT = 0x25;
    public static final int EC_BRK64 = 0x3c;
    /** ESR.IL: the trapped instruction was 32 bits. */
    public static final long ESR_IL = 1L << 25;

    // Fault status codes (DFSC/IFSC).
    public static final int FSC_TRANSLATION = 0x04;
    public static final int FSC_ACCESS_FLAG = 0x08;
    public static final int FSC_PERMISSION = 0x0c;
    public static final int FSC_EXTERNAL = 0x10;

    /** Vector table slot groups (offset of the group within VBAR). */
    public enum Kind {
        SYNC(0x000), IRQ(0x080), FIQ(0x100), SERROR(0x180);

        final int offset;

        Kind(int offset) {
            this.offset = offset;
        }
    }

    private static final long PSTATE_NZCV = 0xf000_0000L;
    private static final long PSTATE_EL1H_MASKED = 0x3c5;
    public static final long PSTATE_I = 1L << 7;
    public static final long PSTATE_F = 1L << 6;

    private final Unicorn uc;
    /** What an entry reads (PSTATE, SP, SP_EL1, VBAR_EL1, PC) and writes, each in one downcall. */
    private final RegBatch in;
    private final RegBatch out;
    private static final int IN_PSTATE = 0, IN_SP = 1, IN_SP_EL1 = 2, IN_VBAR = 3, IN_PC = 4;

    public ExceptionEngine(Unicorn uc) {
        this.uc = uc;
        this.in = uc.batch(5);
        this.out = uc.batch(10);
        in.reg(Arm64Reg.PSTATE, 0);
        in.reg(Arm64Reg.SP, 0);
        in.reg(Arm64Reg.SP_EL1, 0);
        in.reg(Arm64Reg.VBAR_EL1, 0);
        in.reg(Arm64Reg.PC, 0);
    }

    /** Exception level the CPU is at (0 or 1). */
    public int currentEl() {
        return (int) ((uc.readReg(Arm64Reg.PSTATE) >>> 2) & 3);
    }

    public long pstate() {
        return uc.readReg(Arm64Reg.PSTATE);
    }

    public long vbar() {
        return uc.readSysReg(3, 0, 12, 0, 0);
    }

    /** The vector this exception would enter, without entering it. */
    public long vectorFor(Kind kind) {
        return vbar() + groupOffset(pstate()) + kind.offset;
    }

    private static long groupOffset(long pstate) {
        int el = (int) ((pstate >>> 2) & 3);
        boolean spx = (pstate & 1) != 0;
        if (el == 0) {
            return 0x400; // lower EL, AArch64
        }
        return spx ? 0x200 : 0x000;
    }

    /**
     * Takes an exception to EL1. {@code esr} and {@code far} are written only
     * for synchronous exceptions ({@code far < 0}: leave FAR alone). Returns the
     * vector address now in PC.
     */
    public long enter(Kind kind, long returnPc, long esr, long far) {
        readState();
        return enterRead(kind, returnPc, esr, far);
    }

    /**
     * IRQ/FIQ entry at the current PC for the asserted inputs PSTATE does not mask
     * (FIQ first): returns the kind taken (then {@link #lastReturnPc} is where it was
     * taken), or null when both are masked and nothing changed.
     */
    public Kind enterInterrupt(boolean irq, boolean fiq) {
        readState();
        long pstate = in.value(IN_PSTATE);
        Kind kind;
        if (fiq && (pstate & PSTATE_F) == 0) {
            kind = Kind.FIQ;
        } else if (irq && (pstate & PSTATE_I) == 0) {
            kind = Kind.IRQ;
        } else {
            return null;
        }
        enterRead(kind, in.value(IN_PC), 0, -1);
        return kind;
    }

    /** The return address of the last entry (the PC an interrupt was taken at). */
    public long lastReturnPc() {
        return lastReturnPc;
    }

    /** The vector the last entry jumped to. */
    public long lastVector() {
        return lastVector;
    }

    private long lastReturnPc = -1;
    private long lastVector = -1;

    private void readState() {
        in.read();
    }

    /** The entry itself from the state {@link #readState} read; the writes go in one batch, in this order. */
    private long enterRead(Kind kind, long returnPc, long esr, long far) {
        long old = in.value(IN_PSTATE);
        boolean onSpEl0 = (old & 1) == 0 || ((old >>> 2) & 3) == 0;
        long vbar = in.value(IN_VBAR);
        long vector = vbar + groupOffset(old) + kind.offset;
        out.clear();
        out.reg(Arm64Reg.ELR_EL1, returnPc);
        if (kind == Kind.SYNC) {
            out.reg(Arm64Reg.ESR_EL1, esr);
            if (far >= 0) {
                out.reg(Arm64Reg.FAR_EL1, far);
            }
        }
        if (onSpEl0) {
            out.reg(Arm64Reg.SP_EL0, in.value(IN_SP));
        }
        out.reg(Arm64Reg.PSTATE, (old & PSTATE_NZCV) | PSTATE_EL1H_MASKED);
        if (onSpEl0) {
            out.reg(Arm64Reg.SP, in.value(IN_SP_EL1)); // nothing above writes SP_EL1: the value read is current
        }
        // SPSR_EL1 has no register id of its own: its CP_REG write, after the PSTATE write, is also
        // what makes QEMU rebuild its cached hflags (EL, SP choice). Every CP_REG write costs a
        // register lookup and a rebuild, so it is the only one: ESR, FAR, VBAR go by their ids.
        out.sysReg(3, 0, 4, 0, 0, old);            // SPSR_EL1
        out.reg(Arm64Reg.PC, vector);
        out.write();
        lastReturnPc = returnPc;
        lastVector = vector;
        return vector;
    }

    public static long syndrome(int ec, long iss) {
        return ((long) ec << 26) | ESR_IL | (iss & 0x1ff_ffffL);
    }
}
