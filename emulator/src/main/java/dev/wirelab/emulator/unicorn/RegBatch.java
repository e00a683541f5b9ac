package dev.wirelab.emulator.unicorn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Several register reads or writes in one downcall ({@code uc_reg_read_batch} /
 * {@code uc_reg_write_batch}): exception entry moves about ten registers, and each
 * single {@code uc_reg_*} call is a downcall of its own. Writes happen in the order
 * added, exactly as the same single writes would (a CP_REG write after PSTATE still
 * rebuilds QEMU's cached flags; a PC write still makes Unicorn resume there).
 * Entries are slots of 32 bytes: a plain register's value at offset 0, a system
 * register as a {@code uc_arm64_cp_reg}. Not thread-safe; reused, never allocates.
 */
public final class RegBatch {
    private static final int SLOT = 32;

    private final Unicorn uc;
    private final int capacity;
    private final MemorySegment ids;
    private final MemorySegment ptrs;
    private final MemorySegment slots;
    private int size;

    RegBatch(Unicorn uc, Arena arena, int capacity) {
        this.uc = uc;
        this.capacity = capacity;
        this.ids = arena.allocate(4L * capacity, 8);
        this.ptrs = arena.allocate(ADDRESS.byteSize() * capacity, 8);
        this.slots = arena.allocate((long) SLOT * capacity, 16);
        for (int i = 0; i < capacity; i++) {
            ptrs.setAtIndex(ADDRESS, i, slots.asSlice((long) SLOT * i, SLOT));
        }
    }

    /** Empties the batch; returns it. */
    public RegBatch clear() {
        size = 0;
        return this;
    }

    /** Adds register {@code id} ({@link Arm64Reg}) with {@code value} (ignored by a read); returns its index. */
    public int reg(int id, long value) {
        int i = next(id);
        slots.set(JAVA_LONG, (long) SLOT * i, value);
        slots.set(JAVA_LONG, (long) SLOT * i + 8, 0);
        return i;
    }

    /** Adds system register op0:op1:CRn:CRm:op2 (through CP_REG) with {@code value}; returns its index. */
    public int sysReg(int op0, int op1, int crn, int crm, int op2, long value) {
        int i = next(Arm64Reg.CP_REG);
        long o = (long) SLOT * i;
        slots.set(JAVA_INT, o, crn);
        slots.set(JAVA_INT, o + 4, crm);
        slots.set(JAVA_INT, o + 8, op0);
        slots.set(JAVA_INT, o + 12, op1);
        slots.set(JAVA_INT, o + 16, op2);
        slots.set(JAVA_LONG, o + 24, value);
        return i;
    }

    private int next(int id) {
        if (size == capacity) {
            throw new IllegalStateException("register batch full (" + capacity + " entries)");
        }
        ids.setAtIndex(JAVA_INT, size, id);
        return size++;
    }

    /** Reads every register added; then {@link #value} gives each. */
    public void read() {
        uc.batch(true, ids, ptrs, size);
    }

    /** Writes every register added, in order. */
    public void write() {
        uc.batch(false, ids, ptrs, size);
    }

    /** The value at {@code index} after {@link #read} (32-bit registers: zero-extended). */
    public long value(int index) {
        long o = (long) SLOT * index;
        return ids.getAtIndex(JAVA_INT, index) == Arm64Reg.CP_REG ? slots.get(JAVA_LONG, o + 24) : slots.get(JAVA_LONG, o);
    }
}
