package dev.wirelab.emulator.agent;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.RunUntil;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.board.Snapshottable;
import dev.wirelab.emulator.board.StateLists;
import dev.wirelab.emulator.time.EventQueue;
import dev.wirelab.emulator.cpu.Reg;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The host side of lab-call protocol version 1 (guest/README.md, "Lab-call
 * protocol"). Installed as the board's SVC interceptor, it answers every
 * {@code svc #0x574c} of the guest's agents at the exact instruction where the
 * agent makes it, and lets every ordinary {@code svc #0} through to the guest
 * kernel (tracing it on the way).
 *
 * <p>Lab calls: x0 = operation, x1 = agent id. HELLO (1) registers the agent's
 * buffer; GET_WORK (2) is answered with the agent's next queued syscall (its
 * buffer regions written first), EXIT, or IDLE with a short sleep while there
 * is nothing to do; REPORT (3) completes the call in flight and reads its
 * output regions back. Nothing here reads the host clock: work submitted
 * between runs is handed out at the agent's next GET_WORK, so the same
 * submissions from the same snapshot replay identically.
 *
 * <p>The host's state (agents, queued and in-flight calls, the trace) is part
 * of the board's snapshots.
 */
public final class AgentHost {
    /** The lab call's immediate: {@code svc #0x574c} ("WL"). */
    public static final int LAB_CALL_IMM = 0x574c;
    public static final int PROTOCOL_VERSION = 1;
    static final int OP_HELLO = 1;
    static final int OP_GET_WORK = 2;
    static final int OP_REPORT = 3;
    static final int WORK_IDLE = 0;
    static final int WORK_SYSCALL = 1;
    static final int WORK_EXIT = 2;
    /** Agent ids the host accepts: 0 .. MAX_AGENTS-1. */
    public static final int MAX_AGENTS = 64;
    /** Largest agent buffer accepted at HELLO. */
    public static final long MAX_BUFFER = 1 << 24;
    /**
     * IDLE sleep: 1 ms. The default guest sleeps at tick granularity, so an
     * idle agent wakes at the next 10 ms timer tick and work submitted while
     * it sleeps starts within one tick (idle fast-forward makes the wait free).
     */
    public static final long DEFAULT_IDLE_NANOS = 1_000_000;
    public static final int DEFAULT_TRACE_CAPACITY = 4096;
    /** An ordinary svc whose SP is this close to an agent's last lab-call SP comes from that agent. */
    static final long SAME_STACK = 4096;

    /** What the host knows about one agent (a copy). */
    public record AgentInfo(int id, long bufferVa, int bufferSize, int hellos, int queued, Syscall inFlight,
                            boolean exitSent) { }

    private static final class Agent {
        final int id;
        long bufferVa;
        int bufferSize;
        int hellos;
        long labSp;
        final ArrayDeque<PendingCall> queue = new ArrayDeque<>();
        PendingCall inFlight;
        Integer exitCode;
        boolean exitSent;

        Agent(int id) {
            this.id = id;
        }
    }

    private record AgentState(int id, long bufferVa, int bufferSize, int hellos, long labSp, List<PendingCall> queue,
                              PendingCall inFlight, Integer exitCode, boolean exitSent) { }

    private record HostState(List<AgentState> agents, Map<PendingCall, PendingCall.State> calls,
                             List<TracedSyscall> trace, long traceFirstSeq, long traceNextSeq, long nextId,
                             long protocolErrors) { }

    private final Board board;
    private final Map<Integer, Agent> agents = new TreeMap<>();
    /** Calls queued or in flight: the ones a restore must put back or discard. */
    private final Map<PendingCall, Boolean> live = new IdentityHashMap<>();
    private long nextId;
    private long idleNanos = DEFAULT_IDLE_NANOS;
    private long protocolErrors;

    private boolean tracing = true;
    private boolean traceIdle;
    private int traceCapacity = DEFAULT_TRACE_CAPACITY;
    private ArrayList<TracedSyscall> trace = new ArrayList<>();
    private long traceFirstSeq;
    private long traceNextSeq;

    private AgentHost(Board board) {
        this.board = board;
    }

    /**
     * Installs a host on {@code board}: its SVC interceptor and its part of
     * snapshots. Attach before the guest boots, so the agents' HELLO is seen.
     */
    public static AgentHost attach(Board board) {
        AgentHost h = new AgentHost(board);
        board.interceptSvc((b, imm, pcAfter) -> h.onSvc(imm, pcAfter));
        board.addSnapshottable(Snapshottable.of(h::save, h::restore));
        return h;
    }

    public Board board() {
        return board;
    }

    /** The script-facing wrappers, one per Linux call, blocking within {@link Budget#DEFAULT}. */
    public Sys sys() {
        return new Sys(this, Budget.DEFAULT);
    }

    // ---- submitting and waiting -----------------------------------------

    /** Queues {@code call} for {@code agent} and returns at once; the agent takes it at its next GET_WORK. */
    public PendingCall submit(int agent, Syscall call) {
        checkId(agent);
        Agent a = agent(agent);
        if (a.hellos > 0 && call.bufferBytes() > a.bufferSize) {
            throw new IllegalArgumentException("agent " + agent + ": " + call + " needs " + call.bufferBytes()
                    + " bytes of buffer; the agent has " + a.bufferSize);
        }
        if (a.exitCode != null) {
            throw new IllegalStateException("agent " + agent + " was told to exit; it takes no more work");
        }
        PendingCall p = new PendingCall(this, agent, call, nextId++);
        a.queue.add(p);
        live.put(p, Boolean.TRUE);
        return p;
    }

    /** Submits and waits within {@link Budget#DEFAULT}; returns the raw result (a value or -errno). */
    public long call(int agent, Syscall call) {
        return invoke(agent, call, Budget.DEFAULT).value();
    }

    /** Submits and waits within {@code budget}; returns the raw result (a value or -errno). */
    public long call(int agent, Syscall call, Budget budget) {
        return invoke(agent, call, budget).value();
    }

    /** Submits and waits within {@code budget}; returns the whole result (outputs, errno). */
    public SyscallResult invoke(int agent, Syscall call, Budget budget) {
        return submit(agent, call).await(budget);
    }

    /** Tells {@code agent} to exit with {@code code} once its queued work is done (GET_WORK answers EXIT). */
    public void requestExit(int agent, int code) {
        checkId(agent);
        agent(agent).exitCode = code;
    }

    SyscallResult await(PendingCall p, Budget budget) {
        waitFor(p::isDone, budget, p.agent(), p.call(), () -> whereIs(p));
        return p.result();
    }

    /** Runs the board until every agent in {@code ids} has said HELLO (at boot: attach first). */
    public void awaitHello(Budget budget, int... ids) {
        for (int id : ids) {
            checkId(id);
            waitFor(() -> agent(id).hellos > 0, budget, id, null, () -> "agent " + id + " has not said HELLO");
        }
    }

    /**
     * Runs the board until {@code done} holds, checked after every lab call,
     * within {@code budget}. The run stops at the very lab call that made it true.
     */
    private void waitFor(BooleanSupplier done, Budget budget, int agent, Syscall call, Supplier<String> state) {
        if (done.getAsBoolean()) {
            return;
        }
        var clock = board.clock();
        long insnStart = clock.instructions();
        long tickStart = clock.ticks();
        String what = "agent " + agent + ": " + (call == null ? "HELLO" : call.toString());
        // The user's breakpoints are for the user's own steps: a syscall runs through them.
        RunUntil until = RunUntil.budget(budget.instructions()).when(what, done).ignoringUserBreakpoints();
        long tickEnd = saturatingAdd(tickStart, budget.virtualTicks());
        if (tickEnd != Long.MAX_VALUE) {
            until = until.time(tickEnd);
        }
        Stop stop = board.run(until);
        if (done.getAsBoolean()) {
            return;
        }
        if (stop.cause() == StopCause.BUDGET_EXHAUSTED || stop.cause() == StopCause.TIME_REACHED) {
            throw new AgentTimeoutException(what + " did not complete within the budget of " + budget
                    + " (ran " + (clock.instructions() - insnStart) + " instructions, "
                    + Budget.formatNanos((clock.ticks() - tickStart) * dev.wirelab.emulator.time.VirtualClock.NANOS_PER_TICK)
                    + " virtual); " + state.get(), agent, call, budget);
        }
        throw new AgentException(what + ": the guest stopped before the call completed: " + stop + "; " + state.get());
    }

    private String whereIs(PendingCall p) {
        Agent a = agent(p.agent());
        return switch (p.phase()) {
            case QUEUED -> {
                int ahead = 0;
                for (PendingCall q : a.queue) {
                    if (q == p) {
                        break;
                    }
                    ahead++;
                }
                yield a.hellos == 0 ? "it is queued, but agent " + a.id + " has not said HELLO"
                        : "it is queued behind " + ahead + " call(s)"
                        + (a.inFlight != null ? " and " + a.inFlight.call() + " in flight" : "");
            }
            case IN_FLIGHT -> "it is in flight since instruction " + p.dispatchedAt
                    + " (the agent is in the syscall: blocked in the guest, or not yet scheduled)";
            default -> "it is " + p.phase();
        };
    }

    // ---- the interceptor --------------------------------------------------

    private boolean onSvc(int imm, long pcAfter) {
        if (imm == LAB_CALL_IMM) {
            labCall(); // the board looks at the waiting host's condition right after it
            return true;
        }
        if (imm == 0) {
            traceSvc(pcAfter - 4);
        }
        return false;
    }

    private void labCall() {
        long[] x = board.xs(5);
        long op = x[0];
        long id = x[1];
        if (id < 0 || id >= MAX_AGENTS) {
            protocolError("lab call " + op + " from agent id " + id + ", outside 0.." + (MAX_AGENTS - 1));
            board.setX(0, Errno.EINVAL.negative());
            return;
        }
        Agent a = agent((int) id);
        a.labSp = sp();
        if (op == OP_HELLO) {
            hello(a, x);
        } else if (op == OP_GET_WORK) {
            getWork(a);
        } else if (op == OP_REPORT) {
            report(a, x);
        } else {
            protocolError("agent " + id + ": unknown lab call operation " + op);
            board.setX(0, Errno.EINVAL.negative());
        }
    }

    private void hello(Agent a, long[] x) {
        long va = x[2];
        long size = x[3];
        long version = x[4];
        if (version != PROTOCOL_VERSION) {
            board.setX(0, Errno.EPROTONOSUPPORT.negative());
            return;
        }
        if ((va & 0xfff) != 0 || size <= 0 || size > MAX_BUFFER) {
            board.setX(0, Errno.EINVAL.negative());
            return;
        }
        if (a.inFlight != null) {
            fail(a.inFlight, "the agent said HELLO again while the call was in flight (it restarted)");
            a.inFlight = null;
        }
        a.bufferVa = va;
        a.bufferSize = (int) size;
        a.hellos++;
        a.exitSent = false;
        board.setX(0, 0);
    }

    private void getWork(Agent a) {
        if (a.hellos == 0) {
            protocolError("agent " + a.id + ": GET_WORK before HELLO");
            board.setX(0, Errno.EINVAL.negative());
            return;
        }
        if (a.inFlight != null) {
            protocolError("agent " + a.id + ": GET_WORK while " + a.inFlight.call() + " was in flight");
            fail(a.inFlight, "the agent asked for work without reporting the call in flight");
            a.inFlight = null;
        }
        PendingCall p;
        while ((p = a.queue.poll()) != null) {
            if (dispatch(a, p)) {
                return;
            }
        }
        if (a.exitCode != null) {
            answer(WORK_EXIT, a.exitCode, new long[6]);
            a.exitSent = true;
            return;
        }
        answer(WORK_IDLE, idleNanos, new long[6]);
    }

    private void answer(long kind, long x1, long[] args) {
        board.setXs(kind, x1, args[0], args[1], args[2], args[3], args[4], args[5]);
    }

    /** Lays out and writes the call's buffer regions, then hands it out; false when it cannot be. */
    private boolean dispatch(Agent a, PendingCall p) {
        List<Syscall.Arg> args = p.call().args();
        int[] offsets = new int[args.size()];
        int end = 0;
        for (int i = 0; i < args.size(); i++) {
            int len = Syscall.regionLength(args.get(i));
            if (len < 0) {
                offsets[i] = -1;
            } else {
                offsets[i] = Syscall.align(end);
                end = offsets[i] + len;
            }
        }
        if (end > a.bufferSize) {
            fail(p, "needs " + end + " bytes of buffer; the agent has " + a.bufferSize);
            return false;
        }
        long[] regs = new long[6];
        try {
            for (int i = 0; i < args.size(); i++) {
                long at = a.bufferVa + Math.max(offsets[i], 0);
                switch (args.get(i)) {
                    case Syscall.Value v -> regs[i] = v.value();
                    case Syscall.In in -> {
                        write(at, in.data());
                        regs[i] = at;
                    }
                    case Syscall.InOut io -> {
                        write(at, io.data());
                        regs[i] = at;
                    }
                    case Syscall.Out out -> {
                        if (!out.sizedByResult()) {
                            write(at, new byte[out.length()]); // what the guest leaves unwritten reads as 0
                        }
                        regs[i] = at;
                    }
                }
            }
        } catch (RuntimeException e) {
            fail(p, "cannot write the agent's buffer at 0x" + Long.toHexString(a.bufferVa) + ": " + e.getMessage());
            return false;
        }
        answer(WORK_SYSCALL, p.call().number(), regs);
        p.phase = PendingCall.Phase.IN_FLIGHT;
        p.dispatchedAt = board.clock().instructions();
        p.offsets = offsets;
        p.bufferVa = a.bufferVa;
        a.inFlight = p;
        return true;
    }

    private void report(Agent a, long[] x) {
        long nr = x[2];
        long res = x[3];
        PendingCall p = a.inFlight;
        if (p == null || p.call().number() != nr) {
            protocolError("agent " + a.id + ": REPORT of syscall " + nr + " = " + res + " with "
                    + (p == null ? "no call" : p.call()) + " in flight");
            board.setX(0, Errno.EINVAL.negative());
            return;
        }
        board.setX(0, 0);
        a.inFlight = null;
        List<Syscall.Arg> args = p.call().args();
        List<byte[]> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < args.size(); i++) {
                long at = p.bufferVa + Math.max(p.offsets[i], 0);
                switch (args.get(i)) {
                    case Syscall.Out out -> outputs.add(read(at, out.sizedByResult()
                            ? (int) Math.max(0, Math.min(res, out.length())) : out.length()));
                    case Syscall.InOut io -> outputs.add(read(at, io.data().length));
                    default -> { }
                }
            }
        } catch (RuntimeException e) {
            fail(p, "returned " + res + " but its outputs cannot be read from the agent's buffer at 0x"
                    + Long.toHexString(p.bufferVa) + ": " + e.getMessage());
            return;
        }
        p.result = new SyscallResult(a.id, p.call(), res, outputs, p.dispatchedAt, board.clock().instructions());
        p.phase = PendingCall.Phase.DONE;
        live.remove(p);
        if (p.traceSeq >= 0) {
            int idx = (int) (p.traceSeq - traceFirstSeq);
            if (idx >= 0 && idx < trace.size()) {
                trace.set(idx, trace.get(idx).withResult(res));
            }
        }
    }

    /** A guest mistake: logged as a guest error and answered with -EINVAL; the host carries on. */
    private void protocolError(String what) {
        protocolErrors++;
        board.guestLog().error("lab-agent", what);
    }

    private void fail(PendingCall p, String why) {
        p.phase = PendingCall.Phase.FAILED;
        p.failure = why;
        live.remove(p);
    }

    private void write(long va, byte[] data) {
        if (data.length > 0) {
            board.writeVirtual(va, data);
        }
    }

    private byte[] read(long va, int n) {
        return n == 0 ? new byte[0] : board.readVirtual(va, n);
    }

    private long sp() {
        return board.reg(Reg.SP_EL0);
    }

    // ---- the syscall trace ------------------------------------------------

    private void traceSvc(long pc) {
        if (!tracing) {
            return;
        }
        long sp = sp();
        int owner = -1;
        for (Agent a : agents.values()) {
            if (a.hellos > 0 && Math.abs(sp - a.labSp) < SAME_STACK) {
                owner = a.id;
                break;
            }
        }
        long[] x = board.xs(9);
        int nr = (int) x[8];
        long seq = traceNextSeq;
        if (owner >= 0) {
            PendingCall p = agents.get(owner).inFlight;
            if (p != null && p.traceSeq < 0 && p.call().number() == nr) {
                p.traceSeq = seq; // REPORT fills in the result
            } else if (p == null && nr == Sysno.NANOSLEEP.number && !traceIdle) {
                return; // the agent's own IDLE sleep
            }
        }
        long[] args = java.util.Arrays.copyOf(x, 6);
        trace.add(new TracedSyscall(seq, board.clock().instructions(), owner, pc, sp, nr, args, false, 0));
        traceNextSeq++;
        if (trace.size() >= 2 * traceCapacity) {
            int drop = trace.size() - traceCapacity;
            trace.subList(0, drop).clear();
            traceFirstSeq += drop;
        }
    }

    /** Whether the agents' IDLE sleeps (nanosleep with no call in flight) are traced too (off by default). */
    public void traceIdle(boolean on) {
        traceIdle = on;
    }

    /** Turns tracing of ordinary {@code svc #0} on or off (on by default). */
    public void tracing(boolean on) {
        tracing = on;
    }

    /** How many of the latest traced syscalls are kept (at least; older ones are dropped in batches). */
    public void traceCapacity(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("trace capacity must be positive: " + n);
        }
        traceCapacity = n;
    }

    /** The latest traced syscalls (at most the capacity), oldest first; agent calls carry their results. */
    public List<TracedSyscall> trace() {
        int from = Math.max(0, trace.size() - traceCapacity);
        return List.copyOf(trace.subList(from, trace.size()));
    }

    /** Syscalls traced since attach (including those dropped from {@link #trace()}). */
    public long tracedCount() {
        return traceNextSeq;
    }

    // ---- state --------------------------------------------------------------

    /** The IDLE answer's sleep (nanoseconds; the agent sleeps 10 ms for 0). */
    public void idleNanos(long ns) {
        if (ns < 0 || ns >= 1_000_000_000L) {
            throw new IllegalArgumentException("idle sleep must be in [0, 1 s): " + ns);
        }
        idleNanos = ns;
    }

    public AgentInfo info(int agent) {
        checkId(agent);
        Agent a = agent(agent);
        return new AgentInfo(a.id, a.bufferVa, a.bufferSize, a.hellos, a.queue.size(),
                a.inFlight == null ? null : a.inFlight.call(), a.exitSent);
    }

    /** Ids of agents that have made a lab call. */
    public List<Integer> agents() {
        List<Integer> ids = new ArrayList<>();
        for (Agent a : agents.values()) {
            if (a.hellos > 0) {
                ids.add(a.id);
            }
        }
        return ids;
    }

    /** Lab calls that broke the protocol (unknown op or id, REPORT without a call, GET_WORK before HELLO). */
    public long protocolErrors() {
        return protocolErrors;
    }

    private Agent agent(int id) {
        return agents.computeIfAbsent(id, Agent::new);
    }

    private static void checkId(int agent) {
        if (agent < 0 || agent >= MAX_AGENTS) {
            throw new IllegalArgumentException("agent id " + agent + " out of range 0.." + (MAX_AGENTS - 1));
        }
    }

    private HostState save() {
        List<AgentState> as = new ArrayList<>();
        for (Agent a : agents.values()) {
            as.add(new AgentState(a.id, a.bufferVa, a.bufferSize, a.hellos, a.labSp, List.copyOf(a.queue), a.inFlight,
                    a.exitCode, a.exitSent));
        }
        Map<PendingCall, PendingCall.State> calls = new IdentityHashMap<>();
        for (PendingCall p : live.keySet()) {
            calls.put(p, p.save());
        }
        return new HostState(List.copyOf(as), Collections.unmodifiableMap(calls), List.copyOf(trace), traceFirstSeq,
                traceNextSeq, nextId, protocolErrors);
    }

    private void restore(HostState s) {
        for (PendingCall p : live.keySet()) {
            if (!s.calls().containsKey(p)) {
                p.phase = PendingCall.Phase.DISCARDED;
            }
        }
        live.clear();
        for (var e : s.calls().entrySet()) {
            e.getKey().restore(e.getValue());
            live.put(e.getKey(), Boolean.TRUE);
        }
        // Into the existing agents when they are the snapshot's (every fuzz restore): nothing allocated.
        if (!sameAgents(s.agents())) {
            agents.clear();
        }
        for (AgentState st : s.agents()) {
            Agent a = agents.computeIfAbsent(st.id(), Agent::new);
            a.bufferVa = st.bufferVa();
            a.bufferSize = st.bufferSize();
            a.hellos = st.hellos();
            a.labSp = st.labSp();
            a.queue.clear();
            a.queue.addAll(st.queue());
            a.inFlight = st.inFlight();
            a.exitCode = st.exitCode();
            a.exitSent = st.exitSent();
        }
        StateLists.restore(trace, s.trace());
        traceFirstSeq = s.traceFirstSeq();
        traceNextSeq = s.traceNextSeq();
        // nextId keeps counting: ids name submissions on this host, across restores
        protocolErrors = s.protocolErrors();
    }

    private boolean sameAgents(List<AgentState> saved) {
        if (agents.size() != saved.size()) {
            return false;
        }
        for (AgentState st : saved) {
            if (!agents.containsKey(st.id())) {
                return false;
            }
        }
        return true;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
