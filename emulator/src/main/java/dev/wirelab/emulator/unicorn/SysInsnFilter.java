package dev.wirelab.emulator.unicorn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntPredicate;

/**
 * Which system registers a natively filtered MRS/MSR hook ({@link Unicorn#hookSysInsnFiltered})
 * hands to Java: one bit per encoding, op0:op1:CRn:CRm:op2 packed as in the instruction's bits
 * [20:5] (the packing of {@code cpu.SysRegId#packed}).
 */
public final class SysInsnFilter {
    static final int BYTES = (1 << 16) / 8;

    private final MemorySegment bits;

    SysInsnFilter(MemorySegment bits) {
        this.bits = bits;
    }

    /** Sets the wanted encodings (system registers have op0 2 or 3; the others are never wanted). */
    public void want(IntPredicate wanted) {
        byte[] b = new byte[BYTES];
        for (int packed = 2 << 14; packed < 1 << 16; packed++) {
            if (wanted.test(packed)) {
                b[packed >> 3] |= (byte) (1 << (packed & 7));
            }
        }
        MemorySegment.copy(b, 0, bits, ValueLayout.JAVA_BYTE, 0, BYTES);
    }
}
