package dev.wirelab.emulator.cpu;

/**
 * An AArch64 system register encoding (op0, op1, CRn, CRm, op2) as it appears
 * in MRS/MSR. Packed into one int so dispatch tables stay cheap: this is looked
 * up on every trapped system-register access.
 */
public record SysRegId(int op0, int op1, int crn, int crm, int op2) {
    public SysRegId {
        if ((op0 & ~3) != 0 || (op1 & ~7) != 0 || (crn & ~15) != 0 || (crm & ~15) != 0 || (op2 & ~7) != 0) {
            throw new IllegalArgumentException("bad system register encoding " + op0 + "," + op1 + "," + crn + "," + crm + "," + op2);
        }
    }

    public static SysRegId of(int op0, int op1, int crn, int crm, int op2) {
        return new SysRegId(op0, op1, crn, crm, op2);
    }

    /** op0:op1:CRn:CRm:op2 packed as in the MRS instruction's bits [20:5]. */
    public int packed() {
        return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
    }

    public static SysRegId fromPacked(int p) {
        return new SysRegId((p >> 14) & 3, (p >> 11) & 7, (p >> 7) & 15, (p >> 3) & 15, p & 7);
    }

    @Override
    public String toString() {
        return "S" + op0 + "_" + op1 + "_C" + crn + "_C" + crm + "_" + op2;
    }
}
