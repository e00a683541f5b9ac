package dev.wirelab.emulator.cpu;

import java.util.function.IntToLongFunction;

/**
 * Recomputes the virtual address and direction of a faulting load or store
 * from the instruction and the registers, because Unicorn reports neither
 * (measured on Unicorn 2.1.4). Covers the A64 load/store classes kernels use: immediate
 * (scaled, unscaled, pre/post-index), register offset, literal, pair,
 * exclusive/acquire-release and atomics.
 */
public final class AccessDecoder {
    private AccessDecoder() { }

    /** A decoded access: where, and whether it writes. */
    public record Access(long address, boolean write) { }

    /**
     * @param insn the instruction word
     * @param pc   its address (for literal loads)
     * @param x    register file: x.applyAsLong(n) is Xn for n in 0..30 and SP for n = 31
     * @return the access, or null when the instruction is not a load/store we decode
     */
    public static Access decode(int insn, long pc, IntToLongFunction x) {
        int rn = (insn >>> 5) & 31;
        if ((insn & 0x3b00_0000) == 0x1800_0000) {                     // load literal
            long imm = signExtend((insn >>> 5) & 0x7ffff, 19) << 2;
            return new Access(pc + imm, false);
        }
        if ((insn & 0x3f00_0000) == 0x0800_0000) {                     // exclusive, acquire/release
            boolean load = (insn & (1 << 22)) != 0;
            return new Access(x.applyAsLong(rn), !load);
        }
        if ((insn & 0x3a00_0000) == 0x2800_0000) {                     // load/store pair
            boolean simd = (insn & (1 << 26)) != 0;
            int opc = (insn >>> 30) & 3;
            int scale = simd ? 2 + opc : 2 + (opc >>> 1);
            long imm = signExtend((insn >>> 15) & 0x7f, 7) << scale;
            int mode = (insn >>> 23) & 3;                               // 1 post, 2 offset, 3 pre, 0 no-allocate
            long base = x.applyAsLong(rn);
            return new Access(mode == 1 ? base : base + imm, (insn & (1 << 22)) == 0);
        }
        int size = (insn >>> 30) & 3;
        boolean simd = (insn & (1 << 26)) != 0;
        int opc = (insn >>> 22) & 3;
        boolean write = opc == 0 || (simd && opc == 2);
        if ((insn & 0x3b00_0000) == 0x3900_0000) {                     // unsigned immediate
            int scale = simd && (opc & 2) != 0 ? 4 : size;
            return new Access(x.applyAsLong(rn) + ((long) ((insn >>> 10) & 0xfff) << scale), write);
        }
        if ((insn & 0x3b20_0c00) == 0x3820_0000) {                     // atomic memory operations
            return new Access(x.applyAsLong(rn), true);
        }
        if ((insn & 0x3b20_0c00) == 0x3820_0800) {                     // register offset
            int rm = (insn >>> 16) & 31;
            int option = (insn >>> 13) & 7;
            boolean shift = (insn & (1 << 12)) != 0;
            int scale = simd && (opc & 2) != 0 ? 4 : size;
            long m = rm == 31 ? 0 : x.applyAsLong(rm);
            long off = switch (option) {
                case 2 -> m & 0xffff_ffffL;                                 // UXTW
                case 6 -> (long) (int) m;                                   // SXTW
                default -> m;                                               // LSL / SXTX
            };
            return new Access(x.applyAsLong(rn) + (shift ? off << scale : off), write);
        }
        if ((insn & 0x3b20_0000) == 0x3800_0000) {                     // unscaled, pre/post-index, unprivileged
            long imm = signExtend((insn >>> 12) & 0x1ff, 9);
            int mode = (insn >>> 10) & 3;
            long base = x.applyAsLong(rn);
            return new Access(mode == 1 ? base : base + imm, write);
        }
        return null;
    }

    private static long signExtend(long v, int bits) {
        return (v << (64 - bits)) >> (64 - bits);
    }
}
