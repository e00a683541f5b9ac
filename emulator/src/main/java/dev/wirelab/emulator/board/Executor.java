package dev.wirelab.emulator.board;

import dev.wirelab.emulator.coverage.EdgeMap;
import dev.wirelab.emulator.cpu.ExceptionDelivery;
import dev.wirelab.emulator.cpu.ExceptionEngine;
import dev.wirelab.emulator.cpu.GuestFaultException;
import dev.wirelab.emulator.cpu.Insn;
import dev.wirelab.emulator.cpu.InstructionCounter;
import dev.wirelab.emulator.device.Console;
import dev.wirelab.emulator.device.gic.InterruptController;
import dev.wirelab.emulator.time.EventQueue;
import dev.wirelab.emulator.time.VirtualClock;
import dev.wirelab.emulator.unicorn.Arm64Reg;
import dev.wirelab.emulator.unicorn.Callbacks;
import dev.wirelab.emulator.unicorn.UcErr;
import dev.wirelab.emulator.unicorn.UcHook;
import dev.wirelab.emulator.unicorn.Unicorn;
import dev.wirelab.emulator.unicorn.UnicornException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The board's executor: the one run loop, its slices, virtual time, stop
 * handling and breakpoints. Time advances only with retired instructions
 * (counted exactly by {@link InstructionCounter}) or by idle fast-forward when
 * the guest waits in WFI; host events fire at exact virtual instants because
 * every slice stops exactly at the next deadline (without Unicorn's count limit: see
 * {@link #runSlice}). Device callbacks never
 * stop the CPU themselves: they ask for the next block boundary ({@link #kick}).
 */
final class Executor {
    /** Resolves a symbol for a run's breakpoints (bad input when the image has no such symbol). */
    interface Symbols {
        long addressOf(String symbol);
    }

    /**
     * Memory that is mapped read-only while it reads as memory and becomes a device on a write
     * (QEMU's ROM devices: the CFI flash). Told at write-protect faults and before every slice.
     */
    interface RomDevices {
        RomDevices NONE = new RomDevices() {
            @Override
            public boolean writeFault() {
                return false;
            }

            @Override
            public void settle() { }
        };

        /** True when the faulting store hit such memory, now a device: the store is run again. */
        boolean writeFault();

        /** Maps each such region as its mode wants, between slices. */
        void settle();
    }

    /** Why the last slice returned early (whether Unicorn's early return was a WFI is decided from it). */
    private enum SliceEnd { NONE, EXIT, DEVICE, BREAKPOINT, DEADLINE }

    /** What a snapshot must carry of the executor. */
    record State(boolean waitingForInterrupt) { }

    private final Unicorn uc;
    private final InstructionCounter counter;
    private final VirtualClock clock;
    private final EventQueue events;
    private final InterruptController gic;
    private final ExceptionDelivery delivery;
    private final Console console;
    private final TraceHash trace;
    private final LongFunction<String> describe;
    private final Symbols symbols;
    private final java.util.Map<Long, UcHook> breakpoints = new java.util.TreeMap<>();
    private long breakpointHit = -1;
    private long ignoreBreakpointAt = -1;
    private long resumeAt = -1;
    private volatile boolean interruptRequested;
    private RunGuard guard = RunGuard.NONE;
    /** The run in progress (its conditions), or null between runs. */
    private RunConditions active;
    private boolean timeReached;
    private SliceEnd sliceEnd = SliceEnd.NONE;
    private GuestEnd guestEnd;
    private boolean waitingForInterrupt;
    private long sliceEndTick = Long.MAX_VALUE;
    private boolean running;
    private boolean watchUnmask;
    private boolean nativeUnmaskWatch;
    private volatile boolean stopAtNextBlock;
    private String unmappedAccess;
    private boolean interruptsHeld;
    private boolean endBeforeInterrupts;
    private RomDevices roms = RomDevices.NONE;
    /**
     * Unicorn's count limit instead of exact stops (the loop before them): where this Unicorn cannot
     * restore PC at device accesses, and in tests that compare the two.
     */
    private boolean countLimited;
    private final ConsolePanicWatch panicWatch = new ConsolePanicWatch();

    Executor(Unicorn uc, InstructionCounter counter, VirtualClock clock, EventQueue events, InterruptController gic,
             ExceptionDelivery delivery, Console console, TraceHash trace, LongFunction<String> describe, Symbols symbols) {
        this.uc = uc;
        this.counter = counter;
        this.clock = clock;
        this.events = events;
        this.gic = gic;
        this.delivery = delivery;
        this.console = console;
        this.trace = trace;
        this.describe = describe;
        this.symbols = symbols;
        gic.onOutputChange(this::kick);
        // An event scheduled from a device callback for before the running slice's end (a timer
        // programmed mid-slice) must end the slice so the next one can stop exactly at it.
        events.onSchedule(tick -> {
            if (tick < sliceEndTick) {
                kick();
            }
        });
    }

    /** Edge coverage fed by a Java upcall per block (null: none, or the native hook feeds it). */
    private volatile EdgeMap javaEdges;

    /** The block hook (exact time, interrupt unmask, stops at block boundaries) and the unmapped-access hook. */

    void installHooks() {
        // Devices read the exact instruction count from PC: without a count limit that needs the PC
        // restored at each device access; where this Unicorn cannot, count-limited slices keep PC
        // exact at every instruction instead.
        if (Unicorn.exactPcAtDeviceAccess()) {
            uc.exactPcAtDeviceAccesses(true);
        } else {
            countLimited = true;
        }
        // The counter's block hook is native when it can be; this runs only for blocks while the executor asks.
        counter.install(uc, (address, size) -> {
            EdgeMap e = javaEdges;
            if (e != null) {
                e.onBlock(address);
            }
            if (watchUnmask && delivery.unmasked(gic.irqPending(), gic.fiqPending())) {
                setWatchUnmask(false);
                setStopAtNextBlock(true);
            }
            if (stopAtNextBlock) {
                setStopAtNextBlock(false);
                if (sliceEnd == SliceEnd.NONE) {
                    sliceEnd = SliceEnd.DEVICE;
                }
                uc.stop(); // from a block hook: stops before this block runs, nothing half-done
            }
        });
    }

    /**
     * Guest edge coverage while a fuzzer asks for it (null: off). The native block hook updates the
     * map without an upcall; with {@link EdgeMap.Feed#JAVA_UPCALL}, or without the native hook,
     * every block calls Java instead (same counts: the Java path is the reference).
     */
    void coverage(EdgeMap map, EdgeMap.Feed feed) {
        boolean inC = map != null && feed == EdgeMap.Feed.NATIVE_HOOK && counter.nativeHook();
        counter.edges(inC ? map.nativeState() : null);
        javaEdges = inC ? null : map;
        refreshBlockCalls();
    }

    private void setStopAtNextBlock(boolean on) {
        stopAtNextBlock = on;
        refreshBlockCalls();
    }

    private void setWatchUnmask(boolean on) {
        watchUnmask = on;
        long bits = !on ? 0
                : (gic.irqPending() ? ExceptionEngine.PSTATE_I : 0) | (gic.fiqPending() ? ExceptionEngine.PSTATE_F : 0);
        // The native hook watches PSTATE itself and calls up only at the block that unmasks; a GIC
        // change mid-slice kicks (stop at next block), so the bits taken here stay right until then.
        nativeUnmaskWatch = counter.watchUnmask(bits);
        refreshBlockCalls();
    }

    /**
     * The block hook calls Java only while there is something to do (a stop, an unmask watch).
     * Cleared first and set again if needed, so a stop requested from another thread in between
     * is never lost.
     */
    private void refreshBlockCalls() {
        counter.callJava(false);
        if ((watchUnmask && !nativeUnmaskWatch) || stopAtNextBlock || javaEdges != null) {
            counter.callJava(true);
        }
    }

    /**
     * Bounded to physical addresses outside guest RAM [ramBase, ramEnd): Unicorn 2.1.4 never clears
     * a TLB entry's not-dirty flag on a page any memory hook's range covers (an unmapped hook
     * included), so one hook over everything sent every guest store down `notdirty_write` (see
     * docs/PERFORMANCE.md, "The store slow path"). RAM is never unmapped, so nothing is missed.
     */
    void installUnmappedHook(long ramBase, long ramEnd) {
        Callbacks.Memory hook = (type, address, size, value) -> {
            String what = switch (type) {
                case Unicorn.MEM_READ_UNMAPPED -> "read " + size + " bytes from";
                case Unicorn.MEM_WRITE_UNMAPPED -> "wrote " + size + " bytes to";
                default -> "fetched an instruction from";
            };
            unmappedAccess = String.format("guest %s unmapped address 0x%x", what, address);
            return false;
        };
        for (long[] r : outside(ramBase, ramEnd)) {
            uc.hookMemory(Unicorn.HOOK_MEM_UNMAPPED, hook, r[0], r[1]);
        }
    }

    /** The inclusive physical ranges {begin, end} outside [base, end) (unsigned; -1 is the top). */
    static List<long[]> outside(long base, long end) {
        List<long[]> ranges = new ArrayList<>();
        if (base != 0) {
            ranges.add(new long[] {0, base - 1});
        }
        if (end != 0) { // end 0: RAM reaches the top of the address space
            ranges.add(new long[] {end, -1L});
        }
        return ranges;
    }

    private long pc() {
        return uc.readReg(Arm64Reg.PC);
    }

    /**
     * The one run loop: runs the guest until one of {@code until}'s conditions,
     * the guest's own ending, an interrupt, or the {@link RunGuard}'s allowance
     * ends it, and says which in the returned {@link Stop}. Every waiter in
     * wirelab (script verbs, wire and TCP waits, syscall waits, replay, demo,
     * bench) comes through here.
     */
    Stop run(RunUntil until) {
        if (active != null) {
            throw new IllegalStateException("a run is already in progress on this board (a wait started from inside a run)");
        }
        java.util.Set<Long> own = new java.util.LinkedHashSet<>(until.addresses());
        for (String symbol : until.symbols()) {
            own.add(symbols.addressOf(symbol));
        }
        List<Long> added = new ArrayList<>();
        for (long a : own) {
            if (!breakpoints.containsKey(a)) {
                addBreakpoint(a);
                added.add(a);
            }
        }
        long start = clock.instructions();
        long runEnd = saturatingAdd(start, until.budget());
        long guardEnd = saturatingAdd(start, Math.max(0, guard.allowance()));
        EventQueue.Event deadline = until.tick() == Long.MAX_VALUE ? null
                : events.schedule(until.tick(), "stop", t -> timeReached = true);
        RunConditions run = new RunConditions(until, own);
        active = run;
        Stop stop;
        try {
            stop = loop(run, start, Math.min(runEnd, guardEnd));
        } finally {
            active = null;
            timeReached = false;
            breakpointHit = -1;
            setStopAtNextBlock(false);
            ignoreBreakpointAt = -1;
            resumeAt = -1;
            if (deadline != null) {
                events.cancel(deadline);
            }
            for (long a : added) {
                removeBreakpoint(a);
            }
            console.flush();
            guard.retired(clock.instructions() - start);
        }
        if (stop.guestEnded()) {
            // Only endings of the guest itself: where the host paused a run must not change the hash.
            trace.record('X', clock.instructions(), traceCode(stop));
        }
        if (stop.cause() == StopCause.INTERRUPTED) {
            guard.interrupted(stop);
        } else if (stop.cause() == StopCause.BUDGET_EXHAUSTED && guardEnd <= runEnd) {
            guard.exhausted(stop);
        }
        return stop;
    }

    /** The number a guest ending adds to the trace (kept from the first trace format: hashes stay comparable). */
    private static long traceCode(Stop s) {
        return switch (s.cause()) {
            case GUEST_EXIT -> s.exit().kind().ordinal() * 1000L + s.exit().code();
            case GUEST_FAULT -> 3 * 1000L + 125;
            case IDLE_FOREVER -> 5 * 1000L + 126;
            case GUEST_PANIC -> 6 * 1000L + 123;
            default -> throw new IllegalArgumentException("not a guest ending: " + s.cause());
        };
    }

    private Stop loop(RunConditions run, long start, long budgetEnd) {
        resumeAt = pc(); // resuming from a breakpoint must not hit it again at once
        if (interruptPending()) {
            return stop(StopCause.INTERRUPTED, "stopped by the host at " + describe.apply(pc()));
        }
        if (run.check()) {
            return held(run);
        }
        long every = run.until().checkEvery();
        long nextCheck = run.until().hasHostChecks() ? saturatingAdd(start, every) : Long.MAX_VALUE;
        while (true) {
            events.runDue(clock.ticks());
            if (guestEnd != null) {
                return guestEnd.at(this);
            }
            if (interruptPending()) {
                return stop(StopCause.INTERRUPTED, "stopped by the host at " + describe.apply(pc()));
            }
            if (breakpointHit >= 0) {
                long at = breakpointHit;
                breakpointHit = -1;
                return new Stop(StopCause.BREAKPOINT, clock.instructions(), clock.ticks(), pc(), "breakpoint at "
                        + describe.apply(at), null, at, null);
            }
            if (run.printedHit()) {
                return stop(StopCause.CONSOLE_MATCH, "the guest printed '" + run.until().printed() + "'");
            }
            if (run.check()) {
                return held(run);
            }
            if (timeReached) {
                return stop(StopCause.TIME_REACHED, "reached virtual time " + clock.ticks() + " ticks");
            }
            if (endBeforeInterrupts && clock.instructions() >= budgetEnd) {
                return stop(StopCause.BUDGET_EXHAUSTED, "instruction budget exhausted after " + clock.instructions()
                        + " instructions, at " + describe.apply(pc()));
            }
            boolean raised = gic.irqPending() || gic.fiqPending();
            boolean pending = raised && !interruptsHeld;
            if (raised) {
                waitingForInterrupt = false; // WFI wakes on a pending interrupt even when it is masked (or held)
            }
            if (pending) {
                deliverInterrupt();
                if (guestEnd != null) {
                    continue;
                }
            }
            if (waitingForInterrupt) {
                long next = events.nextDeadline();
                if (next == Long.MAX_VALUE) {
                    return stop(StopCause.IDLE_FOREVER, "guest idle forever: waiting in WFI at " + describe.apply(pc() - 4)
                            + " with no interrupt or event that could wake it");
                }
                clock.idleUntil(next);
                continue; // still waiting: only an interrupt (checked above after the events ran) wakes it
            }
            long now = clock.instructions();
            long left = budgetEnd - now;
            if (left <= 0) {
                return stop(StopCause.BUDGET_EXHAUSTED, "instruction budget exhausted after " + now
                        + " instructions, at " + describe.apply(pc()));
            }
            while (nextCheck <= now) {
                nextCheck = saturatingAdd(nextCheck, every);
            }
            long toEvent = events.nextDeadline() == Long.MAX_VALUE ? Long.MAX_VALUE : events.nextDeadline() - clock.ticks();
            long slice = Math.min(Math.min(left, toEvent), nextCheck - now);
            // Still pending after delivery means masked: watch for the unmask. QEMU ends a translation
            // block after every DAIF write, daifclr and eret, so the block hook sees it at the exact boundary.
            setWatchUnmask(pending && (gic.irqPending() || gic.fiqPending()));
            GuestEnd fault = runSlice(slice);
            if (fault != null) {
                return fault.at(this);
            }
        }
    }

    private Stop stop(StopCause cause, String detail) {
        return new Stop(cause, clock.instructions(), clock.ticks(), pc(), detail, null, -1, null);
    }

    private Stop held(RunConditions run) {
        if (run.heldIsConsole()) {
            return stop(StopCause.CONSOLE_MATCH, "the guest printed what matches /" + run.until().console() + "/");
        }
        return new Stop(StopCause.CONDITION_HELD, clock.instructions(), clock.ticks(), pc(), "the awaited condition held: "
                + run.held(), null, -1, run.held());
    }

    /** How the guest ended itself (kept until a restore: running an ended guest again ends at once). */
    private record GuestEnd(StopCause cause, ExitStatus exit, String detail) {
        Stop at(Executor x) {
            return new Stop(cause, x.clock.instructions(), x.clock.ticks(), x.pc(), exit != null ? exit.toString() : detail,
                    exit, -1, null);
        }
    }

    private boolean interruptAsked() {
        return interruptRequested || Thread.currentThread().isInterrupted();
    }

    private boolean interruptPending() {
        if (interruptRequested || Thread.currentThread().isInterrupted()) {
            interruptRequested = false;
            return true;
        }
        return false;
    }

    /** Runs at most {@code slice} instructions; returns a fault that ends the run, or null. */
    private GuestEnd runSlice(long slice) {
        long start = clock.instructions();
        long pc = pc();
        // The run's first instruction is not stopped at by a breakpoint there (the one it resumes from),
        // once; anywhere else, and once the guest moved on (an interrupt taken first), breakpoints hold.
        if (pc != resumeAt) {
            resumeAt = -1;
        }
        ignoreBreakpointAt = resumeAt;
        sliceEnd = SliceEnd.NONE;
        unmappedAccess = null;
        sliceEndTick = saturatingAdd(clock.ticks(), slice);
        setStopAtNextBlock(interruptRequested);
        roms.settle();
        // Not count-limited (Unicorn's count limit instruments every instruction): the block hook
        // stops before the block that would cross the deadline; the rest (fewer instructions than
        // that block) runs under a one-shot code hook on the deadline's instruction (ExactStop).
        long deadline = saturatingAdd(start, slice);
        counter.stopAt(countLimited ? Long.MAX_VALUE : deadline);
        GuestEnd fault = null;
        boolean aborted = false;
        running = true;
        try {
            ExactStop finish = null;
            while (true) {
                counter.begin(clock.instructions(), pc);
                try {
                    uc.start(pc, 0, countLimited ? slice : 0);
                } finally {
                    if (finish != null) {
                        finish.close();
                    }
                }
                if (!counter.takeDeadlineStop()) {
                    break;
                }
                long now = syncClock();
                if (now >= deadline) {
                    sliceEnd = SliceEnd.DEADLINE; // the deadline fell on a block boundary
                    break;
                }
                pc = pc();
                if (finish != null && finish.block == pc) {
                    throw new IllegalStateException(String.format(
                            "exact stop failed: the block at 0x%x ran past its code hook (%d instructions before the deadline)",
                            pc, deadline - now));
                }
                finish = new ExactStop(pc, counter.stoppedBlockInsns(), deadline - now);
            }
        } catch (GuestFaultException e) {
            fault = new GuestEnd(StopCause.GUEST_FAULT, null, e.getMessage());
        } catch (UnicornException e) {
            if (e.code() == UcErr.WRITE_PROT && guestEnd == null && roms.writeFault()) {
                syncClock(); // PC is at the store, not done yet: the next slice runs it against the device
                return null;
            }
            aborted = true;
            fault = isUnmapped(e.code()) && guestEnd == null ? externalAbort(e)
                    : new GuestEnd(StopCause.GUEST_FAULT, null, describeFault(e));
        } finally {
            running = false;
            sliceEndTick = Long.MAX_VALUE;
            counter.stopAt(Long.MAX_VALUE);
        }
        long after = syncClock();
        if (fault != null || aborted || guestEnd != null) {
            return fault; // a guest exit is reported by the loop
        }
        if (sliceEnd == SliceEnd.NONE && after - start < slice) {
            // Unicorn returns early from WFI/WFE with PC after it; anything else unexplained just continues.
            if (Insn.isWaitForInterrupt(delivery.fetchOrZero(pc() - 4))) {
                waitingForInterrupt = true;
            }
        }
        return null;
    }

    /**
     * The last few instructions of a slice, fewer than the block they start: the block's
     * translation is dropped so that it is translated again with a code hook on the deadline's
     * instruction (code hooks reach only blocks translated after them; a hook on one address costs
     * nothing elsewhere), and the block hook lets that block run once. Closing removes the hook
     * and that translation again, so the block runs hook-free afterwards.
     */
    private final class ExactStop implements AutoCloseable {
        final long block;
        private final long end;
        private final UcHook hook;

        ExactStop(long block, long blockInsns, long left) {
            this.block = block;
            this.end = block + 4 * blockInsns;
            long target = block + 4 * left;
            uc.removeTranslations(block, end);
            counter.exemptOnce(block);
            hook = uc.hookCode((addr, size) -> {
                if (counter.retiredAt(addr) >= counter.deadline()) {
                    sliceEnd = SliceEnd.DEADLINE;
                    uc.stop();
                }
            }, target, target);
        }

        @Override
        public void close() {
            uc.removeHook(hook);
            uc.removeTranslations(block, end);
        }
    }

    /** Host-visible things happened (a frame, a console line, a lab call): a condition may hold now. */
    void hostEvent() {
        if (interruptAsked()) {
            stopAtNextBlock = true; // a script's condition is not run once it is interrupted: the run ends
            return;
        }
        RunConditions run = active;
        if (run != null && running && run.check()) {
            setStopAtNextBlock(true);
        }
    }

    /**
     * Stops before the instruction at {@code address} executes, whenever it is
     * reached (a code hook on just that address costs nothing elsewhere).
     */
    void addBreakpoint(long address) {
        if (breakpoints.containsKey(address)) {
            return;
        }
        breakpoints.put(address, uc.hookCode((addr, size) -> {
            if (addr == ignoreBreakpointAt) {
                ignoreBreakpointAt = -1;
                resumeAt = -1;
                return;
            }
            if (running && counter.retiredAt(addr) >= counter.deadline()) {
                return; // the slice ends here first (a count limit would have stopped before the hook)
            }
            RunConditions run = active;
            if (run != null && !run.stopsAt(addr)) {
                return;
            }
            breakpointHit = addr;
            sliceEnd = SliceEnd.BREAKPOINT;
            uc.stop();
        }, address, address));
        uc.flushTranslations(); // blocks translated before the hook do not call it
    }

    void removeBreakpoint(long address) {
        var h = breakpoints.remove(address);
        if (h != null) {
            uc.removeHook(h);
            uc.flushTranslations();
        }
    }

    java.util.Set<Long> breakpoints() {
        return java.util.Collections.unmodifiableSet(breakpoints.keySet());
    }


    // ---- what traps and devices tell the executor ----------------------------

    /** The guest ended itself at a trap (semihosting exit, PSCI off): the run ends at once. */
    void guestExited(ExitStatus exit) {
        guestEnd = new GuestEnd(StopCause.GUEST_EXIT, exit, null);
        sliceEnd = SliceEnd.EXIT;
        uc.stop();
    }

    /** A console byte the guest wrote (before the console stores it): the run's text and line conditions. */
    void consoleByte(int b) {
        if (interruptAsked()) {
            stopAtNextBlock = true;
            return;
        }
        RunConditions run = active;
        if (run != null && running && run.onConsoleByte(b)) {
            setStopAtNextBlock(true);
        }
    }

    /** The CPU is back in its boot state: it waits for nothing. */
    void cpuReset() {
        waitingForInterrupt = false;
    }

    State save() {
        return new State(waitingForInterrupt);
    }

    void consolePanic(java.util.regex.Pattern p) {
        panicWatch.pattern(p);
    }

    /** A console byte the guest wrote: a completed panic line ends the guest (at the next block boundary). */
    void watchPanic(int b) {
        String panic = panicWatch.onByte(b);
        if (panic != null && guestEnd == null) {
            guestEnd = new GuestEnd(StopCause.GUEST_PANIC, null, "guest panic: " + panic);
            sliceEnd = SliceEnd.EXIT;
            if (running) {
                setStopAtNextBlock(true); // never uc_emu_stop inside the UART write itself
            }
        }
    }

    /** Runs every slice count-limited from now on (before the first run only): tests compare it with exact stops. */
    void countLimitedSlices() {
        countLimited = true;
        uc.exactPcAtDeviceAccesses(false);
    }

    void romDevices(RomDevices r) {
        this.roms = java.util.Objects.requireNonNull(r, "roms");
    }

    java.util.regex.Pattern consolePanic() {
        return panicWatch.pattern();
    }

    void restore(State s) {
        panicWatch.clear();
        waitingForInterrupt = s.waitingForInterrupt();
        guestEnd = null;
        breakpointHit = -1;
    }

    /** An access to unmapped memory becomes the guest's synchronous external abort; null when delivered. */
    private GuestEnd externalAbort(UnicornException e) {
        syncClock();
        try {
            delivery.externalAbort(e.code(), unmappedAccess);
            return null;
        } catch (GuestFaultException f) {
            return new GuestEnd(StopCause.GUEST_FAULT, null, f.getMessage() + " (" + describeFault(e) + ")");
        }
    }

    private String describeFault(UnicornException e) {
        String where = " at " + describe.apply(pc());
        return switch (e.code()) {
            case UcErr.READ_UNMAPPED, UcErr.WRITE_UNMAPPED, UcErr.FETCH_UNMAPPED ->
                    "guest fault: " + (unmappedAccess != null ? unmappedAccess : "access to unmapped memory") + where;
            case UcErr.WRITE_PROT -> "guest fault: write to read-only memory (flash)" + where;
            case UcErr.READ_PROT, UcErr.FETCH_PROT -> "guest fault: access to protected memory" + where;
            case UcErr.INSN_INVALID -> "guest fault: invalid instruction" + where;
            default -> "guest fault: " + e.getMessage() + where;
        };
    }

    private static boolean isUnmapped(int code) {
        return code == UcErr.READ_UNMAPPED || code == UcErr.WRITE_UNMAPPED || code == UcErr.FETCH_UNMAPPED;
    }

    /** IRQ/FIQ entry at a slice boundary, when the GIC asserts one and PSTATE does not mask it. */
    private void deliverInterrupt() {
        try {
            ExceptionEngine.Kind kind = delivery.takeInterrupt(gic.irqPending(), gic.fiqPending());
            if (kind != null) {
                trace.record('I', clock.instructions(), kind.ordinal());
            }
        } catch (GuestFaultException e) {
            guestEnd = new GuestEnd(StopCause.GUEST_FAULT, null, e.getMessage());
        }
    }

    /**
     * Ends the current run (or the next one) at the next block boundary with
     * {@link StopCause#INTERRUPTED}: Ctrl-C. Any thread may call it.
     */
    void interrupt() {
        interruptRequested = true;
        setStopAtNextBlock(true);
    }

    void clearInterrupt() {
        interruptRequested = false;
    }

    /** From inside a code or memory hook: stop at once, as a breakpoint at this instruction does. */
    void stopFromHook() {
        breakpointHit = pc();
        sliceEnd = SliceEnd.BREAKPOINT;
        uc.stop();
    }

    /** While held, pending interrupts are not taken at run starts (a debugger's single step). */
    void holdInterrupts(boolean hold) {
        interruptsHeld = hold;
    }

    /** A run that used up its budget ends before taking an interrupt pending at that instruction. */
    void endRunsBeforeInterrupts(boolean on) {
        endBeforeInterrupts = on;
    }

    void guard(RunGuard guard) {
        this.guard = java.util.Objects.requireNonNull(guard, "guard");
    }

    /**
     * Ends the current slice at the next block boundary so the run loop can
     * react (an IRQ line changed, an event was scheduled). Never stops the CPU
     * from inside the callback itself: uc_emu_stop during an MMIO read makes
     * Unicorn finish the load with 0 instead of the device's value.
     */
    void kick() {
        if (running) {
            setStopAtNextBlock(true);
        }
    }

    /** The exact instruction count from inside a device callback (the CPU may be mid-slice). */
    long syncClockQuietly() {
        return running ? syncClock() : clock.instructions();
    }

    long syncClock() {
        return syncClockAt(pc());
    }

    /** Brings the clock up to the instruction at {@code pc} (a trap knows where it is better than the PC register). */
    long syncClockAt(long pc) {
        long now = counter.retiredAt(pc);
        long delta = now - clock.instructions();
        if (delta > 0) {
            clock.retire(delta);
        }
        return clock.instructions();
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
