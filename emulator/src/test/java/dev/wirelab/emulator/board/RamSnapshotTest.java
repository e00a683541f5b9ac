package dev.wirelab.emulator.board;

import dev.wirelab.emulator.unicorn.HostMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guest RAM comes back byte for byte whatever the run did (rewrote pages, touched new ones, ran
 * again the same way), with or without the residency scan, and with two snapshots in turn.
 */
class RamSnapshotTest {
    private static final long PAGE = HostMemory.PAGE;
    private final MemorySegment ram = HostMemory.map(16L << 20);
    private final ResidencyWatch watch = new ResidencyWatch();
    private final Random random = new Random(12);

    @AfterEach
    void unmap() {
        HostMemory.unmap(ram);
    }

    private void scribble(long page, int seed) {
        for (int i = 0; i < 64; i++) {
            ram.set(ValueLayout.JAVA_LONG, page * PAGE + 8L * ((i * 37 + seed) % 512), random.nextLong() | 1);
        }
    }

    private byte[] contents() {
        return ram.toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void restoresEveryByteRunAfterRun() {
        for (long p : new long[] {0, 1, 7, 100, 2000}) {
            scribble(p, (int) p);
        }
        byte[] before = contents();
        try (RamSnapshot s = new RamSnapshot(ram, watch)) {
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
            // Runs that touch only what earlier runs touched need no residency scan (unless the JVM faulted).
            for (int run = 0; run < 20; run++) {
                scribble(7, run);
                s.restoreInto(ram);
                assertArrayEquals(before, contents(), "repeat " + run);
            }
            assertTrue(s.scansSkipped() > skippedBefore, "some restores skipped the residency scan");
        }
    }

    @Test
    void twoSnapshotsInTurn() {
        scribble(5, 1);
        byte[] a = contents();
        try (RamSnapshot sa = new RamSnapshot(ram, watch)) {
            scribble(5, 2);
            scribble(900, 3);
            byte[] b = contents();
            try (RamSnapshot sb = new RamSnapshot(ram, watch)) {
                for (int i = 0; i < 4; i++) {
                    scribble(1200 + i, i);
                    sa.restoreInto(ram);
                    assertArrayEquals(a, contents(), "a " + i);
                    scribble(1300 + i, i);
                    sb.restoreInto(ram);
                    assertArrayEquals(b, contents(), "b " + i);
                }
                assertEquals(0, sb.restoreInto(ram), "nothing changed since the last restore");
            }
        }
    }
}
