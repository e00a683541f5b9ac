package dev.wirelab.fuzz.finding;

import dev.wirelab.emulator.lab.FrameEvent;
import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.emulator.lab.ReproHeader;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpOption;
import dev.wirelab.emulator.wire.TcpSegment;
import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.exec.ExecSettings;
import dev.wirelab.fuzz.exec.Execution;
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.input.Action;
import dev.wirelab.fuzz.input.Advance;
import dev.wirelab.fuzz.input.AppClose;
import dev.wirelab.fuzz.input.AppRead;
import dev.wirelab.fuzz.input.AppShutdown;
import dev.wirelab.fuzz.input.AppWrite;
import dev.wirelab.fuzz.input.Connect;
import dev.wirelab.fuzz.input.Segment;
import dev.wirelab.fuzz.input.StreamTarget;
import dev.wirelab.fuzz.input.Tick;
import dev.wirelab.fuzz.monitor.Violation;
import dev.wirelab.fuzz.oracle.Finding;
import dev.wirelab.fuzz.oracle.WireMonitorOracle;
import java.util.List;

/**
 * Writes a finding as a readable Groovy repro that replays exactly what {@link FuzzLab} did: the
 * header ({@link ReproHeader#render()}), {@code boot}, the target's setup step for step (the listening
 * socket, the accept in flight, the established target's handshake with MSS and SACK-permitted as
 * the fuzzer's snapshot has them), then one line per action — {@code inject tcp(...)} with sequence
 * numbers relative to the connection's ISNs (as the lab's {@code tcp} builder counts them), the
 * application's calls as the fuzzer makes them (agent 0, {@code MSG_DONTWAIT}, cut to the agent's
 * buffer, awaited or left in flight as the target does), {@code tick}, {@code advance} (capped as the
 * fuzzer caps it) — each with a comment, and at the end a {@code check} of the oracle's own
 * condition, so {@code wirelab run} exits 1 while the bug is there and 0 once it is fixed. Once the
 * guest has ended (panic, fault, exit) the remaining steps are skipped, as the fuzzer skips them.
 *
 * <p>The segments' numbers are taken from the frames the execution actually injected, re-expressed
 * relative to the ISNs the lab's builder will know at that point of the script.
 */
public final class ReproScript {
    private static final long PEER_ISN = Lab.DEFAULT_PEER_ISN;

    /** Everything the header says about where the repro came from. */
    public record Origin(String version, String guestSha256, String board, String traceHash) {
    }

    private final GuestProfile profile;
    private final StreamTarget target;
    private final ExecSettings settings;
    private final int appMax;
    private final StringBuilder out = new StringBuilder();
    private final ReproFlows flows = new ReproFlows();

    private ReproScript(FuzzLab lab) {
        this.profile = lab.profile();
        this.target = lab.target();
        this.settings = lab.settings();
        this.appMax = lab.appMax();
    }

    /**
     * The repro text.
     *
     * @param lab    the lab that ran the execution (profile, target, settings)
     * @param before frames on the wire before the execution started (the target's setup)
     * @param e      the minimized execution
     */
    public static String render(FuzzLab lab, Finding finding, Origin origin, List<FrameEvent> before, Execution e) {
        ReproScript r = new ReproScript(lab);
        r.header(finding, origin);
        r.setup(before);
        if (finding.oracle().equals("hang")) {
            r.line("// The fuzzer's instruction budget for the steps below (a hang is also running out of it).");
            r.line("long begin = lab.instructions");
        }
        r.steps(e);
        r.check(finding, before, e);
        return r.out.toString();
    }

    private void header(Finding f, Origin o) {
        out.append(new ReproHeader(oneLine(f.title()), "wirelab " + o.version(), guest(o.guestSha256()), o.board(),
                ReproHeader.Outcome.REPRODUCED, o.traceHash()).render());
        line("//");
        line("// Found by `wirelab fuzz --target " + target.id() + "` (oracle: " + f.oracle() + ").");
        line("// Exits 1 while the bug is there, 0 once it is fixed. Against another image, e.g. the default guest:");
        line("//   ./wirelab run repro.groovy default      (or IMAGE, zoo:NAME)");
        line("");
        line("import dev.wirelab.emulator.agent.AgentException");
        line("import dev.wirelab.emulator.agent.Budget");
        line("import dev.wirelab.emulator.agent.SockAddr");
        line("import dev.wirelab.emulator.agent.Syscall");
        line("import dev.wirelab.emulator.lab.Stop");
        line("");
        line("String guest = args ? args[0] : '" + bootSpec() + "'");
        line("if (guest == 'default') boot() else boot(image: guest)");
        line("");
    }

    private ReproHeader.Guest guest(String sha256) {
        String n = profile.name();
        if (n.equals("default")) {
            return new ReproHeader.Guest(ReproHeader.GuestKind.DEFAULT, "default", sha256);
        }
        if (n.startsWith("zoo:")) {
            return new ReproHeader.Guest(ReproHeader.GuestKind.ZOO, n.substring(4), sha256);
        }
        return new ReproHeader.Guest(ReproHeader.GuestKind.FILE,
                String.valueOf(java.nio.file.Path.of(profile.image()).getFileName()), sha256);
    }

    private String bootSpec() {
        return profile.name().equals("default") ? "default" : profile.name().startsWith("zoo:") ? profile.name()
                : profile.image().replace("\\", "\\\\").replace("'", "\\'");
    }

    /** FuzzLab.prepare, step for step; the handshake's segments are the ones the fuzzer's setup injected. */
    private void setup(List<FrameEvent> before) {
        int port = profile.listenPort();
        line("// The fuzzer's setup: the application (agent 0) listens on port " + port + " with an accept in flight.");
        line("int ls = sys.socket(0, sys.AF_INET, sys.SOCK_STREAM, 0).orThrow()");
        line("sys.bind(0, ls, '0.0.0.0', " + port + ").orThrow()");
        line("sys.listen(0, ls, 4).orThrow()");
        if (target == StreamTarget.TCP_INTERLEAVE) {
            line("// Each agent has a socket for the connects below.");
            line("List<Integer> cs = (0..1).collect { a -> (int) sys.socket(a, sys.AF_INET, sys.SOCK_STREAM, 0).orThrow() }");
        }
        line("def accepting = sys.host.submit(0, Syscall.accept(ls))");
        line("advance(ms(20))");
        if (target != StreamTarget.TCP_LISTEN) {
            List<FrameEvent> handshake = flows.handshake(before, target.id());
            line("// The peer connects (its SYN as the fuzzer's snapshot has it) and the application accepts.");
            line("inject " + tcp(handshake.get(0).getPacket()));
            line("advance(ms(5))");
            line("inject " + tcp(handshake.get(1).getPacket()));
            line("accepting.await().orThrow()");
            line("advance(ms(20))");
        } else {
            before.forEach(flows::learn);
        }
        line("");
        line("// Application calls as the fuzzer makes them: agent 0 on the accepted connection, never blocking "
                + "(MSG_DONTWAIT = 64), " + (target == StreamTarget.TCP_INTERLEAVE ? "left in flight."
                : "awaited at most " + settings.appCallMicros() / 1000 + " ms of virtual time."));
        line("def conn = { -> accepting.isDone() && !accepting.result().isError() ? (int) accepting.result().value() : -1 }");
        line("def app = { Closure call -> int fd = conn(); if (fd >= 0) { def p = sys.host.submit(0, call(fd))"
                + (target == StreamTarget.TCP_INTERLEAVE ? "" : "; try { p.await(new Budget(" + settings.instructionBudget()
                        + "L, " + settings.appCallMicros() * 1000 + "L)) } catch (AgentException e) { }")
                + " }; null }");
        line("def bytes = { int n -> ('abcdefghijklmnopqrstuvwxyz' * (n.intdiv(26) + 1)).take(n).getBytes('US-ASCII') }");
        line("// Once the guest has ended (panic, fault, exit) the fuzzer stops: so do the steps.");
        line("Stop ending = null");
        line("def act = { Closure body -> if (ending == null && lab.panic == null) { def s = body(); "
                + "if (s instanceof Stop && s.ended()) ending = s } }");
        line("");
    }

    private void steps(Execution e) {
        List<FrameEvent> frames = e.frames();
        java.util.Iterator<FrameEvent> next = frames.iterator();
        int step = 0;
        boolean settles = target != StreamTarget.TCP_INTERLEAVE;
        String settle = settles ? "; advance(us(" + settings.settleMicros() + "))" : "";
        long advanced = 0;
        for (Action a : e.input().actions()) {
            step++;
            String n = "// " + step + ". ";
            switch (a) {
                case Segment s -> {
                    for (int k = 0; k < s.repeat(); k++) { // a repeated segment is one injected frame each time
                        FrameEvent f = flows.nextInjected(next, c -> { });
                        if (f == null) {
                            line(n + "the peer's " + s + " was not sent: the guest had ended (skipped)");
                            break;
                        }
                        line(n + describe(s) + (s.repeat() == 1 ? "" : " (" + (k + 1) + " of " + s.repeat() + ")"));
                        line("act { inject " + tcp(f.getPacket()) + settle + " }");
                    }
                }
                case AppRead r -> {
                    line(n + "the application reads up to " + r.n() + " bytes" + cut(r.n()));
                    line("act { app { int fd -> Syscall.recv(fd, " + Math.min(r.n(), appMax) + ", 64) } }");
                }
                case AppWrite w -> {
                    line(n + "the application writes " + w.n() + " bytes" + cut(w.n()));
                    line("act { app { int fd -> Syscall.send(fd, bytes(" + Math.min(w.n(), appMax) + "), 64) } }");
                }
                case AppClose c -> {
                    line(n + "the application closes its connection");
                    line("act { app { int fd -> Syscall.close(fd) } }");
                }
                case AppShutdown s -> {
                    line(n + "the application shuts down " + s.how() + " (shutdown how=" + s.how().ordinal() + ")");
                    line("act { app { int fd -> Syscall.shutdown(fd, " + s.how().ordinal() + ") } }");
                }
                case Tick t -> {
                    line(n + "a timer interrupt " + t.atInstructionOffset() + " instructions from now");
                    line("act { " + (t.atInstructionOffset() == 0 ? "" : "def s = run(" + t.atInstructionOffset()
                            + "); if (s.ended()) return s; ") + "tick()" + settle + " }");
                }
                case Advance v -> {
                    long us = Math.min(v.micros(), settings.maxAdvanceMicros() - advanced);
                    advanced += Math.max(0, us);
                    line(n + "virtual time passes" + (us == v.micros() ? "" : " (" + v.micros()
                            + " µs asked; the fuzzer caps all advances at " + settings.maxAdvanceMicros() + " µs)"));
                    if (us > 0) {
                        line("act { advance(us(" + us + ")) }");
                    }
                }
                case Connect c -> {
                    int agent = c.agent() % 2;
                    line(n + "agent " + agent + " connects to the peer's port " + profile.connectPort() + " (left in flight)");
                    line("act { sys.host.submit(" + agent + ", Syscall.connect(cs[" + agent + "], SockAddr.of('"
                            + Lab.PEER_IP + "', " + profile.connectPort() + ")))" + settle + " }");
                }
            }
        }
        line("");
        line("// The guest reacts; then a quiet window with no input at all.");
        line("act { advance(us(" + settings.drainMicros() + ")) }");
    }

    private String cut(int n) {
        return n > appMax ? " (cut to the agent's " + appMax + "-byte buffer, as the fuzzer does)" : "";
    }

    private void check(Finding f, List<FrameEvent> before, Execution e) {
        switch (f.oracle()) {
            case "hang" -> {
                line("long t0 = lab.now, i0 = lab.instructions");
                line("act { advance(us(" + settings.quietMicros() + ")) }");
                line("check lab.panic == null, 'no guest panic'");
                line("check((lab.instructions - i0) < 0.9 * Math.max(1L, lab.now - t0), " + quote("the guest idles "
                        + "when nothing happens (" + f.title() + ")") + ")");
                line("check((lab.instructions - begin) < " + settings.instructionBudget() + "L, " + quote("the steps fit "
                        + "the fuzzer's instruction budget (" + f.title() + ")") + ")");
            }
            case "liveness" -> {
                line("int out0 = lab.trace.frames.count { it.out }");
                line("act { advance(us(" + settings.quietMicros() + ")) }");
                line("check lab.panic == null, 'no guest panic'");
                line("check lab.trace.frames.count { it.out } - out0 <= 32, " + quote("the guest stops transmitting "
                        + "when nothing arrives (" + f.title() + ")"));
            }
            case "fault" -> {
                line("check ending?.reason != 'fault', " + quote("no guest fault (" + f.title() + ")"));
                line("check lab.panic == null, 'no guest panic'");
            }
            case "monitor" -> monitorCheck(f, before, e);
            default -> line("check lab.panic == null, " + quote("no guest panic (" + f.title() + ")"));
        }
    }

    /** A monitor finding: the violating guest segment must not appear (matched by its relative ack and window). */
    private void monitorCheck(Finding f, List<FrameEvent> before, Execution e) {
        Violation v = WireMonitorOracle.firstGuestViolation(before, e.frames(), WireMonitorOracle.invariantOf(f));
        TcpSegment t = v == null ? null : frameAt(before, e, v.frameIndex()).getPacket().tcp();
        if (t == null) {
            line("check lab.panic == null, 'no guest panic'");
            line("// the monitor's evidence: " + oneLine(f.detail()));
            return;
        }
        int peer = t.destinationPort();
        long rel = ReproFlows.relative(t.ack().value(), flows.peer(peer));
        line("// The guest segment that broke it: " + oneLine(v.evidence()));
        line("def peerIsn = lab.trace.frames.find { !it.out && it.packet.tcp()?.syn() && it.packet.tcp().sourcePort() == "
                + peer + " }?.packet?.tcp()?.seq()?.value() ?: 0");
        line("check !lab.trace.frames.any { it.out && it.packet.tcp()?.destinationPort() == " + peer
                + " && ((it.packet.tcp().ack().value() - peerIsn) & 0xffffffffL) == " + (rel & 0xffff_ffffL)
                + "L && it.packet.tcp().window() == " + t.window() + " }, " + quote(f.title()));
    }

    private static FrameEvent frameAt(List<FrameEvent> before, Execution e, int index) {
        return index < before.size() ? before.get(index) : e.frames().get(index - before.size());
    }

    private String tcp(Packet p) {
        TcpSegment t = p.tcp();
        int sport = t.sourcePort();
        StringBuilder b = new StringBuilder("tcp(flags: '").append(TcpFlags.format(t.flags())).append("'");
        b.append(", sport: ").append(sport).append(", dport: ").append(t.destinationPort());
        String src = p.ip().source().toString();
        if (!src.equals(Lab.PEER_IP.toString())) {
            b.append(", src: '").append(src).append("'");
        }
        Long pIsn = flows.peer(sport);
        if (t.syn() && pIsn != null && pIsn == t.seq().value() && pIsn != PEER_ISN) {
            b.append(", isn: ").append(pIsn);
        }
        b.append(", seq: ").append(ReproFlows.relative(t.seq().value(), pIsn));
        b.append(", ack: ").append(ReproFlows.relative(t.ack().value(), flows.guest(sport)));
        b.append(", win: ").append(t.window());
        for (TcpOption o : t.options()) {
            switch (o) {
                case TcpOption.Mss m -> b.append(", mss: ").append(m.value());
                case TcpOption.WindowScale w -> b.append(", wscale: ").append(w.shift());
                case TcpOption.SackPermitted s -> b.append(", sackOK: true");
                case TcpOption.Timestamps ts -> b.append(", ts: [").append(ts.tsVal()).append(", ").append(ts.tsEcr())
                        .append("]");
                case TcpOption.Sack s -> {
                    Long g = flows.guest(sport);
                    b.append(", sack: [");
                    for (int i = 0; i < s.blocks().size(); i++) {
                        TcpOption.SackBlock k = s.blocks().get(i);
                        b.append(i == 0 ? "" : ", ").append('[').append(ReproFlows.relative(k.left().value(), g)).append(", ")
                                .append(ReproFlows.relative(k.right().value(), g)).append(']');
                    }
                    b.append(']');
                }
                default -> { }
            }
        }
        b.append(payload(t.payload().toArray()));
        return b.append(')').toString();
    }

    /** The payload as {@code len:} (zeros), a repeated text, or repeated bytes. */
    static String payload(byte[] data) {
        if (data.length == 0) {
            return "";
        }
        boolean zeros = true;
        for (byte x : data) {
            zeros &= x == 0;
        }
        if (zeros) {
            return ", len: " + data.length;
        }
        int period = period(data);
        boolean text = true;
        for (int i = 0; i < period; i++) {
            text &= data[i] >= 0x20 && data[i] < 0x7f && data[i] != '\'' && data[i] != '\\' && data[i] != '$';
        }
        int times = (data.length + period - 1) / period;
        boolean exact = times * period == data.length;
        if (text) {
            String unit = new String(data, 0, period, java.nio.charset.StandardCharsets.US_ASCII);
            return times == 1 ? ", data: '" + unit + "'" : exact ? ", data: '" + unit + "' * " + times
                    : ", data: ('" + unit + "' * " + times + ").take(" + data.length + ")";
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < period; i++) {
            b.append(i == 0 ? "" : ", ").append(data[i]);
        }
        b.append(']');
        String list = times == 1 ? b.toString() : "(" + b + " * " + times + ")" + (exact ? "" : ".take(" + data.length + ")");
        return ", data: " + list + " as byte[]";
    }

    /** The shortest prefix length whose repetition makes {@code data}. */
    static int period(byte[] data) {
        for (int p = 1; p < data.length; p++) {
            boolean ok = true;
            for (int i = p; i < data.length && ok; i++) {
                ok = data[i] == data[i - p];
            }
            if (ok) {
                return p;
            }
        }
        return data.length;
    }

    private static String describe(Segment s) {
        String who = switch (s.source()) {
            case PEER -> "the peer";
            case UNSPECIFIED -> "a host claiming 0.0.0.0";
            case OTHER_HOST -> "another host";
        };
        String data = s.payload().length() == 0 ? "" : ", " + s.payload().length() + " bytes";
        return who + (s.conn() == 0 ? "" : " (connection " + s.conn() + ")") + " sends " + TcpFlags.format(s.flags())
                + data + " at seq " + s.seq() + ", ack " + s.ack() + ", win " + s.window()
                + (s.options().isEmpty() ? "" : ", options " + s.options());
    }

    private static String quote(String s) {
        return "'" + oneLine(s).replace("\\", "\\\\").replace("'", "\\'").replace("$", "\\$") + "'";
    }

    static String oneLine(String s) {
        String l = s.strip().replaceAll("\\s*\\n\\s*", " / ");
        return l.length() > 200 ? l.substring(0, 200) + "..." : l;
    }

    private void line(String s) {
        out.append(s).append('\n');
    }
}
