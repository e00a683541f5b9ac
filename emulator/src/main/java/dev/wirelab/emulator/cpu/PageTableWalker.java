package dev.wirelab.emulator.cpu;

import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;

/**
 * Walks the guest's stage-1 tables (4 KiB granule, TTBR0/TTBR1) to say why an
 * access faulted: translation, access flag or permission, and at which level.
 * Unicorn tells only that a fault happened; the syndrome the guest handler
 * reads needs the kind and the level.
 */
public final class PageTableWalker {
    /** Why and where an access faults; {@code fsc} is the DFSC/IFSC value. */
    public record Fault(int fsc, int level, String reason) { }

    private static final long ADDR_MASK = 0x0000_ffff_ffff_f000L;

    private PageTableWalker() { }

    /**
     * @param va        the virtual address
     * @param el        exception level of the access (0 or 1)
     * @param write     a store
     * @param exec      an instruction fetch
     * @param tcr       TCR_EL1
     * @param ttbr0     TTBR0_EL1
     * @param ttbr1     TTBR1_EL1
     * @param readPhys  reads a 64-bit descriptor at a physical address
     * @return the fault, or null when the tables allow the access
     */
    public static Fault classify(long va, int el, boolean write, boolean exec, long tcr, long ttbr0, long ttbr1,
                                 LongUnaryOperator readPhys) {
        boolean upper = va < 0;
        int tsz = (int) (upper ? (tcr >>> 16) & 63 : tcr & 63);
        int tg = (int) (upper ? (tcr >>> 30) & 3 : (tcr >>> 14) & 3);
        boolean fourK = upper ? tg == 2 : tg == 0;
        if (!fourK) {
            return new Fault(ExceptionEngine.FSC_TRANSLATION, 0, "page tables use a granule other than 4 KiB");
        }
        if ((tcr & (upper ? 1L << 23 : 1L << 7)) != 0) {
            return new Fault(ExceptionEngine.FSC_TRANSLATION, 0, "walks disabled by TCR_EL1.EPD" + (upper ? "1" : "0"));
        }
        int inputBits = 64 - tsz;
        long top = inputBits >= 64 ? 0 : va >> inputBits;
        if (top != (upper ? -1L : 0L)) {
            return new Fault(ExceptionEngine.FSC_TRANSLATION, 0, "address outside the range TCR_EL1.T" + (upper ? 1 : 0)
                    + "SZ allows");
        }
        int level = inputBits > 39 ? 0 : inputBits > 30 ? 1 : inputBits > 21 ? 2 : 3;
        long table = (upper ? ttbr1 : ttbr0) & ADDR_MASK;
        boolean apTable1 = false, apTable2 = false, xnTable = false, pxnTable = false;
        for (; level <= 3; level++) {
            int shift = 12 + 9 * (3 - level);
            long index = (va >>> shift) & 511;
            long desc = readPhys.applyAsLong(table + index * 8);
            boolean valid = (desc & 1) != 0;
            boolean tableOrPage = (desc & 2) != 0;
            if (!valid || (level == 3 && !tableOrPage) || (level == 0 && !tableOrPage)) {
                return new Fault(ExceptionEngine.FSC_TRANSLATION + level, level, "no valid descriptor at level " + level);
            }
            if (level < 3 && tableOrPage) {
                apTable1 |= (desc & (1L << 61)) != 0;
                apTable2 |= (desc & (1L << 62)) != 0;
                xnTable |= (desc & (1L << 60)) != 0;
                pxnTable |= (desc & (1L << 59)) != 0;
                table = desc & ADDR_MASK;
                continue;
            }
            // Leaf: block (level 1/2) or page (level 3).
            if ((desc & (1L << 10)) == 0) {
                return new Fault(ExceptionEngine.FSC_ACCESS_FLAG + level, level, "access flag clear at level " + level);
            }
            boolean el0Access = (desc & (1L << 6)) != 0 && !apTable1;
            boolean readOnly = (desc & (1L << 7)) != 0 || apTable2;
            boolean uxn = (desc & (1L << 54)) != 0 || xnTable;
            boolean pxn = (desc & (1L << 53)) != 0 || pxnTable;
            String why = null;
            if (el == 0 && !el0Access) {
                why = "page not accessible from EL0";
            } else if (write && readOnly) {
                why = "write to a read-only page";
            } else if (exec && (el == 0 ? uxn : pxn)) {
                why = "execute from an execute-never page";
            }
            return why == null ? null : new Fault(ExceptionEngine.FSC_PERMISSION + level, level, why + " (level " + level + ")");
        }
        return new Fault(ExceptionEngine.FSC_TRANSLATION + 3, 3, "walk did not terminate");
    }

    /**
     * Calls {@code table} once with the physical address of every translation table reachable
     * from TTBR0/TTBR1 (4 KiB granule), descending only through tables inside {@code readable}
     * memory. Returns false when it cannot tell (another granule): then treat every page as a
     * table. Over-approximating is safe for its use (keeping the TLB across a restore).
     */
    public static boolean tables(long tcr, long ttbr0, long ttbr1, LongUnaryOperator readPhys, LongPredicate readable,
                                 LongConsumer table) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int half = 0; half < 2; half++) {
            boolean upper = half == 1;
            if ((tcr & (upper ? 1L << 23 : 1L << 7)) != 0) {
                continue; // walks disabled for this half: nothing cached from it
            }
            int tg = (int) (upper ? (tcr >>> 30) & 3 : (tcr >>> 14) & 3);
            if (!(upper ? tg == 2 : tg == 0)) {
                return false;
            }
            int inputBits = 64 - (int) (upper ? (tcr >>> 16) & 63 : tcr & 63);
            int level = inputBits > 39 ? 0 : inputBits > 30 ? 1 : inputBits > 21 ? 2 : 3;
            walkTables((upper ? ttbr1 : ttbr0) & ADDR_MASK, level, readPhys, readable, table, seen);
        }
        return true;
    }

    private static void walkTables(long base, int level, LongUnaryOperator readPhys, LongPredicate readable, LongConsumer table,
                                   java.util.Set<Long> seen) {
        if (!seen.add(base)) {
            return;
        }
        table.accept(base);
        if (level == 3 || !readable.test(base)) {
            return;
        }
        for (int i = 0; i < 512; i++) {
            long desc = readPhys.applyAsLong(base + i * 8L);
            if ((desc & 3) == 3) {
                walkTables(desc & ADDR_MASK, level + 1, readPhys, readable, table, seen);
            }
        }
    }
}
