package dev.wirelab.emulator.pkt;

import dev.wirelab.emulator.agent.PendingCall;
import dev.wirelab.emulator.agent.SyscallResult;
import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.emulator.lab.LabFailure;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.SeqNumber;
import dev.wirelab.emulator.wire.TcpOption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Runs a parsed packetdrill script against the booted guest, only through the {@link Lab} API:
 * {@code <} packets are {@code lab.inject(lab.tcp(...))} from the scripted peer, {@code >} packets are
 * {@code lab.expect(...)} in order (strict: the next packet the guest sends must be the one the
 * script names), syscalls go to lab agent 0 ({@code lab.sys}). Times follow packetdrill's run.c:
 * relative times count from when the previous event finished (consecutive inbound packets from the
 * previous one's script time); an outbound packet may be off by max(tolerance_usecs,
 * tolerance_percent of the gap since the previous event). Addresses: packetdrill's local address is
 * the guest, its remote address the scripted peer.
 *
 * <p>Failures are {@link LabFailure}s whose message starts {@code FILE:LINE: } like packetdrill's;
 * what the lab cannot express is a {@link dev.wirelab.emulator.lab.BadArgument} "unsupported at FILE:LINE".
 */
public final class PktRunner {
    /** The agent that runs the script's syscalls (fds belong to one agent in the default guest). */
    private static final int AGENT = 0;
    /** How long a {@code *} outbound packet may take: 10 s of virtual time. */
    private static final long ANY_WAIT_USECS = 10_000_000;

    /**
     * {@code toleranceUsecs}/{@code tolerancePercent}: packetdrill's timing slack (4 ms, 12.5 %);
     * {@code ignoreShell}: skip back-quoted lines and code blocks instead of refusing them;
     * {@code localIp}/{@code remoteIp}: the script's addresses for the guest and the peer.
     */
    public record Settings(long toleranceUsecs, double tolerancePercent, boolean ignoreShell, String localIp, String remoteIp,
                           int bindPort, int connectPort) {
        public static Settings defaults() {
            return new Settings(4000, 12.5, false, "192.168.0.1", "192.0.2.1", 8080, 8080);
        }

        public Settings withIgnoreShell(boolean on) {
            return new Settings(toleranceUsecs, tolerancePercent, on, localIp, remoteIp, bindPort, connectPort);
        }

        public Settings withToleranceUsecs(long usecs) {
            return new Settings(usecs, tolerancePercent, ignoreShell, localIp, remoteIp, bindPort, connectPort);
        }

        public Settings withAddresses(String local, String remote) {
            return new Settings(toleranceUsecs, tolerancePercent, ignoreShell, local == null ? localIp : local,
                    remote == null ? remoteIp : remote, bindPort, connectPort);
        }

        /** The script's options override these (command-line flags are applied after, by the caller). */
        public Settings with(PktScript s) {
            Settings r = this;
            if (s.option("tolerance_usecs") != null) {
                r = r.withToleranceUsecs(Long.parseLong(s.option("tolerance_usecs")));
            }
            if (s.option("tolerance_percent") != null) {
                r = new Settings(r.toleranceUsecs, Double.parseDouble(s.option("tolerance_percent")), r.ignoreShell,
                        r.localIp, r.remoteIp, r.bindPort, r.connectPort);
            }
            r = r.withAddresses(s.option("local_ip"), s.option("remote_ip"));
            if (s.option("bind_port") != null || s.option("connect_port") != null) {
                r = new Settings(r.toleranceUsecs, r.tolerancePercent, r.ignoreShell, r.localIp, r.remoteIp,
                        s.option("bind_port") != null ? Integer.parseInt(s.option("bind_port")) : r.bindPort,
                        s.option("connect_port") != null ? Integer.parseInt(s.option("connect_port")) : r.connectPort);
            }
            return r;
        }

        String guestIp() {
            return Lab.GUEST_IP.toString();
        }

        String peerIp() {
            return Lab.PEER_IP.toString();
        }

        /** A script address mapped onto the lab: local → the guest, remote → the peer, others unchanged. */
        String mapAddress(String scriptIp) {
            if (scriptIp.equals(localIp)) {
                return guestIp();
            }
            return scriptIp.equals(remoteIp) ? peerIp() : scriptIp;
        }
    }

    private final Lab lab;
    private final PktScript script;
    private final Settings settings;
    private final PktSyscalls syscalls;
    private long startTicks;
    /** The previous event, its script time (µs) and whether it was an inbound packet. */
    private Long lastUsecs;
    private boolean lastInbound;
    private int peerPort = 40000;
    private Integer guestPort;
    private PendingCall blocking;
    private PktEvent.Syscall blockingEvent;
    private long blockingEndUsecs;
    /** When the pending blocking call returned (ticks), once seen. */
    private Long blockingDoneTicks;

    private PktRunner(Lab lab, PktScript script, Settings settings) {
        this.lab = lab;
        this.script = script;
        this.settings = settings;
        this.syscalls = new PktSyscalls(script.file(), settings);
    }

    /** Parses and runs {@code file}; boots the default guest first if the lab has none. */
    public static void runFile(Lab lab, Path file, Settings settings) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        PktScript s = PktParser.parse(file.toString(), text);
        run(lab, s, settings.with(s));
    }

    /** Runs {@code script} with {@code settings} as they are (script options not applied). */
    public static void run(Lab lab, PktScript script, Settings settings) {
        if (!lab.isBooted()) {
            lab.boot();
        }
        new PktRunner(lab, script, settings).run();
    }

    private void run() {
        checkSupported();
        startTicks = lab.getNow();
        for (PktEvent e : script.events()) {
            switch (e) {
                case PktEvent.TcpPacket p when p.direction() == PktEvent.Direction.INBOUND -> inbound(p);
                case PktEvent.TcpPacket p -> outbound(p);
                case PktEvent.OtherPacket o when o.direction() == PktEvent.Direction.INBOUND -> udpInbound(o);
                case PktEvent.OtherPacket o -> udpOutbound(o);
                case PktEvent.Syscall s -> syscall(s);
                default -> { } // shell lines and code blocks: refused by checkSupported unless ignored
            }
            requireAlive(e);
        }
        finishBlocking();
        if (!script.events().isEmpty()) {
            requireAlive(script.events().getLast());
        }
    }

    /**
     * A guest that panicked fails the script at the event during which it did, as a crashed kernel
     * fails any packetdrill run (a fuzz finding's {@code repro.pkt} relies on it).
     */
    private void requireAlive(PktEvent e) {
        var panic = lab.getPanic();
        if (panic != null) {
            throw failure(e, "error: the guest panicked: " + panic.title());
        }
    }

    /** Refuses the whole script up front, before running anything, if any line cannot be run. */
    private void checkSupported() {
        for (PktEvent e : script.events()) {
            switch (e) {
                case PktEvent.Shell s when !settings.ignoreShell() && !isDefaultsInclude(s) ->
                        throw PktUnsupported.at(script.file(), s.line(), "shell command `" + s.command()
                                + "` (the lab runs no host commands; --ignore-shell skips them)");
                case PktEvent.Code c when !settings.ignoreShell() ->
                        throw PktUnsupported.at(script.file(), c.line(), "%{ python }% block (--ignore-shell skips it)");
                case PktEvent.OtherPacket o when udpLength(o) < 0 -> throw PktUnsupported.at(script.file(), o.line(),
                        o.kind() + " packets (the lab's packetdrill runs TCP packets and udp (LEN) datagrams): " + o.text());
                case PktEvent.TcpPacket p -> {
                    if (p.ipInfo() != null) {
                        throw PktUnsupported.at(script.file(), p.line(), "IP header fields (" + p.ipInfo() + ")");
                    }
                    if (p.urg() != null) {
                        throw PktUnsupported.at(script.file(), p.line(), "urgent pointers (urg " + p.urg() + ")");
                    }
                    for (TcpOpt o : p.options() == null ? List.<TcpOpt>of() : p.options()) {
                        if (o instanceof TcpOpt.Other other) {
                            throw PktUnsupported.at(script.file(), p.line(), "the TCP option " + other.text());
                        }
                    }
                }
                case PktEvent.Syscall s -> syscalls.translate(s);   // throws for what the agents cannot do
                default -> { }
            }
        }
        // translate() remembered fds and ports while checking: start clean
        syscallsReset();
    }

    private void syscallsReset() {
        // PktSyscalls keeps only the fd map and the bound port, both empty until a call returns
        syscalls.boundPort = null;
        syscalls.connectedPort = null;
    }

    /** packetdrill's {@code ../common/defaults.sh} sets sysctls for Linux: nothing to do on another stack. */
    private static boolean isDefaultsInclude(PktEvent.Shell s) {
        return s.time().kind() == EventTime.Kind.NONE && s.command().strip().endsWith("defaults.sh");
    }

    // ---- time ---------------------------------------------------------------------------

    private long liveUsecs() {
        return (lab.getNow() - startTicks) * 2 / 125; // 62.5 ticks per µs
    }

    private long ticksAt(long usecs) {
        return startTicks + usecs * 125 / 2;
    }

    /** The event's script time in µs (start, end), per packetdrill's adjust_relative_event_times. */
    private long[] schedule(PktEvent e, boolean inbound) {
        EventTime t = e.time();
        long offset = 0;
        if (t.kind() == EventTime.Kind.RELATIVE || t.kind() == EventTime.Kind.RELATIVE_RANGE || t.kind() == EventTime.Kind.ANY) {
            offset = lastInbound && inbound && lastUsecs != null ? lastUsecs : liveUsecs();
        }
        return new long[] {t.startUsecs() + offset, t.endUsecs() + offset, offset};
    }

    private long tolerance(long scriptUsecs) {
        long tol = settings.toleranceUsecs();
        if (lastUsecs != null) {
            tol = Math.max(tol, (long) (settings.tolerancePercent() / 100.0 * (scriptUsecs - lastUsecs)));
        }
        return tol;
    }

    private void waitUntil(long usecs) {
        advance(ticksAt(usecs), false);
    }

    /**
     * Runs the guest to {@code until} (ticks); while a blocking call is pending, stops at the very
     * instant it returns to note the time. {@code stopOnPacket}: also stop when the guest sends the
     * peer a packet (an outbound event's expect takes it from there), and do not run on to
     * {@code until} when no call is pending.
     */
    private void advance(long until, boolean stopOnPacket) {
        while (lab.getNow() < until) {
            PendingCall call = blocking;
            if (call == null || blockingDoneTicks != null) {
                if (!stopOnPacket) {
                    lab.until(Map.of("time", until));
                }
                return;
            }
            if (stopOnPacket && !lab.getPending().isEmpty()) {
                return;
            }
            BooleanSupplier stop = () -> call.isDone() || stopOnPacket && !lab.getPending().isEmpty();
            lab.until(Map.of("time", until, "condition", stop));
            if (call.isDone()) {
                blockingDoneTicks = lab.getNow();
            }
        }
    }

    private void done(long usecs, boolean inbound) {
        lastUsecs = usecs;
        lastInbound = inbound;
    }

    private LabFailure failure(PktEvent e, String message) {
        String where = script.file() + ":" + e.line();
        return new LabFailure(LabFailure.Kind.EXPECTATION_FAILED, where + ": " + message, where);
    }

    /** Packetdrill's check that an event did not start late (a previous event took too long). */
    private void checkStart(PktEvent e, long usecs, String what) {
        long live = liveUsecs();
        long tol = tolerance(usecs);
        if (live > usecs + tol) {
            throw failure(e, String.format("timing error: expected %s at %.6f sec but happened at %.6f sec; tolerance %.6f sec",
                    what, usecs / 1e6, live / 1e6, tol / 1e6));
        }
    }

    // ---- packets --------------------------------------------------------------------------

    private void inbound(PktEvent.TcpPacket p) {
        long at = schedule(p, true)[0];
        waitUntil(at);
        requireAlive(p);
        checkStart(p, at, "inbound packet");
        if (guestPort == null) {
            guestPort = syscalls.boundPort != null ? syscalls.boundPort : settings.bindPort();
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("flags", p.flags().isEmpty() ? "none" : p.flags());
        // "< 40001>8080 S ...": a second peer (a listen backlog test) names its ports
        f.put("sport", p.ports() != null ? p.ports().source() : peerPort);
        f.put("dport", p.ports() != null ? p.ports().destination() : guestPort);
        f.put("seq", p.seqStart());
        if (p.ack() != null) {
            f.put("ack", p.ack());
        }
        if (p.win() != null) {
            f.put("win", p.win());
        }
        if (p.len() > 0) {
            f.put("len", p.len());
        }
        f.put("options", wireOptions(p.options()));
        lab.inject(lab.tcp(f));
        done(at, true);
    }

    private void outbound(PktEvent.TcpPacket p) {
        long[] when = schedule(p, false);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("flags", p.flags().isEmpty() ? "none" : p.flags());
        spec.put("seq", p.seqStart());
        spec.put("len", p.len());
        if (p.ack() != null) {
            spec.put("ack", p.ack());
        }
        if (p.win() != null) {
            spec.put("win", p.win());
        }
        if (p.options() != null) {
            spec.put("options", wireOptions(p.options()));
        }
        spec.put("dport", p.ports() != null ? p.ports().destination() : peerPort);
        if (p.ports() != null || guestPort != null) {
            spec.put("sport", p.ports() != null ? p.ports().source() : guestPort);
        }
        Packet got = expectOutbound(p, when, spec, describe(p));
        if (guestPort == null && got.tcp() != null) {
            guestPort = got.tcp().sourcePort(); // an active open: the guest chose its port
        }
    }

    /** The next packet the guest sends the peer must match {@code spec}, in the event's time (range) with tolerance. */
    private Packet expectOutbound(PktEvent p, long[] when, Map<String, Object> spec, String described) {
        boolean any = p.time().kind() == EventTime.Kind.ANY;
        long tol = tolerance(when[0]);
        long latest = any ? liveUsecs() + ANY_WAIT_USECS : when[1] + tol;
        advance(ticksAt(latest), true);
        var pending = lab.getPending();
        Long arrived = pending.isEmpty() ? null : pending.get(0).ticks();
        spec.put("within", Math.max(1, ticksAt(latest) - lab.getNow() + lab.ms(1)));
        Packet got;
        try {
            got = lab.expect(spec);
        } catch (LabFailure x) {
            requireAlive(p);
            if (x.getMessage().startsWith("expect failed: no packet")) {
                throw failure(p, String.format("error handling packet: timing error: expected outbound packet %s but none "
                        + "came by %.6f sec%nscript packet: %s", any ? "at any time" : String.format("at %.6f sec", when[0] / 1e6),
                        liveUsecs() / 1e6, described));
            }
            throw failure(p, "error handling packet: " + packetdrillStyle(x.getMessage()) + "\nscript packet: " + described);
        }
        long at = ((arrived != null ? arrived : lab.getNow()) - startTicks) * 2 / 125;
        if (!any && (at < when[0] - tol || at > when[1] + tol)) {
            String expected = p.time().range() ? String.format("in time range %.6f~%.6f sec", when[0] / 1e6, when[1] / 1e6)
                    : String.format("at %.6f sec", when[0] / 1e6);
            throw failure(p, String.format("error handling packet: timing error: expected outbound packet %s but happened "
                    + "at %.6f sec; tolerance %.6f sec%nscript packet: %s", expected, at / 1e6, tol / 1e6, described));
        }
        done(any ? at : when[0], false);
        return got;
    }

    // ---- UDP: packetdrill's "udp (LEN)", between the guest's bound port and the peer's connect port ----

    private static final java.util.regex.Pattern UDP = java.util.regex.Pattern.compile("udp\\s*\\(\\s*(\\d{1,5})\\s*\\)");

    /** The payload length of a {@code udp (LEN)} line, or -1 for anything else (ICMP, encapsulation, ports). */
    static int udpLength(PktEvent.OtherPacket o) {
        var m = UDP.matcher(o.text().strip());
        return o.kind().equals("udp") && m.matches() && Integer.parseInt(m.group(1)) <= 1472 ? Integer.parseInt(m.group(1)) : -1;
    }

    private int udpGuestPort() {
        return syscalls.boundPort != null ? syscalls.boundPort : settings.bindPort();
    }

    private void udpInbound(PktEvent.OtherPacket o) {
        long at = schedule(o, true)[0];
        waitUntil(at);
        requireAlive(o);
        checkStart(o, at, "inbound packet");
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("sport", settings.connectPort());
        f.put("dport", udpGuestPort());
        f.put("data", new byte[udpLength(o)]);
        lab.inject(lab.udp(f));
        done(at, true);
    }

    private void udpOutbound(PktEvent.OtherPacket o) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("proto", "udp");
        spec.put("dport", settings.connectPort());
        spec.put("len", udpLength(o));
        expectOutbound(o, schedule(o, false), spec, o.time() + " > " + o.text());
    }

    /** Lab's "expect failed: ack / expected: ... / actual: ..." as packetdrill's "live packet field ..." lines. */
    private static String packetdrillStyle(String labMessage) {
        return labMessage.replaceFirst("^expect failed: ", "live packet field ");
    }

    /** A packet line as the script writes it (error messages, pkt2groovy comments). */
    static String describe(PktEvent.TcpPacket p) {
        return p.time() + " " + p.direction().arrow() + (p.ports() == null ? "" : " " + p.ports().source() + ">"
                + p.ports().destination()) + " " + (p.flags().isEmpty() ? "-" : p.flags()) + " " + p.seqStart()
                + ":" + p.seqEnd() + "(" + p.len() + ")" + (p.ack() != null ? " ack " + p.ack() : "")
                + (p.win() != null ? " win " + p.win() : "")
                + (p.options() == null ? " <...>" : p.options().isEmpty() ? "" : " <" + String.join(",",
                p.options().stream().map(Object::toString).toList()) + ">");
    }

    /** The script's options as wire options (SACK edges still relative: the lab rebases them). */
    static List<TcpOption> wireOptions(List<TcpOpt> opts) {
        List<TcpOption> out = new ArrayList<>();
        for (TcpOpt o : opts) {
            out.add(switch (o) {
                case TcpOpt.Nop n -> TcpOption.nop();
                case TcpOpt.Eol e -> TcpOption.eol();
                case TcpOpt.Mss m -> TcpOption.mss(m.value());
                case TcpOpt.WScale w -> TcpOption.windowScale(w.shift());
                case TcpOpt.SackOk s -> TcpOption.sackPermitted();
                case TcpOpt.Timestamp t -> TcpOption.timestamps(t.val() & 0xffffffffL, t.ecr() & 0xffffffffL);
                case TcpOpt.Sack s -> new TcpOption.Sack(s.blocks().stream()
                        .map(b -> new TcpOption.SackBlock(SeqNumber.of(b.left()), SeqNumber.of(b.right()))).toList());
                case TcpOpt.Other x -> throw new IllegalStateException("unsupported option reached the runner: " + x);
            });
        }
        return out;
    }

    // ---- syscalls ---------------------------------------------------------------------------

    private void syscall(PktEvent.Syscall s) {
        finishBlocking(); // the agent runs one call at a time: a blocking call ends before the next starts
        long[] when = schedule(s, false);
        waitUntil(when[0]);
        requireAlive(s);
        checkStart(s, when[0], "system call start");
        PendingCall call = lab.sys.getHost().submit(AGENT, syscalls.translate(s));
        // The idle agent sleeps until the guest's next timer tick (up to 10 ms): a tick now lets it take
        // the call at once, as packetdrill's syscalls start at their script time.
        lab.tick();
        if (syscalls.connectedPort != null && guestPort == null) {
            peerPort = syscalls.connectedPort; // an active open: the peer is the server
        }
        if (s.endUsecs() != null) {
            // Like packetdrill, go on once the call is in the guest (the agent takes work on its next poll).
            BooleanSupplier started = () -> call.phase() != PendingCall.Phase.QUEUED;
            lab.until(Map.of("condition", started, "within", lab.sec(60)));
            blocking = call;
            blockingDoneTicks = call.isDone() ? lab.getNow() : null;
            blockingEvent = s;
            blockingEndUsecs = s.time().relative() ? s.endUsecs() + when[2] : s.endUsecs();
            done(when[0], false);
            return;
        }
        complete(s, await(s, call));
        done(when[0], false);
    }

    /** The call's result; a call that never returns is the script's failure, not the lab's. */
    private SyscallResult await(PktEvent.Syscall s, PendingCall call) {
        try {
            return call.await();
        } catch (dev.wirelab.emulator.agent.AgentTimeoutException e) {
            throw failure(s, "runtime error in " + s.name() + " call: it did not return (still blocked after "
                    + "60 s of virtual time)");
        } catch (dev.wirelab.emulator.agent.AgentException e) {
            requireAlive(s);
            throw failure(s, "runtime error in " + s.name() + " call: " + e.getMessage());
        }
    }

    private void complete(PktEvent.Syscall s, SyscallResult r) {
        String bad = syscalls.check(s, r.value());
        if (bad == null) {
            bad = syscalls.checkOutputs(s, r);
        }
        if (bad != null) {
            throw failure(s, "runtime error in " + s.name() + " call: " + bad);
        }
        if ((s.name().equals("socket") || s.name().startsWith("accept")) && s.result() instanceof Expr.Num n) {
            syscalls.mapFd(n.value(), r.value());
        }
    }

    /** Waits for a pending blocking call and checks its result and when it returned. */
    private void finishBlocking() {
        if (blocking == null) {
            return;
        }
        PendingCall call = blocking;
        PktEvent.Syscall s = blockingEvent;
        SyscallResult r = await(s, call);
        long end = ((blockingDoneTicks != null ? blockingDoneTicks : lab.getNow()) - startTicks) * 2 / 125;
        blocking = null;
        complete(s, r);
        long tol = tolerance(blockingEndUsecs);
        if (end < blockingEndUsecs - tol || end > blockingEndUsecs + tol) {
            throw failure(s, String.format("timing error: expected system call return at %.6f sec but happened at %.6f sec; "
                    + "tolerance %.6f sec", blockingEndUsecs / 1e6, end / 1e6, tol / 1e6));
        }
    }
}
