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
 * <p>It also stops the CPU exactly, without Unicorn's count limit (which instruments every
 * instruction): given a deadline ({@link #stopAt}), the block hook stops before any block that
 * would run past it, so the CPU halts at the last block boundary at or before the deadline and
 * the executor runs the few instructions left under a one-shot code hook (Executor#runSlice).
 */
public final class InstructionCounter {
    private static final VarHandle COMPLETED = handle("completed");
    private static final VarHandle BLOCK_START = handle("block_start");
    private static final VarHandle BLOCK_INSNS = handle("block_insns");
    private static final VarHandle CALL_JAVA = handle("call_java");
    private static final VarHandle EDGES = handle("edges");
    private static final VarHandle UNMASK_BITS = handle("unmask_bits");
    private static final VarHandle STOP_AT = handle("stop_at");
    private static final VarHandle STOP_SKIP = handle("stop_skip");
    private static final VarHandle STOPPED = handle("stopped");
    /** In stop_at and stop_skip: none (UINT64_MAX). */
    private static final long NONE = -1L;

    private final MemorySegment state = Arena.ofAuto().allocate(NativeHooks.COUNTER_LAYOUT);
    private long base;          // instructions retired before the current slice's accounting window
    private long deadline = Long.MAX_VALUE; // absolute: the instruction count to stop at (MAX: none)
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
                if (onBlock(address, size)) {
                    uc.stop(); // before this block runs, as the C hook does
                    return;
                }
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
        STOP_AT.set(state, 0L, deadline == Long.MAX_VALUE ? NONE : Math.max(0, deadline - retired));
    }

    /**
     * Stops the CPU at the last block boundary at or before {@code retired} instructions (MAX: no
     * deadline), from the next {@link #begin} on; clears a previous stop and exemption.
     */
    public void stopAt(long retired) {
        deadline = retired;
        STOPPED.set(state, 0L, 0L);
        STOP_SKIP.set(state, 0L, NONE);
    }

    /** The deadline set by {@link #stopAt}. */
    public long deadline() {
        return deadline;
    }

    /** True (once) when the block hook stopped the CPU at the deadline: PC is at the stopped block. */
    public boolean takeDeadlineStop() {
        boolean stopped = (long) STOPPED.get(state, 0L) != 0;
        STOPPED.set(state, 0L, 0L);
        return stopped;
    }

    /** The block stopped at the deadline: its first instruction and its length in instructions. */
    public long stoppedBlockStart() {
        return (long) BLOCK_START.get(state, 0L);
    }

    public long stoppedBlockInsns() {
        return (long) BLOCK_INSNS.get(state, 0L);
    }

    /** The next block starting at {@code address} runs even though it crosses the deadline (once). */
    public void exemptOnce(long address) {
        STOP_SKIP.set(state, 0L, address);
    }

    /**
     * UC_HOOK_BLOCK bookkeeping (the Java path; the C hook does the same); true when the block
     * would cross the deadline and the CPU must stop before it.
     */
    public boolean onBlock(long address, int size) {
        long completed = (long) COMPLETED.get(state, 0L) + (long) BLOCK_INSNS.get(state, 0L);
        long insns = size >>> 2;
        COMPLETED.set(state, 0L, completed);
        BLOCK_START.set(state, 0L, address);
        BLOCK_INSNS.set(state, 0L, insns);
        if (Long.compareUnsigned(completed + insns, (long) STOP_AT.get(state, 0L)) > 0) {
            if (address == (long) STOP_SKIP.get(state, 0L)) {
                STOP_SKIP.set(state, 0L, NONE);
            } else {
                STOPPED.set(state, 0L, 1L);
                return true;
            }
        }
        return false;
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
