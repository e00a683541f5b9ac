package dev.wirelab.fuzz.finding;

import dev.wirelab.emulator.lab.FrameEvent;
import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpOption;
import dev.wirelab.emulator.wire.TcpSegment;
import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.exec.ExecSettings;
import dev.wirelab.fuzz.exec.Execution;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a finding as a readable Groovy repro: {@code boot}, the target's setup, then one line
 * per action — {@code inject tcp(...)} with sequence numbers relative to the connection's ISNs
 * (as the lab's {@code tcp} builder counts them), {@code sys.*} calls, {@code tick}, {@code
 * advance} — each with a comment, and at the end a {@code check} of the oracle's own condition,
 * so {@code wirelab run} exits 1 while the bug is there and 0 once it is fixed.
 *
 * <p>The segments' numbers are taken from the frames the minimized execution actually injected,
 * re-expressed relative to the ISNs the lab's builder will know at that point of the script.
 */
public final class ReproScript {
    private static final long PEER_ISN = Lab.DEFAULT_PEER_ISN;

    /** Everything the header says about where the repro came from. */
    public record Origin(String version, String guestSha256, String board, String traceHash) {
    }

    private final GuestProfile profile;
    private final StreamTarget target;
    private final ExecSettings settings;
    private final StringBuilder out = new StringBuilder();
    private final Map<Integer, Long> peerIsn = new HashMap<>();
    private final Map<Integer, Long> guestIsn = new HashMap<>();

    private ReproScript(GuestProfile profile, StreamTarget target, ExecSettings settings) {
        this.profile = profile;
        this.target = target;
        this.settings = settings;
    }

    /**
     * The repro text.
     *
     * @param before frames on the wire before the execution started (the target's setup)
     * @param e      the minimized execution
     */
    public static String render(GuestProfile profile, ExecSettings settings, Finding finding, Origin origin,
                                List<FrameEvent> before, Execution e) {
        ReproScript r = new ReproScript(profile, e.input().target(), settings);
        r.header(finding, origin);
        for (FrameEvent f : before) {
            r.learn(f);
        }
        r.setup();
        r.steps(e);
        r.check(finding, before, e);
        return r.out.toString();
    }

    /** The header {@code args}' ReproHeader parses (wirelab-repro: 1). */
    private void header(Finding f, Origin o) {
        line("// wirelab-repro: 1");
        line("// title: " + oneLine(f.title()));
        line("// made-with: wirelab " + o.version());
        line("// guest: " + guestSpec() + " sha256=" + o.guestSha256());
        line("// board: " + o.board());
        line("// expect: reproduced");
        line("// trace-hash: " + o.traceHash());
        line("//");
        line("// Found by `wirelab fuzz --target " + target.id() + "` (oracle: " + f.oracle() + ").");
        line("// Exits 1 while the bug is there, 0 once it is fixed. Against another image:");
        line("//   ./wirelab run repro.groovy IMAGE|zoo:NAME|default");
        line("");
        line("import dev.wirelab.emulator.agent.PollFd");
        line("");
        line("String guest = args ? args[0] : '" + bootSpec() + "'");
        line("if (guest == 'default') boot() else boot(image: guest)");
        line("");
    }

    private String guestSpec() {
        String n = profile.name();
        if (n.equals("default") || n.startsWith("zoo:")) {
            return n;
        }
        return "file:" + java.nio.file.Path.of(profile.image()).getFileName();
    }

    private String bootSpec() {
        return profile.name().equals("default") ? "default" : profile.name().startsWith("zoo:") ? profile.name()
                : profile.image().replace("\\", "\\\\").replace("'", "\\'");
    }

    private void setup() {
        int port = profile.listenPort();
        line("// The guest application (agent 0) listens on port " + port + ".");
        line("int ls = sys.socket(0, sys.AF_INET, sys.SOCK_STREAM, 0).orThrow()");
        line("sys.bind(0, ls, '0.0.0.0', " + port + ").orThrow()");
        line("sys.listen(0, ls, 4).orThrow()");
        if (target == StreamTarget.TCP_ESTABLISHED) {
            line("// The peer connects (MSS 1460) and the application accepts: the connection is established.");
            line("inject tcp(flags: 'S', sport: 40000, dport: " + port + ", seq: 0, win: 65535, mss: 1460)");
            line("expect flags: 'S.', ack: 1, within: ms(20)");
            line("inject tcp(flags: '.', sport: 40000, dport: " + port + ", seq: 1, ack: 1, win: 65535)");
            line("int c = sys.accept(0, ls).orThrow()");
            line("advance(ms(20))");
        }
        if (target == StreamTarget.TCP_INTERLEAVE) {
            line("// Each agent has a socket for the connects below.");
            line("List<Integer> cs = (0..1).collect { a -> (int) sys.socket(a, sys.AF_INET, sys.SOCK_STREAM, 0).orThrow() }");
        }
        line("// Reads and writes never block, as in the fuzzer (MSG_DONTWAIT): poll first.");
        line("def readNow = { int fd, int n -> sys.ppoll(0, [PollFd.of(fd, 1)], 0).orThrow() > 0 ? sys.recv(0, fd, n) : null }");
        line("def writeNow = { int fd, int n -> sys.ppoll(0, [PollFd.of(fd, 4)], 0).orThrow() > 0 ? "
                + "sys.send(0, fd, ('abcdefghijklmnopqrstuvwxyz' * (n.intdiv(26) + 1)).take(n)) : null }");
        line("");
    }

    private void steps(Execution e) {
        List<FrameEvent> frames = e.frames();
        int next = 0;
        int step = 0;
        String settle = "advance(us(" + settings.settleMicros() + "))";
        for (Action a : e.input().actions()) {
            step++;
            String n = "// " + step + ". ";
            switch (a) {
                case Segment s -> {
                    for (int k = 0; k < s.repeat(); k++) { // a repeated segment is one injected frame each time
                        FrameEvent f = null;
                        while (next < frames.size()) {
                            FrameEvent c = frames.get(next++);
                            learn(c);
                            if (isInjected(c)) {
                                f = c;
                                break;
                            }
                        }
                        if (f == null) {
                            line(n + "the peer's " + s + " never reached the guest's NIC (skipped)");
                            break;
                        }
                        line(n + describe(s) + (s.repeat() == 1 ? "" : " (" + (k + 1) + " of " + s.repeat() + ")"));
                        line("inject " + tcp(f.getPacket()) + "; " + settle);
                    }
                }
                case AppRead r -> {
                    line(n + "the application reads up to " + r.n() + " bytes, if any are waiting");
                    line(app("readNow(c, " + r.n() + ")"));
                }
                case AppWrite w -> {
                    line(n + "the application writes " + w.n() + " bytes, if the send buffer has room");
                    line(app("writeNow(c, " + w.n() + ")"));
                }
                case AppClose c -> {
                    line(n + "the application closes its connection");
                    line(app("sys.close(0, c)"));
                }
                case AppShutdown s -> {
                    line(n + "the application shuts down " + s.how() + " (shutdown how=" + s.how().ordinal() + ")");
                    line(app("sys.shutdown(0, c, " + s.how().ordinal() + ")"));
                }
                case Tick t -> {
                    line(n + "a timer interrupt " + t.atInstructionOffset() + " instructions from now");
                    line((t.atInstructionOffset() == 0 ? "" : "run(" + t.atInstructionOffset() + "); ") + "tick(); "
                            + settle);
                }
                case Advance v -> {
                    line(n + "virtual time passes");
                    line("advance(us(" + v.micros() + "))");
                }
                case Connect c -> {
                    line(n + "agent " + (c.agent() % 2) + " connects to the peer's port " + profile.connectPort());
                    line("sys.connect(" + (c.agent() % 2) + ", cs[" + (c.agent() % 2) + "], '" + Lab.PEER_IP + "', "
                            + profile.connectPort() + "); " + settle);
                }
            }
        }
        line("");
        line("// The guest reacts; then a quiet window with no input at all.");
        line("def drained = advance(us(" + settings.drainMicros() + "))");
    }

    private String app(String call) {
        return target == StreamTarget.TCP_LISTEN ? "// (tcp-listen: no accepted connection, the fuzzer skipped it) "
                + call : call;
    }

    private void check(Finding f, List<FrameEvent> before, Execution e) {
        switch (f.oracle()) {
            case "hang" -> {
                line("long t0 = lab.now, i0 = lab.instructions");
                line("advance(us(" + settings.quietMicros() + "))");
                line("check lab.panic == null, 'no guest panic'");
                line("check (lab.instructions - i0) < 0.9 * (lab.now - t0), " + quote("the guest idles when nothing "
                        + "happens (" + f.title() + ")"));
            }
            case "liveness" -> {
                line("int out0 = lab.trace.frames.count { it.out }");
                line("advance(us(" + settings.quietMicros() + "))");
                line("check lab.panic == null, 'no guest panic'");
                line("check lab.trace.frames.count { it.out } - out0 <= 32, " + quote("the guest stops transmitting "
                        + "when nothing arrives (" + f.title() + ")"));
            }
            case "fault" -> {
                line("check drained.reason != 'fault', " + quote("no guest fault (" + f.title() + ")"));
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
        long rel = relative(t.ack().value(), peerIsn.get(peer));
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

    /** Follows the ISNs as the lab's builder learns them: the first SYN each way on a flow. */
    private void learn(FrameEvent f) {
        TcpSegment t = f.getPacket().tcp();
        if (t == null || !t.syn()) {
            return;
        }
        if (f.isOut()) {
            guestIsn.putIfAbsent(t.destinationPort(), t.seq().value());
        } else if (isInjected(f)) {
            peerIsn.putIfAbsent(t.sourcePort(), t.seq().value());
        }
    }

    private boolean isInjected(FrameEvent f) {
        if (f.isOut()) {
            return false;
        }
        TcpSegment t = f.getPacket().tcp();
        return t != null && t.destinationPort() == profile.listenPort() && t.sourcePort() >= 40000
                && t.sourcePort() < 40004;
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
        Long pIsn = peerIsn.get(sport);
        if (t.syn() && pIsn != null && pIsn == t.seq().value() && pIsn != PEER_ISN) {
            b.append(", isn: ").append(pIsn);
        }
        b.append(", seq: ").append(relative(t.seq().value(), pIsn));
        b.append(", ack: ").append(relative(t.ack().value(), guestIsn.get(sport)));
        b.append(", win: ").append(t.window());
        for (TcpOption o : t.options()) {
            switch (o) {
                case TcpOption.Mss m -> b.append(", mss: ").append(m.value());
                case TcpOption.WindowScale w -> b.append(", wscale: ").append(w.shift());
                case TcpOption.SackPermitted s -> b.append(", sackOK: true");
                case TcpOption.Timestamps ts -> b.append(", ts: [").append(ts.tsVal()).append(", ").append(ts.tsEcr())
                        .append("]");
                case TcpOption.Sack s -> {
                    Long g = guestIsn.get(sport);
                    b.append(", sack: [");
                    for (int i = 0; i < s.blocks().size(); i++) {
                        TcpOption.SackBlock k = s.blocks().get(i);
                        b.append(i == 0 ? "" : ", ").append('[').append(relative(k.left().value(), g)).append(", ")
                                .append(relative(k.right().value(), g)).append(']');
                    }
                    b.append(']');
                }
                default -> { }
            }
        }
        b.append(payload(t.payload().toArray()));
        return b.append(')').toString();
    }

    /** {@code abs} relative to {@code isn} (a signed 32-bit step), or absolute when the ISN is not known yet. */
    static long relative(long abs, Long isn) {
        return isn == null ? abs : (int) (abs - isn);
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
