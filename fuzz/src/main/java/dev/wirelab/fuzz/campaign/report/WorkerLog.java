package dev.wirelab.fuzz.campaign.report;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Follows one worker's log file as it grows and keeps its latest {@link EngineStatus}. Executions
 * of earlier workers on the same log (a resumed campaign appends) are kept in {@link #execs()}.
 */
public final class WorkerLog {
    private final Path file;
    private long offset;
    private final StringBuilder partial = new StringBuilder();
    private final java.util.function.Consumer<String> lines;
    private long finishedExecs;
    private EngineStatus last = new EngineStatus(0, 0, false);
    private boolean sawNew;

    public WorkerLog(Path file) {
        this(file, line -> { });
    }

    /** Also hands every complete line to {@code lines} (the time-to-find bench watches for finding lines). */
    public WorkerLog(Path file, java.util.function.Consumer<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    /** Reads what was appended since the last call; true when a line reported new coverage. */
    public boolean poll() throws IOException {
        sawNew = false;
        if (!Files.exists(file)) {
            return false;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() < offset) {
                offset = 0; // truncated: a new worker started on this log
            }
            f.seek(offset);
            byte[] buf = new byte[(int) Math.min(f.length() - offset, 1 << 20)];
            f.readFully(buf);
            offset += buf.length;
            partial.append(new String(buf, StandardCharsets.UTF_8));
        }
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
            line(partial.substring(0, nl));
            partial.delete(0, nl + 1);
        }
        return sawNew;
    }

    private void line(String l) {
        lines.accept(l);
        Optional<EngineStatus> s = EngineStatus.parse(l);
        if (s.isEmpty()) {
            return;
        }
        if (s.get().execs() < last.execs()) {
            finishedExecs += last.execs(); // the engine restarted (next target or resumed run)
        }
        last = s.get();
        sawNew |= last.newInput();
    }

    public long execs() {
        return finishedExecs + last.execs();
    }

    public long coverage() {
        return last.coverage();
    }

    /** Starts counting the next engine run's executions on top of this one's. */
    public void engineEnded() {
        finishedExecs += last.execs();
        last = new EngineStatus(0, last.coverage(), false);
    }
}
