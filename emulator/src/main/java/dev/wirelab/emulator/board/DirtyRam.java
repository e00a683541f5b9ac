package dev.wirelab.emulator.board;

import dev.wirelab.emulator.unicorn.DirtyPages;

import java.lang.foreign.MemorySegment;

/**
 * Guest RAM's written pages since the last snapshot or restore (the baseline), when the kernel
 * tracks them ({@link DirtyPages}): restoring the baseline's snapshot then puts back only those
 * pages, with no residency scan and no page comparison. Restoring any other snapshot goes the
 * slow way and makes it the baseline. Opened at the first snapshot, so boards that never
 * snapshot pay nothing (not even the write faults).
 */
final class DirtyRam implements AutoCloseable {
    private final MemorySegment ram;
    private final boolean track;
    private DirtyPages pages;
    private boolean opened;
    private RamSnapshot baseline;
    private long fastRestores;

    /** {@code track} false: never track (every restore goes the slow way; tests compare the two). */
    DirtyRam(MemorySegment ram, boolean track) {
        this.ram = ram;
        this.track = track;
    }

    /** RAM holds exactly {@code s} now (it was just taken or restored the slow way). */
    void baseline(RamSnapshot s) {
        if (!opened) {
            opened = true;
            pages = track ? DirtyPages.open(ram) : null;
        }
        if (pages != null) {
            pages.markClean();
            baseline = s;
        }
    }

    /** Restores {@code s} from its pages when it is the baseline; null when not (go the slow way). */
    DirtyPages.Restored restore(RamSnapshot s, MemorySegment saved, MemorySegment slots, MemorySegment watch) {
        if (pages == null || baseline != s) {
            return null;
        }
        DirtyPages.Restored r = pages.restore(saved, slots, watch);
        if (r.pages() < 0) {
            baseline = null; // RAM is half restored: only the slow way knows what is right now
            return null;
        }
        fastRestores++;
        return r;
    }

    void forget(RamSnapshot s) {
        if (baseline == s) {
            baseline = null;
        }
    }

    /** Whether written pages are tracked (false: no kernel support, no native library, or before the first snapshot). */
    boolean tracking() {
        return pages != null;
    }

    /** Restores by path so far (null while not tracking). */
    DirtyPages.Paths paths() {
        return pages == null ? null : pages.paths();
    }

    long fastRestores() {
        return fastRestores;
    }

    @Override
    public void close() {
        if (pages != null) {
            pages.close();
            pages = null;
        }
        baseline = null;
    }
}
