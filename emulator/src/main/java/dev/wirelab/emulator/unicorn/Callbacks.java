package dev.wirelab.emulator.unicorn;

/**
 * Java shapes of Unicorn's callbacks. Implementations run on the thread that
 * called {@link Unicorn#start}; an exception thrown here stops emulation and
 * is rethrown from {@code start} (it never unwinds into native code).
 */
public final class Callbacks {
    private Callbacks() { }

    /** UC_HOOK_BLOCK: a translated block at {@code address} of {@code size} bytes is about to run. */
    @FunctionalInterface
    public interface Block {
        void onBlock(long address, int size);
    }

    /** UC_HOOK_CODE: the instruction at {@code address} is about to run. */
    @FunctionalInterface
    public interface Code {
        void onCode(long address, int size);
    }

    /** UC_HOOK_INTR: the CPU raised exception {@code intno} (QEMU's EXCP_* numbering). */
    @FunctionalInterface
    public interface Interrupt {
        void onInterrupt(int intno);
    }

    /**
     * UC_HOOK_INSN for MRS/MSR/SYS/SYSL: {@code xt} is Unicorn's register id of
     * the transfer register. Return true to skip the instruction (for MRS the
     * callback has written Xt itself).
     */
    @FunctionalInterface
    public interface SysInsn {
        boolean onSysInsn(int xt, int op0, int op1, int crn, int crm, int op2, long value);
    }

    /** UC_HOOK_MEM_*: an access of {@code type} (UC_MEM_*). Return value matters only for unmapped/prot hooks. */
    @FunctionalInterface
    public interface Memory {
        boolean onAccess(int type, long address, int size, long value);
    }

    /** A device window mapped with uc_mmio_map. */
    public interface Mmio {
        long read(long offset, int size);

        void write(long offset, int size, long value);
    }
}
