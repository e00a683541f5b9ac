package dev.wirelab.emulator.gdb;

/**
 * The register file GDB sees, as the {@code target.xml} it reads through
 * {@code qXfer:features:read}: the AArch64 core feature (x0–x30, sp, pc, cpsr)
 * and the FP/SIMD feature (v0–v31, fpsr, fpcr), numbered as QEMU numbers them,
 * so {@code g} packets from either stub line up.
 */
public final class TargetDescription {
    private TargetDescription() { }

    public static final int SP = 31, PC = 32, CPSR = 33, V0 = 34, FPSR = 66, FPCR = 67;
    public static final int COUNT = 68;

    /** Size in bytes of GDB register {@code n} in packets. */
    public static int size(int n) {
        if (n < 0 || n >= COUNT) {
            throw new IllegalArgumentException("no register " + n);
        }
        if (n <= PC) {
            return 8;
        }
        if (n >= V0 && n < FPSR) {
            return 16;
        }
        return 4;
    }

    public static String name(int n) {
        if (n <= 30) {
            return "x" + n;
        }
        return switch (n) {
            case SP -> "sp";
            case PC -> "pc";
            case CPSR -> "cpsr";
            case FPSR -> "fpsr";
            case FPCR -> "fpcr";
            default -> "v" + (n - V0);
        };
    }

    /** The whole document, served for {@code target.xml}. */
    public static String xml() {
        StringBuilder s = new StringBuilder(8192);
        s.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target>\n")
                .append("<architecture>aarch64</architecture>\n")
                .append("<feature name=\"org.gnu.gdb.aarch64.core\">\n");
        for (int n = 0; n <= 30; n++) {
            reg(s, "x" + n, 64, "int", n);
        }
        reg(s, "sp", 64, "data_ptr", SP);
        reg(s, "pc", 64, "code_ptr", PC);
        reg(s, "cpsr", 32, "int", CPSR);
        s.append("</feature>\n<feature name=\"org.gnu.gdb.aarch64.fpu\">\n")
                .append("<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n")
                .append("<vector id=\"v2u\" type=\"uint64\" count=\"2\"/>\n")
                .append("<vector id=\"v2i\" type=\"int64\" count=\"2\"/>\n")
                .append("<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n")
                .append("<vector id=\"v4u\" type=\"uint32\" count=\"4\"/>\n")
                .append("<vector id=\"v4i\" type=\"int32\" count=\"4\"/>\n")
                .append("<vector id=\"v8u\" type=\"uint16\" count=\"8\"/>\n")
                .append("<vector id=\"v8i\" type=\"int16\" count=\"8\"/>\n")
                .append("<vector id=\"v16u\" type=\"uint8\" count=\"16\"/>\n")
                .append("<vector id=\"v16i\" type=\"int8\" count=\"16\"/>\n")
                .append("<vector id=\"v1u\" type=\"uint128\" count=\"1\"/>\n")
                .append("<vector id=\"v1i\" type=\"int128\" count=\"1\"/>\n")
                .append("<union id=\"vnd\"><field name=\"f\" type=\"v2d\"/><field name=\"u\" type=\"v2u\"/>"
                        + "<field name=\"s\" type=\"v2i\"/></union>\n")
                .append("<union id=\"vns\"><field name=\"f\" type=\"v4f\"/><field name=\"u\" type=\"v4u\"/>"
                        + "<field name=\"s\" type=\"v4i\"/></union>\n")
                .append("<union id=\"vnh\"><field name=\"u\" type=\"v8u\"/><field name=\"s\" type=\"v8i\"/></union>\n")
                .append("<union id=\"vnb\"><field name=\"u\" type=\"v16u\"/><field name=\"s\" type=\"v16i\"/></union>\n")
                .append("<union id=\"vnq\"><field name=\"u\" type=\"v1u\"/><field name=\"s\" type=\"v1i\"/></union>\n")
                .append("<union id=\"aarch64v\"><field name=\"d\" type=\"vnd\"/><field name=\"s\" type=\"vns\"/>"
                        + "<field name=\"h\" type=\"vnh\"/><field name=\"b\" type=\"vnb\"/><field name=\"q\" type=\"vnq\"/></union>\n");
        for (int n = 0; n < 32; n++) {
            reg(s, "v" + n, 128, "aarch64v", V0 + n);
        }
        reg(s, "fpsr", 32, "int", FPSR);
        reg(s, "fpcr", 32, "int", FPCR);
        return s.append("</feature>\n</target>\n").toString();
    }

    private static void reg(StringBuilder s, String name, int bits, String type, int regnum) {
        s.append("<reg name=\"").append(name).append("\" bitsize=\"").append(bits).append("\" type=\"").append(type)
                .append("\" regnum=\"").append(regnum).append("\"/>\n");
    }
}
