package dev.wirelab.emulator.cpu;

/** Decoding of the few A64 instructions the host must recognise when the CPU traps. */
public final class Insn {
    private Insn() { }

    public static final int WFI = 0xd503207f;
    public static final int WFE = 0xd503205f;

    // Exception-generating instructions: 1101 0100 opc:3 imm16 000 LL
    private static final int EXC_MASK = 0xffe0001f;
    public static final int SVC = 0xd4000001;
    public static final int HVC = 0xd4000002;
    public static final int SMC = 0xd4000003;
    public static final int BRK = 0xd4200000;
    public static final int HLT = 0xd4400000;
    /** The Arm semihosting trap: {@code hlt #0xf000}. */
    public static final int SEMIHOSTING_HLT = HLT | (0xf000 << 5);

    public static boolean is(int insn, int kind) {
        return (insn & EXC_MASK) == kind;
    }

    public static int imm16(int insn) {
        return (insn >>> 5) & 0xffff;
    }

    public static boolean isWaitForInterrupt(int insn) {
        return insn == WFI || insn == WFE;
    }

    /** MRS/MSR (register form): 1101 0101 00 L 1 o0 op1 CRn CRm op2 Rt. */
    public static boolean isSysRegMove(int insn) {
        return (insn & 0xffd00000) == 0xd5100000;
    }

    public static boolean isMrs(int insn) {
        return isSysRegMove(insn) && (insn & (1 << 21)) != 0;
    }

    public static SysRegId sysReg(int insn) {
        return SysRegId.of(2 + ((insn >>> 19) & 1), (insn >>> 16) & 7, (insn >>> 12) & 15, (insn >>> 8) & 15,
                (insn >>> 5) & 7);
    }

    public static int rt(int insn) {
        return insn & 31;
    }
}
