package dev.wirelab.emulator.cpu;

import dev.wirelab.emulator.unicorn.Callbacks;
import dev.wirelab.emulator.unicorn.NativeHooks;
import dev.wirelab.emulator.unicorn.Unicorn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * Counts retired guest instructions exactly without Unicorn's per-instruction
 * counter (which halves speed). A block hook reports each translated block as
 * it starts; AArch64 blocks are straight-line runs of 4-byte instructions, so
 * at any host callback the number retired in the current block is
 * {@code (pc - blockStart) / 4}. Whole blocks are credited when the next one
 * starts.
 *
 * <p>The per-block bookkeeping lives in native memory and is done by the C
 * block hook ({@link NativeHooks}) when it is available: no FFM upcall per
 * block. The board's own per-block work (a pending stop, an unmask watch) runs
 * only for blocks while {@link #callJava} is set. Without the native library a
 * Java hook does the same bookkeeping in the same memory, so both paths count
 * identically.
 *
 * <p>Stopping at an exact instruction is Unicorn's count limit's job, not
 * this class's: the board always runs count-limited (see Executor#runSlice).
 */
public final class InstructionCounter {
    private static final VarHandle COMPLETED = handle("completed");
    private static final VarHandle BLOCK_START = handle("block_start");
    private static final VarHandle BLOCK_INSNS = handle("block_insns");
    private static final VarHandle CALL_JAVA = handle("call_java");
    private static final VarHandle EDGES = handle("edges");
    private static final VarHandle UNMASK_BITS = handle("unmask_bits");

    private final MemorySegment state = Arena.ofAuto().allocate(NativeHooks.COUNTER_LAYOUT);
    private long base;          // instructions retired before the current slice's accounting window
    private boolean nativeHook;

    private static VarHandle handle(String field) {
        return NativeHooks.COUNTER_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement(field)).withInvokeExactBehavior();
    }

    /**
     * Installs the block hook on {@code uc}; {@code boardHook} runs for a block only while
     * {@link #callJava(boolean)} is on. Returns true when the native hook is in use.
     */
    public boolean install(Unicorn uc, Callbacks.Block boardHook) {
        if (NativeHooks.available()) {
            uc.hookBlockCounting(state, boardHook);
            nativeHook = true;
        } else {
            uc.hookBlock((address, size) -> {
                onBlock(address, size);
                if ((long) CALL_JAVA.getVolatile(state, 0L) != 0) {
                    boardHook.onBlock(address, size);
                }
            }, 1, 0);
        }
        return nativeHook;
    }

    /** Whether the native block hook counts (false: the Java upcall fallback). */
    public boolean nativeHook() {
        return nativeHook;
    }

    /** Asks for (or stops) the board hook on every block; safe from any thread. */
    public void callJava(boolean on) {
        CALL_JAVA.setVolatile(state, 0L, on ? 1L : 0L);
    }

    /**
     * Has the native hook update {@code edges} (a {@code struct wl_edges}, see
     * coverage/EdgeMap#nativeState) on every block, or stop (null). Only between slices.
     */
    public void edges(MemorySegment edges) {
        if (!nativeHook && edges != null) {
            throw new IllegalStateException("native edge coverage needs the native block hook");
        }
        MemorySegment target = edges == null ? MemorySegment.NULL : edges;
        EDGES.setVolatile(state, 0L, target);
    }

    /**
     * Has the native hook call the board hook at the first block where PSTATE has any of
     * {@code pstateBits} clear (0: no watch). False without the native hook: then the board
     * hook itself must run on every block to watch.
     */
    public boolean watchUnmask(long pstateBits) {
        if (!nativeHook) {
            return false;
        }
        UNMASK_BITS.setVolatile(state, 0L, pstateBits);
        return true;
    }

    /** Starts accounting at {@code pc} with {@code retired} instructions already on the clock. */
    public void begin(long retired, long pc) {
        base = retired;
        COMPLETED.set(state, 0L, 0L);
        BLOCK_START.set(state, 0L, pc);
        BLOCK_INSNS.set(state, 0L, 0L);
    }

    /** UC_HOOK_BLOCK bookkeeping (the Java path; the C hook does the same). */
    public void onBlock(long address, int size) {
        COMPLETED.set(state, 0L, (long) COMPLETED.get(state, 0L) + (long) BLOCK_INSNS.get(state, 0L));
        BLOCK_START.set(state, 0L, address);
        BLOCK_INSNS.set(state, 0L, (long) (size >>> 2));
    }

    /** Instructions retired so far, with the CPU about to execute {@code pc}. */
    public long retiredAt(long pc) {
        long blockInsns = (long) BLOCK_INSNS.get(state, 0L);
        long inBlock = (pc - (long) BLOCK_START.get(state, 0L)) >> 2;
        if (inBlock < 0 || inBlock > blockInsns) {
            // pc left the block without a new block starting (host redirected it): count the block fully.
            inBlock = blockInsns;
        }
        return base + (long) COMPLETED.get(state, 0L) + inBlock;
    }

    /**
     * The host moved the PC (exception entry, a skipped instruction): credit
     * what ran up to {@code boundaryPc} and start a fresh window at
     * {@code newPc}, adding {@code extra} (1 when the trapping instruction itself
     * counts as retired).
     */
    public void redirect(long boundaryPc, long newPc, int extra) {
        begin(retiredAt(boundaryPc) + extra, newPc);
    }
}
