package dev.wirelab.fuzz.campaign;

import dev.wirelab.fuzz.finding.AtomicFiles;
import dev.wirelab.fuzz.finding.FindingStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * How often this worker ran into findings that were stored already, for the report's count column:
 * {@code findings/ID/seen-PID} holds this process's number, replaced atomically (at most every two
 * seconds per finding, so a bug hit on every execution does not turn into a write per execution).
 * Counts since the last write are lost with the process: the column is "at least".
 */
final class FindingTally {
    /** File name prefix; {@code report/FindingRow} adds the files up. */
    static final String PREFIX = "seen-";
    private static final long WRITE_EVERY_NANOS = 2_000_000_000L;

    private final Path findings;
    private final String file = PREFIX + ProcessHandle.current().pid();
    private final Map<String, long[]> counts = new HashMap<>(); // id -> {count, count written, nanoTime written}

    FindingTally(Path findings) {
        this.findings = findings;
    }

    /** One more execution ended with {@code title}, which another execution stored before. */
    void seenAgain(String title) {
        String id = FindingStore.idFor(title);
        long[] c = counts.computeIfAbsent(id, k -> new long[] {0, 0, System.nanoTime() - WRITE_EVERY_NANOS});
        c[0]++;
        // Host time only paces these writes; nothing of it reaches the guest.
        if (System.nanoTime() - c[2] >= WRITE_EVERY_NANOS) {
            write(id, c);
        }
    }

    /** Writes the counts not written yet. */
    void flush() {
        counts.forEach((id, c) -> {
            if (c[0] != c[1]) {
                write(id, c);
            }
        });
    }

    private void write(String id, long[] c) {
        Path dir = findings.resolve(id);
        if (!Files.isDirectory(dir)) {
            return; // another worker is still saving it: counted on the next write
        }
        try {
            AtomicFiles.write(dir.resolve(file), Long.toString(c[0]).getBytes(StandardCharsets.US_ASCII));
            c[1] = c[0];
            c[2] = System.nanoTime();
        } catch (IOException e) {
            c[2] = System.nanoTime(); // a full disk loses a count, never the finding or the run
        }
    }
}
