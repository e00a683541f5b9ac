package dev.wirelab.emulator.lab;

import java.util.function.LongFunction;

/**
 * A small A64 disassembler for the instructions kernels use most (branches,
 * moves, add/sub, logic, loads/stores, system). Anything else prints as
 * {@code .inst 0x...}. Written from the Arm ARM encoding tables.
 */
public final class Disassembler {
    private Disassembler() { }

    private static final String[] COND = {"eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt",
            "le", "al", "nv"};

    public static String disassemble(int insn, long pc, LongFunction<String> symbols) {
        try {
            String s = decode(insn, pc, symbols == null ? a -> null : symbols);
            return s == null ? String.format(".inst 0x%08x", insn) : s;
        } catch (RuntimeException e) {
            return String.format(".inst 0x%08x", insn);
        }
    }

    private static int bits(int v, int hi, int lo) {
        return (v >>> lo) & ((1 << (hi - lo + 1)) - 1);
    }

    private static long sext(long v, int width) {
        return (v << (64 - width)) >> (64 - width);
    }

    private static String x(int r, boolean sf, boolean spOk) {
        if (r == 31) {
            return spOk ? (sf ? "sp" : "wsp") : (sf ? "xzr" : "wzr");
        }
        return (sf ? "x" : "w") + r;
    }

    private static String target(long a, LongFunction<String> sym) {
        String s = sym.apply(a);
        return String.format("0x%x", a) + (s == null ? "" : " <" + s + ">");
    }

    private static String decode(int i, long pc, LongFunction<String> sym) {
        if (i == 0xd503201f) return "nop";
        if (i == 0xd503207f) return "wfi";
        if (i == 0xd503205f) return "wfe";
        if (i == 0xd69f03e0) return "eret";
        if (i == 0xd5033fdf) return "isb";
        if ((i & 0xfffff0ff) == 0xd503309f) return "dsb #" + bits(i, 11, 8);
        if ((i & 0xfffff0ff) == 0xd50330bf) return "dmb #" + bits(i, 11, 8);
        if ((i & 0xfffffc1f) == 0xd65f0000) return bits(i, 9, 5) == 30 ? "ret" : "ret x" + bits(i, 9, 5);
        if ((i & 0xfffffc1f) == 0xd61f0000) return "br x" + bits(i, 9, 5);
        if ((i & 0xfffffc1f) == 0xd63f0000) return "blr x" + bits(i, 9, 5);
        if ((i & 0x7c000000) == 0x14000000) {
            long off = sext(bits(i, 25, 0), 26) * 4;
            return ((i >>> 31) != 0 ? "bl " : "b ") + target(pc + off, sym);
        }
        if ((i & 0xff000010) == 0x54000000) {
            return "b." + COND[i & 15] + " " + target(pc + sext(bits(i, 23, 5), 19) * 4, sym);
        }
        if ((i & 0x7e000000) == 0x34000000) {
            boolean sf = (i >>> 31) != 0;
            return (bits(i, 24, 24) == 0 ? "cbz " : "cbnz ") + x(i & 31, sf, false) + ", "
                    + target(pc + sext(bits(i, 23, 5), 19) * 4, sym);
        }
        if ((i & 0x7e000000) == 0x36000000) {
            int bit = (bits(i, 31, 31) << 5) | bits(i, 23, 19);
            return (bits(i, 24, 24) == 0 ? "tbz " : "tbnz ") + x(i & 31, bit >= 32, false) + ", #" + bit + ", "
                    + target(pc + sext(bits(i, 18, 5), 14) * 4, sym);
        }
        if ((i & 0x1f000000) == 0x10000000) {
            long imm = sext(((long) bits(i, 23, 5) << 2) | bits(i, 30, 29), 21);
            if ((i >>> 31) == 0) {
                return "adr x" + (i & 31) + ", " + target(pc + imm, sym);
            }
            return "adrp x" + (i & 31) + ", " + target((pc & ~0xfffL) + (imm << 12), sym);
        }
        int sys = i & 0xffe00000;
        if (sys == 0xd4000000 && (i & 0x1f) == 1) return String.format("svc #0x%x", bits(i, 20, 5));
        if (sys == 0xd4000000 && (i & 0x1f) == 2) return String.format("hvc #0x%x", bits(i, 20, 5));
        if (sys == 0xd4000000 && (i & 0x1f) == 3) return String.format("smc #0x%x", bits(i, 20, 5));
        if (sys == 0xd4200000) return String.format("brk #0x%x", bits(i, 20, 5));
        if (sys == 0xd4400000) return String.format("hlt #0x%x", bits(i, 20, 5));
        if ((i & 0xfff00000) == 0xd5300000 || (i & 0xfff00000) == 0xd5100000) {
            String reg = String.format("s%d_%d_c%d_c%d_%d", 2 + bits(i, 19, 19), bits(i, 18, 16), bits(i, 15, 12),
                    bits(i, 11, 8), bits(i, 7, 5));
            return bits(i, 21, 21) == 1 ? "mrs x" + (i & 31) + ", " + reg : "msr " + reg + ", " + x(i & 31, true, false);
        }
        if ((i & 0xfffff01f) == 0xd503401f) {
            int op = bits(i, 7, 5) | bits(i, 18, 16) << 3;
            return (op == (6 | 3 << 3) ? "msr daifset, #" : op == (7 | 3 << 3) ? "msr daifclr, #" : "msr pstate, #") + bits(i, 11, 8);
        }
        boolean sf = (i >>> 31) != 0;
        int rd = i & 31, rn = bits(i, 9, 5);
        if ((i & 0x1f000000) == 0x11000000) { // add/sub immediate
            boolean sub = bits(i, 30, 30) == 1, s = bits(i, 29, 29) == 1;
            long imm = (long) bits(i, 21, 10) << (bits(i, 22, 22) * 12);
            if (!sub && !s && imm == 0 && (rd == 31 || rn == 31)) {
                return "mov " + x(rd, sf, true) + ", " + x(rn, sf, true);
            }
            if (s && rd == 31) {
                return (sub ? "cmp " : "cmn ") + x(rn, sf, true) + ", #0x" + Long.toHexString(imm);
            }
            return (sub ? "sub" : "add") + (s ? "s " : " ") + x(rd, sf, !s) + ", " + x(rn, sf, true) + ", #0x"
                    + Long.toHexString(imm);
        }
        if ((i & 0x1f800000) == 0x12800000) { // move wide
            int opc = bits(i, 30, 29), hw = bits(i, 22, 21);
            long imm = bits(i, 20, 5);
            String n = switch (opc) { case 0 -> "movn"; case 2 -> "movz"; case 3 -> "movk"; default -> null; };
            if (n == null) return null;
            if (opc == 2 && hw == 0) return "mov " + x(rd, sf, false) + ", #0x" + Long.toHexString(imm);
            return n + " " + x(rd, sf, false) + ", #0x" + Long.toHexString(imm) + (hw == 0 ? "" : ", lsl #" + hw * 16);
        }
        if ((i & 0x1f000000) == 0x0a000000) { // logical shifted register
            int opc = bits(i, 30, 29), rm = bits(i, 20, 16), sh = bits(i, 15, 10);
            boolean n = bits(i, 21, 21) == 1;
            if (opc == 1 && !n && rn == 31 && sh == 0) return "mov " + x(rd, sf, false) + ", " + x(rm, sf, false);
            if (opc == 3 && rd == 31) return "tst " + x(rn, sf, false) + ", " + x(rm, sf, false);
            String[] ops = n ? new String[]{"bic", "orn", "eon", "bics"} : new String[]{"and", "orr", "eor", "ands"};
            return ops[opc] + " " + x(rd, sf, false) + ", " + x(rn, sf, false) + ", " + x(rm, sf, false)
                    + (sh == 0 ? "" : ", " + new String[]{"lsl", "lsr", "asr", "ror"}[bits(i, 23, 22)] + " #" + sh);
        }
        if ((i & 0x1f200000) == 0x0b000000) { // add/sub shifted register
            boolean sub = bits(i, 30, 30) == 1, s = bits(i, 29, 29) == 1;
            int rm = bits(i, 20, 16), sh = bits(i, 15, 10);
            String tail = x(rm, sf, false) + (sh == 0 ? "" : ", " + new String[]{"lsl", "lsr", "asr", "?"}[bits(i, 23, 22)] + " #" + sh);
            if (s && rd == 31) return (sub ? "cmp " : "cmn ") + x(rn, sf, false) + ", " + tail;
            return (sub ? "sub" : "add") + (s ? "s " : " ") + x(rd, sf, false) + ", " + x(rn, sf, false) + ", " + tail;
        }
        if ((i & 0x3b000000) == 0x39000000) { // load/store unsigned offset
            int size = bits(i, 31, 30), opc = bits(i, 23, 22);
            long off = (long) bits(i, 21, 10) << size;
            boolean vec = bits(i, 26, 26) == 1;
            if (vec) return null;
            String op = opc == 0 ? "str" : opc == 1 ? "ldr" : "ldrs";
            String suffix = size == 0 ? "b" : size == 1 ? "h" : "";
            boolean wide = size == 3 || (opc == 2);
            if (opc == 2 && size == 2) return "ldrsw x" + rd + ", [" + x(rn, true, true) + (off == 0 ? "]" : ", #0x" + Long.toHexString(off) + "]");
            return op + suffix + " " + x(rd, wide, false) + ", [" + x(rn, true, true)
                    + (off == 0 ? "]" : ", #0x" + Long.toHexString(off) + "]");
        }
        if ((i & 0x3a000000) == 0x28000000 && bits(i, 26, 26) == 0) { // ldp/stp
            int opc = bits(i, 31, 30), mode = bits(i, 24, 23);
            boolean load = bits(i, 22, 22) == 1, w64 = opc == 2;
            long off = sext(bits(i, 21, 15), 7) * (w64 ? 8 : 4);
            String regs = x(rd, w64, false) + ", " + x(bits(i, 14, 10), w64, false);
            String base = x(rn, true, true);
            String addr = switch (mode) {
                case 1 -> "[" + base + "], #" + off;
                case 3 -> "[" + base + ", #" + off + "]!";
                default -> "[" + base + (off == 0 ? "]" : ", #" + off + "]");
            };
            return (load ? "ldp " : "stp ") + regs + ", " + addr;
        }
        if ((i & 0x3b000000) == 0x18000000 && bits(i, 26, 26) == 0) { // ldr literal
            long off = sext(bits(i, 23, 5), 19) * 4;
            return "ldr " + x(rd, bits(i, 30, 30) == 1, false) + ", " + target(pc + off, sym);
        }
        return null;
    }
}
