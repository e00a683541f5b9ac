package dev.wirelab.emulator.board;

import dev.wirelab.emulator.unicorn.HostMemory;
import dev.wirelab.emulator.unicorn.DirtyPages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guest RAM comes back byte for byte whatever the run did (rewrote pages, touched new ones, ran
 * again the same way), with or without the residency scan, and with two snapshots in turn; both
 * with the kernel's written-page tracking (the fast restore) and without it (scan and compare).
 */
class RamSnapshotTest {
    private static final long PAGE = HostMemory.PAGE;
    private final MemorySegment ram = HostMemory.map(16L << 20);
    private final ResidencyWatch watch = new ResidencyWatch();
    private final Random random = new Random(12);

    private DirtyRam dirty;

    @AfterEach
    void unmap() {
        if (dirty != null) {
            dirty.close();
        }
        HostMemory.unmap(ram);
    }

    private DirtyRam dirty(boolean track) {
        dirty = new DirtyRam(ram, track);
        return dirty;
    }

    private void checkTracking(boolean track) {
        assertEquals(track, dirty.tracking(), "written-page tracking on this kernel: " + DirtyPages.lastFailure());
    }

    private void scribble(long page, int seed) {
        for (int i = 0; i < 64; i++) {
            ram.set(ValueLayout.JAVA_LONG, page * PAGE + 8L * ((i * 37 + seed) % 512), random.nextLong() | 1);
        }
    }

    private byte[] contents() {
        return ram.toArray(ValueLayout.JAVA_BYTE);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void restoresEveryByteRunAfterRun(boolean track) {
        DirtyRam d = dirty(track);
        for (long p : new long[] {0, 1, 7, 100, 2000}) {
            scribble(p, (int) p);
        }
        byte[] before = contents();
        try (RamSnapshot s = new RamSnapshot(ram, watch, d)) {
            checkTracking(track);
            long skippedBefore = s.scansSkipped();
            for (int run = 0; run < 6; run++) {
                scribble(7, run);                 // a page of the snapshot, changed
                scribble(3000 + run % 2, run);    // pages the snapshot never had (zero there)
                if (run == 3) {
                    scribble(3900, run);          // once only: stays resident, must read zero again
                }
                assertTrue(s.restoreInto(ram) >= 2, "run " + run);
                assertArrayEquals(before, contents(), "run " + run);
            }
            // Runs that touch only what earlier runs touched need no residency scan (unless the JVM faulted:
            // so compare against an off-heap copy, a fresh 16 MiB array per check would fault every time).
            MemorySegment expected = java.lang.foreign.Arena.ofAuto().allocate(ram.byteSize());
            MemorySegment.copy(before, 0, expected, ValueLayout.JAVA_BYTE, 0, before.length);
            for (int run = 0; run < 200; run++) { // many: any fault anywhere in the JVM forces one scan
                scribble(7, run);
                s.restoreInto(ram);
                assertEquals(-1, ram.mismatch(expected), "repeat " + run);
            }
            if (track) {
                assertEquals(206, d.fastRestores(), "every restore put back just the written pages");
            } else {
                assertTrue(s.scansSkipped() > skippedBefore, "some restores skipped the residency scan");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void twoSnapshotsInTurn(boolean track) {
        DirtyRam d = dirty(track);
        scribble(5, 1);
        byte[] a = contents();
        try (RamSnapshot sa = new RamSnapshot(ram, watch, d)) {
            checkTracking(track);
            scribble(5, 2);
            scribble(900, 3);
            byte[] b = contents();
            try (RamSnapshot sb = new RamSnapshot(ram, watch, d)) {
                for (int i = 0; i < 4; i++) {
                    scribble(1200 + i, i);
                    sa.restoreInto(ram);
                    assertArrayEquals(a, contents(), "a " + i);
                    scribble(1300 + i, i);
                    sb.restoreInto(ram);
                    assertArrayEquals(b, contents(), "b " + i);
                }
                assertEquals(0, sb.restoreInto(ram), "nothing changed since the last restore");
                scribble(5, 9);
                scribble(1400, 9);
                assertEquals(2, sb.restoreInto(ram), "the two written pages, and only those");
                assertArrayEquals(b, contents(), "b again");
            }
        }
    }
}
