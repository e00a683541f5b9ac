package dev.wirelab.fuzz.exec;

import dev.wirelab.emulator.agent.AgentException;
import dev.wirelab.emulator.agent.Budget;
import dev.wirelab.emulator.agent.PendingCall;
import dev.wirelab.emulator.agent.SockAddr;
import dev.wirelab.emulator.agent.Syscall;
import dev.wirelab.emulator.agent.SyscallResult;
import dev.wirelab.emulator.board.Snapshot;
import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.coverage.EdgeMap;
import dev.wirelab.emulator.lab.FrameEvent;
import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.emulator.lab.LabFailure;
import dev.wirelab.emulator.lab.Stop;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.input.Action;
import dev.wirelab.fuzz.input.Advance;
import dev.wirelab.fuzz.input.AppClose;
import dev.wirelab.fuzz.input.AppRead;
import dev.wirelab.fuzz.input.AppShutdown;
import dev.wirelab.fuzz.input.AppWrite;
import dev.wirelab.fuzz.input.Connect;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.Payload;
import dev.wirelab.fuzz.input.Rel;
import dev.wirelab.fuzz.input.SegOption;
import dev.wirelab.fuzz.input.Segment;
import dev.wirelab.fuzz.input.StreamTarget;
import dev.wirelab.fuzz.input.Tick;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A booted guest prepared for one stream target, and the executor of its inputs. Setup that does
 * not depend on the input (boot, the listening socket, the handshake) happens once, ending in a
 * snapshot; each execution restores it and performs the actions through the lab's own verbs
 * ({@code tcp}/{@code inject}, {@code run}/{@code advance}, {@code tick}, {@code sys}). No run loop here.
 */
public final class FuzzLab implements AutoCloseable {
    /** Agents of the default guest: agent 0 owns the connection, agent 1 runs concurrent calls. */
    static final int AGENTS = 2;
    static final int MSG_DONTWAIT = 0x40;
    private static final int AF_INET = 2;
    private static final int SOCK_STREAM = 1;

    private final Lab lab;
    private final GuestProfile profile;
    private final StreamTarget target;
    private final ExecSettings settings;
    private final EdgeMap edges;
    private final Snapshot start;
    private final ConnTracker startTracker;
    private final int connFd;
    /** tcp-listen: the accept in flight at the snapshot (restores put it back in flight); the input's handshake completes it. */
    private final PendingCall accept;
    private final int[] connectFds;
    /** The agent's buffer: larger reads and writes are cut to it (the model allows 64 KiB). */
    private final int appMax;
    private ConnTracker tracker;
    private long advanced;
    private List<String> notes;
    /** Host wall time of the last execution's restore: read by {@code wirelab bench} only, never by the guest. */
    private long lastRestoreNanos;

    private FuzzLab(Lab lab, GuestProfile profile, StreamTarget target, ExecSettings settings, EdgeMap edges,
                    Setup setup) {
        this.lab = lab;
        this.profile = profile;
        this.target = target;
        this.settings = settings;
        this.edges = edges;
        this.connFd = setup.connFd;
        this.accept = setup.accept;
        this.connectFds = setup.connectFds;
        this.startTracker = setup.tracker.copy();
        this.appMax = Math.max(1, lab.sys.getHost().info(0).bufferSize() - 64);
        this.start = lab.snapshot();
    }

    /** What setup left: the tracker, the accepted fd (-1 for tcp-listen), the accept still in flight (tcp-listen). */
    private record Setup(ConnTracker tracker, int connFd, int[] connectFds, PendingCall accept) { }

    /** Boots {@code profile}'s guest and prepares {@code target}'s snapshot. */
    public static FuzzLab open(GuestProfile profile, StreamTarget target, ExecSettings settings) {
        BootImage image = profile.load();
        Lab lab = new Lab();
        try {
            lab.boot(profile.boardConfig(), image, false, true);
            Stop s = lab.until(profile.readiness(lab.sec(30)));
            if (!s.reached()) {
                throw new IllegalStateException(profile.name() + " never became ready (" + profile.readinessText()
                        + "): " + s);
            }
            EdgeMap edges = coverageMap(profile, image);
            Setup setup = prepare(lab, profile, target);
            if (profile.panicSymbol() != null) {
                lab.breakpoint(profile.panicSymbol()); // a run reaching it ends; the panic oracle names it
            }
            lab.getBoard().coverage(edges);
            return new FuzzLab(lab, profile, target, settings, edges, setup);
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private static EdgeMap coverageMap(GuestProfile profile, BootImage image) {
        if (profile.coverage().isEmpty()) {
            return EdgeMap.forText(image);
        }
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (GuestProfile.Range r : profile.coverage()) {
            lo = Math.min(lo, r.start());
            hi = Math.max(hi, r.end());
        }
        return EdgeMap.forRange(lo, hi);
    }

    /**
     * Target setup: a listening socket with an accept in flight; established adds the handshake
     * (MSS 1460, SACK permitted, so SACK processing is reachable from the input).
     */
    private static Setup prepare(Lab lab, GuestProfile profile, StreamTarget target) {
        var host = lab.sys.getHost();
        Budget b = Budget.DEFAULT;
        int lfd = (int) host.invoke(0, Syscall.socket(AF_INET, SOCK_STREAM, 0), b).orThrow();
        host.invoke(0, Syscall.bind(lfd, SockAddr.of("0.0.0.0", profile.listenPort())), b).orThrow();
        host.invoke(0, Syscall.listen(lfd, 4), b).orThrow();
        int[] connectFds = new int[AGENTS];
        if (target == StreamTarget.TCP_INTERLEAVE) {
            for (int a = 0; a < AGENTS; a++) {
                connectFds[a] = (int) host.invoke(a, Syscall.socket(AF_INET, SOCK_STREAM, 0), b).orThrow();
            }
        }
        PendingCall accept = host.submit(0, Syscall.accept(lfd));
        ConnTracker tracker = new ConnTracker(profile.listenPort(), profile.servicePort());
        lab.advance(lab.ms(20)); // the agent takes the accept and blocks in it
        tracker.observe(lab.trace.getFrames());
        if (target == StreamTarget.TCP_LISTEN) {
            return new Setup(tracker, -1, connectFds, accept);
        }
        FuzzLab.sendSegment(lab, profile, tracker, Segment.of(TcpFlags.SYN, Rel.peerNext(0), Rel.guestNext(0), 65535,
                Payload.NONE).withOptions(new SegOption.Mss(1460), new SegOption.SackPermitted()));
        lab.advance(lab.ms(5));
        tracker.observe(lab.trace.getFrames());
        FuzzLab.sendSegment(lab, profile, tracker, Segment.of(TcpFlags.ACK, Rel.peerNext(0), Rel.guestNext(0), 65535,
                Payload.NONE));
        SyscallResult acc = accept.await(b);
        int fd = (int) acc.orThrow();
        lab.advance(lab.ms(20));
        tracker.observe(lab.trace.getFrames());
        return new Setup(tracker, fd, connectFds, null);
    }

    public Lab lab() {
        return lab;
    }

    public GuestProfile profile() {
        return profile;
    }

    public StreamTarget target() {
        return target;
    }

    /** True for a source port of the scripted peer's connection slots (0-3). */
    public static boolean isPeerPort(int port) {
        return port >= ConnTracker.peerPort(0) && port <= ConnTracker.peerPort(3);
    }

    public ExecSettings settings() {
        return settings;
    }

    /** The agent's buffer less headroom: application reads and writes are cut to it. */
    public int appMax() {
        return appMax;
    }

    public EdgeMap edges() {
        return edges;
    }

    /**
     * Hands every covered block's address to {@code listener} (null: no more) — coverage by function
     * at report time. The native hook never calls Java per block, so the Java feed runs meanwhile
     * (same counts: the Java path is the reference).
     */
    public void blocks(java.util.function.LongConsumer listener) {
        edges.blocks(listener);
        lab.getBoard().coverage(edges, listener == null ? EdgeMap.Feed.NATIVE_HOOK : EdgeMap.Feed.JAVA_UPCALL);
    }

    /** Wall time the last {@link #execute}'s snapshot restore took (a bench measurement). */
    public long lastRestoreNanos() {
        return lastRestoreNanos;
    }

    /** Restores the snapshot and performs {@code input}; the edge map holds this execution's coverage afterwards. */
    public Execution execute(FuzzInput input) {
        if (input.target() != target) {
            throw new IllegalArgumentException("input for " + input.target().id() + " given to a " + target.id() + " lab");
        }
        long r0 = System.nanoTime();
        lab.restore(start);
        lastRestoreNanos = System.nanoTime() - r0;
        tracker = startTracker.copy();
        advanced = 0;
        notes = new ArrayList<>();
        edges.clear();
        lab.setBudget(settings.instructionBudget());
        long insn0 = lab.getInstructions();
        long tick0 = lab.getNow();
        int console0 = lab.console.getText().length();
        int frames0 = lab.trace.getFrames().size();
        Stop ended = null;
        String budgetOut = null;
        Execution.Quiet quiet = Execution.Quiet.NONE;
        try {
            for (Action a : input.actions()) {
                Stop s = perform(a);
                if (Execution.guestEnded(s)) {
                    ended = s;
                    break;
                }
            }
            if (ended == null) {
                Stop s = lab.advance(lab.us(settings.drainMicros()));
                if (Execution.guestEnded(s)) {
                    ended = s;
                }
            }
            if (ended == null) {
                long qi = lab.getInstructions();
                long qt = lab.getNow();
                int qf = lab.trace.getFrames().size();
                Stop s = lab.advance(lab.us(settings.quietMicros()));
                quiet = new Execution.Quiet(lab.getNow() - qt, lab.getInstructions() - qi,
                        countOut(lab.trace.getFrames(), qf));
                if (Execution.guestEnded(s)) {
                    ended = s;
                }
            }
        } catch (LabFailure f) {
            if (f.kind() != LabFailure.Kind.BUDGET_EXHAUSTED) {
                throw f;
            }
            budgetOut = f.getMessage();
        }
        String console = lab.console.getText();
        List<FrameEvent> all = lab.trace.getFrames();
        return new Execution(input, console.substring(Math.min(console0, console.length())),
                all.subList(Math.min(frames0, all.size()), all.size()), lab.getInstructions() - insn0,
                lab.getNow() - tick0, ended, budgetOut, quiet, notes);
    }

    private static int countOut(List<FrameEvent> frames, int from) {
        int n = 0;
        for (int i = from; i < frames.size(); i++) {
            if (frames.get(i).isOut()) {
                n++;
            }
        }
        return n;
    }

    private Stop perform(Action a) {
        tracker.observe(lab.trace.getFrames());
        return switch (a) {
            case Segment s -> {
                Stop last = null;
                for (int i = 0; i < s.repeat() && !Execution.guestEnded(last); i++) {
                    tracker.observe(lab.trace.getFrames());
                    sendSegment(lab, profile, tracker, s);
                    last = settle();
                }
                yield last;
            }
            case Tick t -> {
                Stop s = t.atInstructionOffset() == 0 ? null : lab.run(t.atInstructionOffset());
                if (Execution.guestEnded(s)) {
                    yield s;
                }
                lab.tick();
                yield settle();
            }
            case Advance v -> {
                long us = Math.min(v.micros(), settings.maxAdvanceMicros() - advanced);
                advanced += us;
                yield us <= 0 ? null : lab.advance(lab.us(us));
            }
            case AppRead r -> app(fd -> Syscall.recv(fd, Math.min(r.n(), appMax), MSG_DONTWAIT));
            case AppWrite w -> app(fd -> Syscall.send(fd, pattern(Math.min(w.n(), appMax)), MSG_DONTWAIT));
            case AppClose c -> app(Syscall::close);
            case AppShutdown s -> app(fd -> Syscall.shutdown(fd, s.how().ordinal()));
            case Connect c -> {
                int agent = c.agent() % AGENTS;
                lab.sys.getHost().submit(agent, Syscall.connect(connectFds[agent],
                        SockAddr.of(Lab.PEER_IP.toString(), profile.connectPort())));
                yield settle();
            }
        };
    }

    /**
     * An application call on the connection (agent 0): awaited within the app-call budget
     * (tcp-listen, tcp-established) or left in flight while the input goes on (tcp-interleave).
     * tcp-listen has a connection only once the input's handshake completed the accept.
     */
    private Stop app(java.util.function.IntFunction<Syscall> call) {
        int fd = connFd;
        if (accept != null) {
            if (!accept.isDone() || accept.phase() != PendingCall.Phase.DONE || accept.result().isError()) {
                return null;
            }
            fd = (int) accept.result().value();
        }
        PendingCall p = lab.sys.getHost().submit(0, call.apply(fd));
        if (target == StreamTarget.TCP_INTERLEAVE) {
            return null;
        }
        try {
            p.await(new Budget(settings.instructionBudget(), settings.appCallMicros() * 1000));
        } catch (AgentException e) {
            notes.add(p.call() + " did not complete: " + e.getMessage());
        }
        return null;
    }

    /**
     * Lets the guest react to the last action. tcp-interleave does not: there the input's ticks and
     * advances decide how far the guest gets, so a tick can land inside a segment's processing or a
     * call in flight.
     */
    private Stop settle() {
        if (target == StreamTarget.TCP_INTERLEAVE) {
            return null;
        }
        return lab.advance(lab.us(settings.settleMicros()));
    }

    /** Application data: position-derived, so the same write always sends the same bytes. */
    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    /** Builds the segment with {@code lab.tcp} (absolute numbers resolved from the tracker) and injects it. */
    static void sendSegment(Lab lab, GuestProfile profile, ConnTracker tracker, Segment s) {
        int slot = s.conn();
        long seq = tracker.resolve(slot, s.seq());
        long ack = tracker.resolve(slot, s.ack());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("abs", true);
        f.put("flags", TcpFlags.format(s.flags()));
        f.put("sport", ConnTracker.peerPort(slot));
        f.put("dport", tracker.guestPort(slot));
        f.put("seq", seq);
        f.put("ack", ack);
        f.put("win", s.window());
        f.put("src", switch (s.source()) {
            case PEER -> Lab.PEER_IP.toString();
            case UNSPECIFIED -> "0.0.0.0";
            case OTHER_HOST -> "10.0.2.101";
        });
        f.put("dst", profile.guestIp());
        byte[] data = s.payload().bytes();
        f.put("data", data);
        boolean wscale = false;
        for (SegOption o : s.options()) {
            switch (o) {
                case SegOption.Mss m -> f.put("mss", m.value());
                case SegOption.WindowScale w -> {
                    f.put("wscale", w.shift());
                    wscale = true;
                }
                case SegOption.SackPermitted p -> f.put("sackOK", true);
                case SegOption.Timestamps t -> f.put("ts", List.of(t.value(), t.echo()));
                case SegOption.Sack k -> {
                    List<List<Long>> blocks = new ArrayList<>();
                    for (SegOption.SackBlock blk : k.blocks()) {
                        blocks.add(List.of(tracker.resolve(slot, blk.left()), tracker.resolve(slot, blk.right())));
                    }
                    f.put("sack", blocks);
                }
            }
        }
        lab.inject(lab.tcp(f));
        tracker.peerSent(slot, s.flags(), seq, data.length, ack, wscale);
    }

    @Override
    public void close() {
        lab.getBoard().coverage(null);
        lab.close();
        edges.close();
    }


}
