package dev.wirelab.emulator.unicorn;

/**
 * Unicorn 2.1 register ids for AArch64 (include/unicorn/arm64.h, checked
 * against 2.1.4 by compiling the header). Only the binding and the CPU layer
 * use these numbers; the rest of wirelab speaks AArch64 names.
 */
public final class Arm64Reg {
    private Arm64Reg() { }

    public static final int X29 = 1;
    public static final int X30 = 2;
    public static final int NZCV = 3;
    public static final int SP = 4;
    /** The zero register as a hook's transfer register (Rt = 31 in MRS/MSR). */
    public static final int XZR = 7;
    public static final int X0 = 199;
    public static final int PC = 260;
    public static final int TPIDR_EL0 = 262;
    public static final int PSTATE = 265;
    public static final int ELR_EL1 = 267;
    public static final int SP_EL0 = 270;
    public static final int SP_EL1 = 271;
    public static final int TTBR0_EL1 = 274;
    public static final int ESR_EL1 = 277;
    public static final int FAR_EL1 = 281;
    public static final int VBAR_EL1 = 287;
    public static final int CP_REG = 290;
    public static final int FPCR = 291;
    public static final int FPSR = 292;
    /** V0..V31 (128-bit SIMD/FP registers) are consecutive ids from here. */
    public static final int V0 = 228;

    /** Register id of general-purpose register Xn, n in 0..30. */
    public static int x(int n) {
        if (n >= 0 && n <= 28) {
            return X0 + n;
        }
        if (n == 29) {
            return X29;
        }
        if (n == 30) {
            return X30;
        }
        throw new IllegalArgumentException("no register X" + n);
    }

    /** Register id of SIMD/FP register Vn, n in 0..31 (read with {@link Unicorn#readReg128}). */
    public static int v(int n) {
        if (n < 0 || n > 31) {
            throw new IllegalArgumentException("no register V" + n);
        }
        return V0 + n;
    }
}
