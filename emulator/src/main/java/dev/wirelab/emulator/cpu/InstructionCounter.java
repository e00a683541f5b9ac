package dev.wirelab.emulator.cpu;

/**
 * Counts retired guest instructions exactly without Unicorn's per-instruction
 * counter (which halves speed). A block hook reports each translated block as
 * it starts; AArch64 blocks are straight-line runs of 4-byte instructions, so
 * at any host callback the number retired in the current block is
 * {@code (pc - blockStart) / 4}. Whole blocks are credited when the next one
 * starts.
 *
 * <p>Stopping at an exact instruction is Unicorn's count limit's job, not
 * this class's: the board always runs count-limited (see Executor#runSlice).
 */
public final class InstructionCounter {
    private long base;          // instructions retired before the current slice's accounting window
    private long completed;     // whole blocks finished since base
    private long blockStart;    // current block's first instruction
    private long blockInsns;    // instructions in the current block not yet credited

    /** Starts accounting at {@code pc} with {@code retired} instructions already on the clock. */
    public void begin(long retired, long pc) {
        base = retired;
        completed = 0;
        blockStart = pc;
        blockInsns = 0;
    }

    /** UC_HOOK_BLOCK callback. */
    public void onBlock(long address, int size) {
        completed += blockInsns;
        blockStart = address;
        blockInsns = size >>> 2;
    }

    /** Instructions retired so far, with the CPU about to execute {@code pc}. */
    public long retiredAt(long pc) {
        long inBlock = (pc - blockStart) >> 2;
        if (inBlock < 0 || inBlock > blockInsns) {
            // pc left the block without a new block starting (host redirected it): count the block fully.
            inBlock = blockInsns;
        }
        return base + completed + inBlock;
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
