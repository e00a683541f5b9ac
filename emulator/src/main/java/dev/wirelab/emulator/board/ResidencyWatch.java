package dev.wirelab.emulator.board;

import dev.wirelab.emulator.unicorn.HostMemory;

/**
 * Knows when guest RAM's residency map cannot have changed, so a restore can
 * skip the {@code mincore} scan over the whole RAM (the larger half of a
 * restore's cost after a short run). After a snapshot or a restore the
 * resident pages are exactly that snapshot's; a page can become resident only
 * through a page fault, so while the process's fault count stands still they
 * still are. Any fault anywhere in the process (the JVM's own included) just
 * means one scan: never a wrong answer, sometimes an unneeded scan.
 */
final class ResidencyWatch {
    private RamSnapshot residentAs;
    private long faults = -1;

    /** True when RAM's resident pages are still exactly {@code s}'s. */
    boolean unchangedSince(RamSnapshot s) {
        return s == residentAs && faults >= 0 && HostMemory.pageFaults() == faults;
    }

    /** RAM's resident pages are now exactly {@code s}'s (it was just taken or restored). */
    void mark(RamSnapshot s) {
        residentAs = s;
        faults = HostMemory.pageFaults();
    }

    void forget(RamSnapshot s) {
        if (residentAs == s) {
            residentAs = null;
        }
    }
}
