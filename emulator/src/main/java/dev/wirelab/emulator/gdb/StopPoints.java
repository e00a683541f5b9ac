package dev.wirelab.emulator.gdb;

import dev.wirelab.emulator.board.Board;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GDB's breakpoints and watchpoints as Unicorn hooks on the board. Breakpoints
 * (software and hardware alike) are code hooks on one address, so guest memory
 * is never patched and snapshots never see them; watchpoints are memory hooks
 * on the physical range the watched virtual range maps to when inserted.
 *
 * <p>The hooks act by {@link Mode}: LIVE stops the board where they fire,
 * RECORD only notes each hit with its exact instruction count (the reverse
 * scan), QUIET ignores them (re-execution to a point in history).
 */
final class StopPoints {
    enum Mode { LIVE, RECORD, QUIET }

    /** A hit: {@code count} instructions had retired, at {@code pc}, of a point of {@code kind}. */
    record Hit(long count, long pc, StopEvent.Kind kind, long dataAddress) { }

    private final Board board;
    private final Map<GdbTarget.StopPoint, Runnable> hooks = new HashMap<>();
    private Mode mode = Mode.QUIET;
    private final List<Hit> recorded = new ArrayList<>();
    private Hit stopHit;
    private long resumeCount = -1, resumePc = -1;

    StopPoints(Board board) {
        this.board = board;
    }

    void mode(Mode m) {
        mode = m;
        if (m == Mode.RECORD) {
            recorded.clear();
        }
        stopHit = null;
    }

    /**
     * A LIVE run resumed at {@code pc} after {@code count} instructions: a breakpoint there does not
     * fire before that first instruction ran (it is what stopped the run before).
     */
    void resumingAt(long count, long pc) {
        resumeCount = count;
        resumePc = pc;
    }

    /** The hit that stopped the last LIVE run, or null. */
    Hit stopHit() {
        return stopHit;
    }

    List<Hit> recorded() {
        return List.copyOf(recorded);
    }

    boolean isEmpty() {
        return hooks.isEmpty();
    }

    boolean insert(GdbTarget.StopPoint p, long physicalAddress) {
        if (hooks.containsKey(p)) {
            return true;
        }
        Runnable remover;
        if (p.kind().isWatch()) {
            GdbTarget.StopPoint.Kind kind = p.kind();
            long begin = physicalAddress;
            long end = physicalAddress + Math.max(1, p.length()) - 1;
            boolean reads = kind != GdbTarget.StopPoint.Kind.WRITE;
            boolean writes = kind != GdbTarget.StopPoint.Kind.READ;
            remover = board.hookAccesses(begin, end, reads, writes, (write, address, size) -> {
                StopEvent.Kind k = kind == GdbTarget.StopPoint.Kind.ACCESS ? StopEvent.Kind.WATCH_ACCESS
                        : write ? StopEvent.Kind.WATCH_WRITE : StopEvent.Kind.WATCH_READ;
                hit(new Hit(board.instructionsNow(), board.pc(), k, p.address() + Math.max(0, address - begin)), false);
            });
        } else {
            remover = board.hookInstruction(p.address(),
                    address -> hit(new Hit(board.instructionsNow(), address, StopEvent.Kind.BREAKPOINT, 0), true));
        }
        hooks.put(p, remover);
        return true;
    }

    boolean remove(GdbTarget.StopPoint p) {
        Runnable r = hooks.remove(p);
        if (r == null) {
            return false;
        }
        r.run();
        return true;
    }

    private void hit(Hit h, boolean beforeInstruction) {
        switch (mode) {
            case QUIET -> { }
            case RECORD -> recorded.add(h);
            case LIVE -> {
                if (h.pc() == resumePc && h.count() == resumeCount) {
                    return; // what stopped the run before, at the instruction it resumes with
                }
                if (stopHit == null) {
                    stopHit = h;
                    board.stopFromHook();
                }
            }
        }
    }

    void clear() {
        for (Runnable r : hooks.values()) {
            r.run();
        }
        hooks.clear();
    }
}
