package dev.wirelab.emulator.unicorn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntPredicate;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A natively filtered MRS/MSR hook ({@link Unicorn#hookSysInsnFiltered}), the Java mirror of
 * {@code struct wl_sys_filter} in wirelab_hooks.c: which system registers it hands to Java (one
 * bit per encoding, op0:op1:CRn:CRm:op2 packed as in the instruction's bits [20:5], the packing of
 * {@code cpu.SysRegId#packed}), and, inside a callback, the instruction's PC (read natively
 * before the upcall) and what the native side does after it returns: write Xt, move PC past
 * the instruction. Each saves the callback a downcall.
 */
public final class SysInsnFilter {
    static final int BYTES = (1 << 16) / 8;
    private static final long WANTED = 8;
    private static final long REG_READ = WANTED + BYTES;
    private static final long REG_WRITE = REG_READ + 8;
    private static final long PC = REG_WRITE + 8;
    private static final long VALUE = PC + 8;
    private static final long PC_REG = VALUE + 8;
    private static final long XZR_REG = PC_REG + 4;
    private static final long WRITE_XT = XZR_REG + 4;
    private static final long ADVANCE = WRITE_XT + 4;
    static final long SIZE = ADVANCE + 4;

    private final MemorySegment filter;

    SysInsnFilter(MemorySegment filter, MemorySegment regRead, MemorySegment regWrite) {
        this.filter = filter;
        filter.set(ADDRESS, REG_READ, regRead);
        filter.set(ADDRESS, REG_WRITE, regWrite);
        filter.set(JAVA_INT, PC_REG, Arm64Reg.PC);
        filter.set(JAVA_INT, XZR_REG, Arm64Reg.XZR);
    }

    /** Sets the wanted encodings (system registers have op0 2 or 3; the others are never wanted). */
    public void want(IntPredicate wanted) {
        byte[] b = new byte[BYTES];
        for (int packed = 2 << 14; packed < 1 << 16; packed++) {
            if (wanted.test(packed)) {
                b[packed >> 3] |= (byte) (1 << (packed & 7));
            }
        }
        MemorySegment.copy(b, 0, filter, ValueLayout.JAVA_BYTE, WANTED, BYTES);
    }

    /** Inside the callback: the address of the MRS/MSR being hooked. */
    public long pc() {
        return filter.get(JAVA_LONG, PC);
    }

    /** Inside an MRS callback: Xt gets {@code value} once the callback returns (nothing for XZR). */
    public void setXt(long value) {
        filter.set(JAVA_LONG, VALUE, value);
        filter.set(JAVA_INT, WRITE_XT, 1);
    }

    /**
     * Inside the callback: PC moves past the instruction once the callback returns. Only for a
     * register Unicorn does not know (its block ends at the instruction): for a known one Unicorn
     * itself goes on after a skipped move.
     */
    public void advance() {
        filter.set(JAVA_INT, ADVANCE, 1);
    }
}
