package dev.wirelab.emulator.board;

import dev.wirelab.emulator.unicorn.HostMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Guest RAM as it was at a snapshot, kept as the pages that were in use.
 *
 * <p>Restoring copies back only what changed, without tracking stores while
 * the guest runs (a store hook costs ~78 ns per store, DESIGN.md): guest RAM
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
    private final byte[] resident;         // residency map at snapshot time
    private final MemorySegment scratch;   // residency map at restore time
    private final MemorySegment residencyOut;

    RamSnapshot(MemorySegment ram) {
        int n = (int) (ram.byteSize() / PAGE);
        residencyOut = arena.allocate(n);
        HostMemory.residency(ram, residencyOut);
        resident = residencyOut.toArray(ValueLayout.JAVA_BYTE);
        int count = 0;
        for (byte b : resident) {
            count += b & 1;
        }
        pageIndex = new int[count];
        pages = arena.allocate(Math.max(1, count * PAGE), PAGE);
        int k = 0;
        for (int i = 0; i < n; i++) {
            if ((resident[i] & 1) != 0) {
                pageIndex[k] = i;
                MemorySegment.copy(ram, i * PAGE, pages, k * PAGE, PAGE);
                k++;
            }
        }
        scratch = arena.allocate(n);
    }

    /** Bytes of guest RAM held. */
    long bytes() {
        return (long) pageIndex.length * PAGE;
    }

    /** Brings {@code ram} back; returns how many pages had to be written or dropped. */
    int restoreInto(MemorySegment ram) {
        int n = resident.length;
        HostMemory.residency(ram, scratch);
        int changed = 0;
        int k = 0;
        for (int i = 0; i < n; i++) {
            boolean wasResident = (resident[i] & 1) != 0;
            boolean isResident = (scratch.get(ValueLayout.JAVA_BYTE, i) & 1) != 0;
            if (wasResident) {
                long off = i * PAGE;
                if (!isResident || MemorySegment.mismatch(ram, off, off + PAGE, pages, k * PAGE, (k + 1) * PAGE) >= 0) {
                    MemorySegment.copy(pages, k * PAGE, ram, off, PAGE);
                    changed++;
                }
                k++;
            } else if (isResident) {
                HostMemory.discard(ram, i * PAGE, PAGE);
                changed++;
            }
        }
        return changed;
    }

    @Override
    public void close() {
        arena.close();
    }
}
