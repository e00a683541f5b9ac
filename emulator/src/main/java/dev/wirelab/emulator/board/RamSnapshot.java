package dev.wirelab.emulator.board;

import dev.wirelab.emulator.unicorn.HostMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Guest RAM as it was at a snapshot, kept as the pages that were in use.
 *
 * <p>Restoring copies back only what changed, without tracking stores while
 * the guest runs (a store hook costs ~78 ns per store via FFM on Unicorn 2.1.4): guest RAM
 * is an anonymous host mapping, so a page the guest never touched is not
 * resident ({@code mincore}). At restore, pages that became resident since the
 * snapshot are dropped back to zero with {@code madvise}, and pages resident
 * in both are compared and copied only when they differ.
 */
final class RamSnapshot implements AutoCloseable {
    private static final long PAGE = HostMemory.PAGE;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment pages;     // saved contents of the resident pages, densely packed
    private final int[] pageIndex;         // which RAM page each saved page is
    private final long[] resident;         // residency map at snapshot time, one byte per page, 8 pages a word
    private final long[] current;          // residency map at restore time
    private final MemorySegment residencyOut;

    RamSnapshot(MemorySegment ram) {
        int n = (int) (ram.byteSize() / PAGE);
        int words = (n + 7) / 8;
        residencyOut = arena.allocate((long) words * 8, 8);
        resident = residency(ram, words);
        current = new long[words];
        int count = 0;
        for (long w : resident) {
            count += Long.bitCount(w & RESIDENT_BITS);
        }
        pageIndex = new int[count];
        pages = arena.allocate(Math.max(1, count * PAGE), PAGE);
        int k = 0;
        for (int w = 0; w < words; w++) {
            for (long bits = resident[w] & RESIDENT_BITS; bits != 0; bits &= bits - 1) {
                int i = w * 8 + Long.numberOfTrailingZeros(bits) / 8;
                pageIndex[k] = i;
                MemorySegment.copy(ram, i * PAGE, pages, k * PAGE, PAGE);
                k++;
            }
        }
    }

    /** Bit 0 of each of the 8 residency bytes in a little-endian word. */
    private static final long RESIDENT_BITS = 0x0101_0101_0101_0101L;

    private long[] residency(MemorySegment ram, int words) {
        HostMemory.residency(ram, residencyOut);
        long[] w = new long[words];
        MemorySegment.copy(residencyOut, ValueLayout.JAVA_LONG, 0, w, 0, words);
        return w;
    }

    /** Bytes of guest RAM held. */
    long bytes() {
        return (long) pageIndex.length * PAGE;
    }

    /** Brings {@code ram} back; returns how many pages had to be written or dropped. */
    int restoreInto(MemorySegment ram) {
        HostMemory.residency(ram, residencyOut);
        MemorySegment.copy(residencyOut, ValueLayout.JAVA_LONG, 0, current, 0, current.length);
        int changed = 0;
        int k = 0;
        for (int w = 0; w < resident.length; w++) {
            long was = resident[w] & RESIDENT_BITS;
            long is = current[w] & RESIDENT_BITS;
            for (long bits = was | is; bits != 0; bits &= bits - 1) {
                int bit = Long.numberOfTrailingZeros(bits);
                long page = w * 8L + bit / 8;
                long off = page * PAGE;
                if ((was & (1L << bit)) != 0) {
                    if ((is & (1L << bit)) == 0
                            || MemorySegment.mismatch(ram, off, off + PAGE, pages, k * PAGE, (k + 1) * PAGE) >= 0) {
                        MemorySegment.copy(pages, k * PAGE, ram, off, PAGE);
                        changed++;
                    }
                    k++;
                } else {
                    HostMemory.discard(ram, off, PAGE); // touched only after the snapshot: back to zero
                    changed++;
                }
            }
        }
        return changed;
    }

    @Override
    public void close() {
        arena.close();
    }
}
