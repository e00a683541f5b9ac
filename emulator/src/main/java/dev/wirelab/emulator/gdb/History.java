package dev.wirelab.emulator.gdb;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.Snapshot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The machine's recorded past, for reverse execution: a ring of checkpoints
 * (whole-board snapshots) and, after each, the runs that followed it exactly
 * as they were made (instruction counts, interrupts held or not, where a
 * breakpoint ended one). A point in the past is reached by restoring the
 * nearest earlier checkpoint and re-making those runs; the board is
 * deterministic, so the re-made past is the past.
 *
 * <p>Cost bound: a checkpoint is taken at the first run boundary at least
 * {@code interval} instructions after the previous one, so reaching any point
 * re-executes fewer than {@code interval} instructions (plus the last single
 * run when one was longer: a continue is cut into interval-long runs). The
 * ring keeps {@code capacity} checkpoints; the oldest is dropped (and with it
 * that part of the past) when a new one is taken.
 */
final class History implements AutoCloseable {
    /** A run as it was made: from {@code from} to {@code to} instructions; {@code stopPc} >= 0 when a breakpoint ended it there. */
    record Run(long from, long to, boolean held, long stopPc) { }

    private static final class Checkpoint {
        final Snapshot snapshot;
        final long at;
        final List<Run> runs = new ArrayList<>();

        Checkpoint(Snapshot snapshot, long at) {
            this.snapshot = snapshot;
            this.at = at;
        }
    }

    /** Defaults: a checkpoint every 1 M instructions, 64 kept (64 M instructions of history). */
    static final long DEFAULT_INTERVAL = 1_000_000;
    static final int DEFAULT_CAPACITY = 64;

    private final Board board;
    private final StopPoints points;
    private final long interval;
    private final int capacity;
    private final ArrayDeque<Checkpoint> ring = new ArrayDeque<>();
    private long end;       // the newest instruction count history reaches
    private long position;  // where the machine is now
    private long replayedInstructions;

    History(Board board, StopPoints points, long interval, int capacity) {
        if (interval < 1 || capacity < 1) {
            throw new IllegalArgumentException("history interval and capacity must be positive");
        }
        this.board = board;
        this.points = points;
        this.interval = interval;
        this.capacity = capacity;
        rebase();
    }

    /** Forgets the past: history starts again here (after the host changed the machine behind it). */
    void rebase() {
        closeAll();
        long now = board.clock().instructions();
        ring.add(new Checkpoint(board.snapshot(), now));
        end = now;
        position = now;
    }

    long start() {
        return ring.getFirst().at;
    }

    long end() {
        return end;
    }

    long position() {
        return position;
    }

    boolean atEnd() {
        return position == end;
    }

    long interval() {
        return interval;
    }

    int checkpoints() {
        return ring.size();
    }

    long replayedInstructions() {
        return replayedInstructions;
    }

    /** Instructions a live run may make before the next checkpoint is due. */
    long untilCheckpoint() {
        return Math.max(1, ring.getLast().at + interval - end);
    }

    /**
     * Notes a live run from {@code from} to {@code to} at the end of history ({@code stopPc} >= 0: a
     * hook ended it there). The machine must be at {@code to} before {@link #checkpointIfDue}.
     */
    void append(long from, long to, boolean held, long stopPc) {
        ring.getLast().runs.add(new Run(from, to, held, stopPc));
        end = to;
        position = to;
    }

    /** Takes a checkpoint here when the last one is {@code interval} or more instructions back. */
    void checkpointIfDue() {
        long now = board.clock().instructions();
        if (now == end && now - ring.getLast().at >= interval) {
            ring.add(new Checkpoint(board.snapshot(), now));
            while (ring.size() > capacity) {
                ring.removeFirst().snapshot.close();
            }
        }
    }

    /**
     * Puts the machine at instruction {@code target} of history: before that instruction, or, when
     * {@code pc} >= 0, where execution reached {@code pc} with {@code target} instructions retired.
     */
    void goTo(long target, long pc) {
        Checkpoint c = checkpointAtOrBefore(target);
        replay(c, target, pc);
        position = target;
    }

    /**
     * Re-executes from the checkpoint at {@code at} up to {@code to} with the stop points recording,
     * and returns the hits, oldest first. The machine is left there: call {@link #goTo} after.
     */
    List<StopPoints.Hit> scanSegment(long at, long to) {
        Checkpoint c = checkpointAtOrBefore(at);
        points.mode(StopPoints.Mode.RECORD);
        try {
            replay(c, to, -1);
            return points.recorded();
        } finally {
            points.mode(StopPoints.Mode.QUIET);
        }
    }

    /** Hits in {@code (after, to]} going forward from {@code after}, segment by segment. */
    List<StopPoints.Hit> scan(long after, long to) {
        List<StopPoints.Hit> hits = new ArrayList<>();
        for (long[] seg : segmentsForward()) {
            if (seg[1] < after || seg[0] > to) {
                continue;
            }
            hits.addAll(scanSegment(seg[0], Math.min(seg[1], to)));
        }
        return hits;
    }

    /** [checkpoint, next checkpoint or end) for each checkpoint, newest first. */
    Iterator<long[]> segmentsBackward() {
        List<long[]> l = segmentsForward();
        java.util.Collections.reverse(l);
        return l.iterator();
    }

    private List<long[]> segmentsForward() {
        List<long[]> l = new ArrayList<>();
        Checkpoint prev = null;
        for (Checkpoint c : ring) {
            if (prev != null) {
                l.add(new long[] {prev.at, c.at});
            }
            prev = c;
        }
        l.add(new long[] {prev.at, end});
        return l;
    }

    private Checkpoint checkpointAtOrBefore(long target) {
        Checkpoint best = ring.getFirst();
        for (Checkpoint c : ring) {
            if (c.at <= target) {
                best = c;
            }
        }
        return best;
    }

    private void replay(Checkpoint c, long target, long pc) {
        // The past's console output was shown when it happened: re-making it must not show it again.
        var echo = board.console().echo();
        board.console().echoTo(null);
        try {
            board.restore(c.snapshot);
            for (Run r : c.runs) {
                if (r.to() < target) {
                    runTo(r.from(), r.to(), r.held(), r.stopPc());
                    continue;
                }
                // The run that contains the target: re-made only up to it.
                runTo(r.from(), target, r.held(), pc);
                return;
            }
        } finally {
            board.console().echoTo(echo);
        }
    }

    /** Re-makes one run: exactly to {@code to}, ending at the breakpoint's hook when {@code stopPc} >= 0. */
    private void runTo(long from, long to, boolean held, long stopPc) {
        long n = to - from;
        Runnable stopHook = null;
        if (stopPc >= 0) {
            // A breakpoint stop may come right after an interrupt was taken at the same count: only the
            // same hook at the same count ends the re-made run at the same state.
            stopHook = board.hookInstruction(stopPc, address -> {
                if (board.instructionsNow() == to) {
                    board.stopFromHook();
                }
            });
            n++;
        }
        board.holdInterrupts(held);
        try {
            Stop r = board.run(n);
            replayedInstructions += r.instructions() - from;
        } finally {
            board.holdInterrupts(false);
            if (stopHook != null) {
                stopHook.run();
            }
        }
    }

    private void closeAll() {
        for (Checkpoint c : ring) {
            c.snapshot.close();
        }
        ring.clear();
    }

    @Override
    public void close() {
        closeAll();
    }
}
