package dev.wirelab.emulator.gdb;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.unicorn.UcHook;
import dev.wirelab.emulator.unicorn.Unicorn;

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
    private final Unicorn uc;
    private final Map<GdbTarget.StopPoint, UcHook> hooks = new HashMap<>();
    private Mode mode = Mode.QUIET;
    private final List<Hit> recorded = new ArrayList<>();
    private Hit stopHit;
    private long resumeCount = -1, resumePc = -1;

    StopPoints(Board board) {
        this.board = board;
        this.uc = board.unicorn();
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
        UcHook h;
        if (p.kind().isWatch()) {
            int types = switch (p.kind()) {
                case WRITE -> Unicorn.HOOK_MEM_WRITE;
                case READ -> Unicorn.HOOK_MEM_READ;
                default -> Unicorn.HOOK_MEM_READ | Unicorn.HOOK_MEM_WRITE;
            };
            long begin = physicalAddress;
            long end = physicalAddress + Math.max(1, p.length()) - 1;
            h = uc.hookMemory(types, (type, address, size, value) -> {
                if (address + size - 1 < begin || address > end) {
                    return true;
                }
                StopEvent.Kind k = p.kind() == GdbTarget.StopPoint.Kind.ACCESS ? StopEvent.Kind.WATCH_ACCESS
                        : type == Unicorn.MEM_WRITE ? StopEvent.Kind.WATCH_WRITE : StopEvent.Kind.WATCH_READ;
                hit(new Hit(board.instructionsNow(), board.pc(), k, p.address() + Math.max(0, address - begin)), false);
                return true;
            }, begin, end);
        } else {
            long at = p.address();
            h = uc.hookCode((address, size) -> {
                if (address == at) {
                    hit(new Hit(board.instructionsNow(), address, StopEvent.Kind.BREAKPOINT, 0), true);
                }
            }, at, at);
        }
        hooks.put(p, h);
        uc.flushTranslations(); // blocks translated before the hook do not call it
        return true;
    }

    boolean remove(GdbTarget.StopPoint p) {
        UcHook h = hooks.remove(p);
        if (h == null) {
            return false;
        }
        uc.removeHook(h);
        uc.flushTranslations();
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
                    board.stopFromHook(beforeInstruction ? "gdb breakpoint" : "gdb watchpoint");
                }
            }
        }
    }

    void clear() {
        for (UcHook h : hooks.values()) {
            uc.removeHook(h);
        }
        hooks.clear();
        uc.flushTranslations();
    }
}
