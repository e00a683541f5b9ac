package dev.wirelab.emulator.gdb;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.cpu.Reg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The board as a GDB target: registers through the binding, memory through the
 * guest's page tables (or physical with {@link #physical(boolean)}), stop points
 * as hooks, and resuming in both directions over a {@link History}. Runs forward
 * at the end of history are live and recorded; anything else re-executes the past.
 * Every register or memory write, and every change a monitor command makes,
 * starts history again at that point (the old past no longer leads here).
 */
public final class BoardTarget implements GdbTarget, AutoCloseable {
    private static final long PAGE = 4096;

    private final Board board;
    private final StopPoints points;
    private final History history;
    private volatile boolean interrupted;
    private volatile boolean running;
    private volatile boolean physical;
    private StopEvent last = StopEvent.of(StopEvent.Kind.INTERRUPTED);
    private Stop ended;

    public BoardTarget(Board board) {
        this(board, History.DEFAULT_INTERVAL, History.DEFAULT_CAPACITY);
    }

    /** A checkpoint every {@code interval} instructions, {@code capacity} kept. */
    public BoardTarget(Board board, long interval, int capacity) {
        this.board = board;
        this.points = new StopPoints(board);
        board.endRunsBeforeInterrupts(true);
        this.history = new History(board, points, interval, capacity);
    }

    public Board board() {
        return board;
    }

    /** Memory packets use physical addresses when on ({@code monitor phys on}). */
    public void physical(boolean on) {
        physical = on;
    }

    public boolean physical() {
        return physical;
    }

    /** After the host changed the machine (tick, inject, restore): the recorded past no longer leads here. */
    public void machineChanged() {
        history.rebase();
    }

    /** "history: 12,345 .. 1,234,567 instructions, 3 checkpoints every 1,000,000; now at ..." */
    public String historySummary() {
        return String.format("history: instructions %,d .. %,d, %d checkpoint(s) every %,d; now at %,d%s; re-executed %,d",
                history.start(), history.end(), history.checkpoints(), history.interval(), history.position(),
                history.atEnd() ? " (live)" : " (in the past)", history.replayedInstructions());
    }

    // ---- registers ------------------------------------------------------

    @Override
    public byte[] readRegister(int n) {
        int size = TargetDescription.size(n);
        if (size == 16) {
            return board.vreg(n - TargetDescription.V0);
        }
        long v = board.reg(reg(n));
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        return (size == 8 ? b.putLong(v) : b.putInt((int) v)).array();
    }

    @Override
    public void writeRegister(int n, byte[] value) {
        int size = TargetDescription.size(n);
        if (value.length != size) {
            throw new IllegalArgumentException("register " + TargetDescription.name(n) + " takes " + size + " bytes");
        }
        if (size == 16) {
            board.setVreg(n - TargetDescription.V0, value);
        } else {
            ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
            board.setReg(reg(n), size == 8 ? b.getLong() : b.getInt() & 0xffff_ffffL);
        }
        history.rebase();
    }

    private static Reg reg(int n) {
        if (n <= 30) {
            return Reg.x(n);
        }
        return switch (n) {
            case TargetDescription.SP -> Reg.SP;
            case TargetDescription.PC -> Reg.PC;
            case TargetDescription.CPSR -> Reg.PSTATE;
            case TargetDescription.FPSR -> Reg.FPSR;
            case TargetDescription.FPCR -> Reg.FPCR;
            default -> throw new IllegalArgumentException("no register " + n);
        };
    }

    // ---- memory ---------------------------------------------------------

    /** The physical address of {@code va} (itself in physical mode), or -1 when nothing maps it. */
    long physicalAddress(long va) {
        return physical ? va : board.translate(va);
    }

    @Override
    public byte[] readMemory(long address, int length) {
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long va = address + done;
            int n = (int) Math.min(length - done, PAGE - (va & (PAGE - 1)));
            long pa = physicalAddress(va);
            if (pa == -1 || !board.isMemory(pa, n)) {
                if (done == 0) {
                    throw new MemoryFault(String.format("no memory at 0x%x", va));
                }
                return java.util.Arrays.copyOf(out, done); // GDB accepts a short read up to the hole
            }
            System.arraycopy(board.readPhysical(pa, n), 0, out, done, n);
            done += n;
        }
        return out;
    }

    @Override
    public void writeMemory(long address, byte[] data) {
        int done = 0;
        while (done < data.length) {
            long va = address + done;
            int n = (int) Math.min(data.length - done, PAGE - (va & (PAGE - 1)));
            long pa = physicalAddress(va);
            if (pa == -1 || !board.isMemory(pa, n)) {
                throw new MemoryFault(String.format("no memory at 0x%x", va));
            }
            board.writePhysical(pa, java.util.Arrays.copyOfRange(data, done, done + n));
            done += n;
        }
        history.rebase();
    }

    // ---- stop points ------------------------------------------------------

    @Override
    public boolean insert(StopPoint p) {
        long pa = p.address();
        if (p.kind().isWatch()) {
            pa = physicalAddress(p.address());
            if (pa == -1) {
                throw new MemoryFault(String.format("no memory at 0x%x to watch", p.address()));
            }
        }
        return points.insert(p, pa);
    }

    @Override
    public boolean remove(StopPoint p) {
        return points.remove(p);
    }

    // ---- running --------------------------------------------------------

    @Override
    public void interrupt() {
        interrupted = true;
        if (running) { // a stop asked for between runs would end the next one at once
            board.interrupt();
        }
    }

    @Override
    public StopEvent lastStop() {
        return last;
    }

    @Override
    public StopEvent resume(Resume how) {
        // A Ctrl-C may arrive before this call begins (the reader thread is ahead of us): it counts.
        try {
            if (ended != null) {
                return last = exited(ended);
            }
            last = switch (how) {
                case STEP -> step();
                case CONTINUE -> forward();
                case REVERSE_STEP -> reverseStep();
                case REVERSE_CONTINUE -> reverseContinue();
            };
            return last;
        } finally {
            interrupted = false;
        }
    }

    private StopEvent step() {
        if (!history.atEnd()) {
            history.goTo(history.position() + 1, -1);
            return StopEvent.of(StopEvent.Kind.STEPPED);
        }
        return live(true, true);
    }

    private StopEvent forward() {
        if (!history.atEnd()) {
            long from = history.position();
            StopPoints.Hit first = null;
            if (!points.isEmpty()) {
                for (StopPoints.Hit h : history.scan(from, history.end())) {
                    if (position(h) > from && position(h) <= history.end()) {
                        first = h;
                        break;
                    }
                }
            }
            if (first != null) {
                goToHit(first);
                return event(first);
            }
            history.goTo(history.end(), -1);
            if (interrupted) {
                return StopEvent.of(StopEvent.Kind.INTERRUPTED);
            }
            // A stop point right at the end of history is a hit now: the re-made past stopped short of it.
            return live(false, false);
        }
        return live(false, true);
    }

    /** Where a hit puts the machine: before the breakpoint's instruction, or before the watched access. */
    private static long position(StopPoints.Hit h) {
        return h.count();
    }

    private void goToHit(StopPoints.Hit h) {
        history.goTo(h.count(), h.pc());
    }

    private static StopEvent event(StopPoints.Hit h) {
        return new StopEvent(h.kind(), h.dataAddress(), 0);
    }

    private StopEvent reverseStep() {
        if (history.position() <= history.start()) {
            return StopEvent.of(StopEvent.Kind.HISTORY_BEGIN);
        }
        history.goTo(history.position() - 1, -1);
        return StopEvent.of(StopEvent.Kind.STEPPED);
    }

    private StopEvent reverseContinue() {
        long now = history.position();
        if (!points.isEmpty()) {
            var segments = history.segmentsBackward();
            while (segments.hasNext() && !interrupted) {
                long[] seg = segments.next();
                if (seg[0] >= now) {
                    continue;
                }
                StopPoints.Hit lastHit = null;
                for (StopPoints.Hit h : history.scanSegment(seg[0], Math.min(seg[1], now))) {
                    if (h.count() < now) {
                        lastHit = h;
                    }
                }
                if (lastHit != null) {
                    goToHit(lastHit);
                    return event(lastHit);
                }
            }
        }
        history.goTo(history.start(), -1);
        return StopEvent.of(interrupted ? StopEvent.Kind.INTERRUPTED : StopEvent.Kind.HISTORY_BEGIN);
    }

    /**
     * Runs the live machine at the end of history, recording each run. {@code resuming}: the machine
     * stopped here at a stop point (GDB steps over it first, but a hit where it resumes is not a new one).
     */
    private StopEvent live(boolean step, boolean resuming) {
        while (true) {
            long from = board.clock().instructions();
            long chunk = step ? 1 : history.untilCheckpoint();
            points.mode(StopPoints.Mode.LIVE);
            points.resumingAt(resuming ? from : -1, board.pc());
            resuming = false; // the next run starts at a checkpoint boundary, not at a stop
            board.holdInterrupts(step);
            Stop r;
            StopPoints.Hit hit;
            running = true;
            try {
                if (interrupted) { // Ctrl-C came just before this run began
                    board.interrupt();
                }
                r = board.run(chunk);
            } finally {
                running = false;
                board.holdInterrupts(false);
                hit = points.stopHit();
                points.mode(StopPoints.Mode.QUIET);
            }
            if (hit != null) {
                history.append(from, hit.count(), step, hit.pc());
                if (hit.kind() != StopEvent.Kind.BREAKPOINT) {
                    // Unicorn stopped inside the access with it half done: put the machine exactly before
                    // that instruction, where QEMU's stub reports a watchpoint (GDB then steps over it).
                    history.goTo(hit.count(), hit.pc());
                }
                history.checkpointIfDue();
                return event(hit);
            }
            history.append(from, board.clock().instructions(), step, -1);
            history.checkpointIfDue();
            switch (r.cause()) {
                case GUEST_EXIT -> {
                    ended = r;
                    return exited(r);
                }
                case GUEST_FAULT, GUEST_PANIC -> {
                    return StopEvent.of(StopEvent.Kind.FAULT);
                }
                case IDLE_FOREVER, INTERRUPTED -> {
                    return StopEvent.of(StopEvent.Kind.INTERRUPTED);
                }
                case BUDGET_EXHAUSTED -> {
                    if (r.instructions() - from < chunk) { // the lab's own budget ran out, not this run's
                        return StopEvent.of(StopEvent.Kind.INTERRUPTED);
                    }
                }
                default -> { // a breakpoint of the host's own, a script-level condition: a stop for GDB too
                    return StopEvent.of(StopEvent.Kind.BREAKPOINT);
                }
            }
            if (step) {
                return StopEvent.of(StopEvent.Kind.STEPPED);
            }
            if (interrupted) {
                return StopEvent.of(StopEvent.Kind.INTERRUPTED);
            }
        }
    }

    private static StopEvent exited(Stop s) {
        return new StopEvent(StopEvent.Kind.EXITED, 0, s.exitCode());
    }

    /** The guest's own end, if it ended while GDB held it. */
    public Stop ended() {
        return ended;
    }

    /** Drops the stop points and the history; the board runs as before GDB attached. */
    @Override
    public void close() {
        points.clear();
        history.close();
        board.endRunsBeforeInterrupts(false);
    }
}
