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
 * in both are compared and copied only when they differ. The residency scan
 * itself is skipped while {@link ResidencyWatch} proves nothing became resident.
 */
final class RamSnapshot implements AutoCloseable {
    private static final long PAGE = HostMemory.PAGE;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment pages;     // saved contents of the resident pages, densely packed
    private final int[] pageIndex;         // which RAM page each saved page is
    private final MemorySegment slots;     // per RAM page: its index in pages, or -1 (int32, for the native restore)
    private final MemorySegment tables;    // per RAM page: 1 when it holds a translation table at the snapshot
    private boolean tablesKnown;
    private boolean tablesIntact;          // the last restore knew that no table page had been written
    private final long[] resident;         // residency map at snapshot time, one byte per page, 8 pages a word
    private final long[] current;          // residency map at restore time
    private final long[] keptZero;         // pages zero at the snapshot that a restore zeroed but kept resident (same format)
    private int keptZeroCount;
    private final MemorySegment residencyOut;
    private final ResidencyWatch watch;
    private final DirtyRam dirty;
    private long scansSkipped;

    RamSnapshot(MemorySegment ram, ResidencyWatch watch, DirtyRam dirty) {
        this.watch = watch;
        this.dirty = dirty;
        int n = (int) (ram.byteSize() / PAGE);
        int words = (n + 7) / 8;
        residencyOut = arena.allocate((long) words * 8, 8);
        resident = residency(ram, words);
        current = new long[words];
        keptZero = new long[words];
        int count = 0;
        for (long w : resident) {
            count += Long.bitCount(w & RESIDENT_BITS);
        }
        pageIndex = new int[count];
        pages = arena.allocate(Math.max(1, count * PAGE), PAGE);
        slots = arena.allocate((long) n * Integer.BYTES, Integer.BYTES);
        slots.fill((byte) 0xff);
        tables = arena.allocate(n);
        int k = 0;
        for (int w = 0; w < words; w++) {
            for (long bits = resident[w] & RESIDENT_BITS; bits != 0; bits &= bits - 1) {
                int i = w * 8 + Long.numberOfTrailingZeros(bits) / 8;
                pageIndex[k] = i;
                slots.setAtIndex(ValueLayout.JAVA_INT, i, k);
                MemorySegment.copy(ram, i * PAGE, pages, k * PAGE, PAGE);
                k++;
            }
        }
        watch.mark(this);
        dirty.baseline(this);
    }

    /**
     * Pages that were zero at the snapshot and that runs keep touching are zeroed and kept
     * resident rather than dropped: dropping them makes the next run fault them back in, and
     * that fault forces the next restore to scan residency again. Up to this many pages (then dropped).
     */
    private static final int KEEP_ZERO_LIMIT = 256;
    private static final MemorySegment ZERO_PAGE = Arena.global().allocate(PAGE, PAGE);

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
        var fast = dirty.restore(this, pages, slots, tables);
        tablesIntact = fast != null && tablesKnown && !fast.watchedWritten();
        if (fast != null) {
            watch.forget(this); // written pages were zeroed in place and stay resident: rescan if ever slow
            return (int) fast.pages();
        }
        if (watch.unchangedSince(this)) {
            for (int w = 0; w < current.length; w++) {
                current[w] = resident[w] | keptZero[w]; // what the last restore of this snapshot left resident
            }
            scansSkipped++;
        } else {
            HostMemory.residency(ram, residencyOut);
            MemorySegment.copy(residencyOut, ValueLayout.JAVA_LONG, 0, current, 0, current.length);
        }
        int changed = 0;
        int k = 0;
        for (int w = 0; w < resident.length; w++) {
            long was = resident[w] & RESIDENT_BITS;
            long is = current[w] & RESIDENT_BITS;
            long kept = keptZero[w] & RESIDENT_BITS;
            for (long bits = was | is | kept; bits != 0; bits &= bits - 1) {
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
                } else if ((is & (1L << bit)) == 0) {
                    keptZero[w] &= ~(1L << bit); // a kept page is no longer resident (reads zero): stop keeping it
                    keptZeroCount--;
                } else if ((kept & (1L << bit)) != 0 || keptZeroCount < KEEP_ZERO_LIMIT) {
                    // Zero at the snapshot: zeroed in place, kept resident (see KEEP_ZERO_LIMIT).
                    if (MemorySegment.mismatch(ram, off, off + PAGE, ZERO_PAGE, 0, PAGE) >= 0) {
                        ram.asSlice(off, PAGE).fill((byte) 0);
                        changed++;
                    }
                    if ((kept & (1L << bit)) == 0) {
                        keptZero[w] |= 1L << bit;
                        keptZeroCount++;
                    }
                } else {
                    HostMemory.discard(ram, off, PAGE); // touched only after the snapshot: back to zero
                    changed++;
                }
            }
        }
        watch.mark(this);
        dirty.baseline(this);
        return changed;
    }

    /**
     * Marks the RAM pages that hold the snapshot's translation tables ({@code byteOffsets} into
     * RAM), so a restore can tell whether any of them had been written; never called: unknown.
     */
    void tablePages(long[] byteOffsets) {
        for (long off : byteOffsets) {
            tables.set(ValueLayout.JAVA_BYTE, off / PAGE, (byte) 1);
        }
        tablesKnown = true;
    }

    /** Whether the last {@link #restoreInto} knows that no page of the snapshot's translation tables was written. */
    boolean tablesIntact() {
        return tablesIntact;
    }

    /** Restores that did not need the residency scan (a measure for the bench). */
    long scansSkipped() {
        return scansSkipped;
    }

    @Override
    public void close() {
        watch.forget(this);
        dirty.forget(this);
        arena.close();
    }
}
