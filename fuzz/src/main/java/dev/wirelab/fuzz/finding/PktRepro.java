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
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.input.Action;
import dev.wirelab.fuzz.input.Advance;
import dev.wirelab.fuzz.input.AppClose;
import dev.wirelab.fuzz.input.AppRead;
import dev.wirelab.fuzz.input.AppShutdown;
import dev.wirelab.fuzz.input.AppWrite;
import dev.wirelab.fuzz.input.Connect;
import dev.wirelab.fuzz.input.Segment;
import dev.wirelab.fuzz.input.Source;
import dev.wirelab.fuzz.input.StreamTarget;
import dev.wirelab.fuzz.input.Tick;
import dev.wirelab.fuzz.oracle.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a finding as a packetdrill script ({@code repro.pkt}) from the same minimized action list
 * {@link ReproScript} renders: the fuzzer's setup as syscalls (socket, bind to the profile's listen
 * port, listen; for the established target the snapshot's handshake spelled out, with the guest's
 * SYN-ACK expected, and the accept), then one line per action — {@code <} segments with sequence and
 * ack numbers relative to each side's ISN (taken from the frames the execution injected), their
 * window and options; the application's calls ({@code recv}/{@code send} with {@code MSG_DONTWAIT},
 * {@code close}, {@code shutdown}); {@code +N} times from the virtual clock (the fuzzer's settle
 * time after each segment, its advances, its drain) — and a last harmless call at the end of the
 * drain so the script lasts as long as the execution did.
 *
 * <p>packetdrill can only say that the guest must not panic by failing: the lab's runner fails a
 * script at the line where the guest panicked, so the script fails (exit 1) while the bug is there
 * and passes once it is fixed. What packetdrill cannot say (a tick at an instruction offset, a
 * segment from another source address, calls left in flight on two agents, the hang, liveness
 * and monitor oracles' conditions) gives no script but the one-line reason ({@link Unsayable}).
 * Syscall results are {@code ...} (the lab's runner accepts any; the execution does not record
 * them), and inbound payloads are zeros of the segment's length (packetdrill sends no content).
 */
public final class PktRepro {
    /** The script's fd for the listening socket and for the accepted connection. */
    private static final int LISTEN_FD = 3;
    private static final int CONN_FD = 4;
    /** packetdrill's default ports: the remote (peer) port the lab's runner uses and the bind port. */
    private static final int PEER_PORT = 40000;
    private static final int PKT_BIND_PORT = 8080;

    /** What the writer gives: the script, or why the finding has none. */
    public sealed interface Outcome permits Script, Unsayable { }

    /** The {@code repro.pkt} text. */
    public record Script(String text) implements Outcome { }

    /** No script: {@code reason} is one line naming the action or condition packetdrill cannot express. */
    public record Unsayable(String reason) implements Outcome { }

    /** Thrown inside the writer for the first thing that cannot be said; turned into {@link Unsayable}. */
    private static final class CannotSay extends RuntimeException {
        CannotSay(String reason) {
            super(reason, null, false, false);
        }
    }

    private final GuestProfile profile;
    private final StreamTarget target;
    private final ExecSettings settings;
    private final int appMax;
    private final ReproFlows flows = new ReproFlows();
    private final StringBuilder out = new StringBuilder();
    /** Virtual time (µs) still to pass before the next event: its {@code +N}. */
    private long delay;
    /** No event written yet: the next one is at time 0. */
    private boolean first = true;

    private PktRepro(FuzzLab lab) {
        this.profile = lab.profile();
        this.target = lab.target();
        this.settings = lab.settings();
        this.appMax = lab.appMax();
    }

    /**
     * The script for {@code finding}, or why there is none.
     *
     * @param before frames on the wire before the execution started (the target's setup)
     * @param e      the minimized execution
     */
    public static Outcome render(FuzzLab lab, Finding finding, List<FrameEvent> before, Execution e) {
        PktRepro r = new PktRepro(lab);
        try {
            r.refuseWhatCannotBeSaid(finding, e);
            r.header(finding);
            r.setup(before);
            r.steps(e);
            return new Script(r.out.toString());
        } catch (CannotSay c) {
            return new Unsayable(c.getMessage());
        }
    }

    private void refuseWhatCannotBeSaid(Finding f, Execution e) {
        switch (f.oracle()) {
            case "hang" -> throw new CannotSay("the hang oracle's condition (the guest busy past the fuzzer's instruction "
                    + "budget) has no .pkt form");
            case "liveness" -> throw new CannotSay("the liveness oracle's condition (the guest transmitting while nothing "
                    + "arrives) has no .pkt form");
            case "monitor" -> throw new CannotSay("the TCP monitor's condition (a guest segment that must not appear) has "
                    + "no .pkt form");
            case "fault" -> throw new CannotSay("a guest fault (not a panic line) is not a .pkt failure");
            default -> { } // panic: the runner fails at the line where the guest panicked
        }
        if (target == StreamTarget.TCP_INTERLEAVE) {
            throw new CannotSay("the " + target.id() + " target's calls are left in flight on two agents; a .pkt runs "
                    + "one call at a time");
        }
        int step = 0;
        for (Action a : e.input().actions()) {
            step++;
            String where = "action " + step + " (" + a + "): ";
            switch (a) {
                case Tick t -> throw new CannotSay(where + "a timer interrupt" + (t.atInstructionOffset() == 0 ? ""
                        : " " + t.atInstructionOffset() + " instructions from now") + " has no .pkt form");
                case Connect c -> throw new CannotSay(where + "a connect left in flight has no .pkt form");
                case Segment s when s.source() != Source.PEER -> throw new CannotSay(where + "a segment from "
                        + (s.source() == Source.UNSPECIFIED ? "0.0.0.0" : "another host")
                        + " (a .pkt's packets come from its one remote address)");
                case AppRead r when target == StreamTarget.TCP_LISTEN -> throw listenApp(where);
                case AppWrite w when target == StreamTarget.TCP_LISTEN -> throw listenApp(where);
                case AppClose c when target == StreamTarget.TCP_LISTEN -> throw listenApp(where);
                case AppShutdown s when target == StreamTarget.TCP_LISTEN -> throw listenApp(where);
                default -> { }
            }
        }
    }

    private CannotSay listenApp(String where) {
        return new CannotSay(where + "an application call on a connection the " + target.id() + " target accepts "
                + "only if a handshake completes (the accept stays in flight) has no .pkt form");
    }

    private void header(Finding f) {
        line("// " + ReproScript.oneLine(f.title()));
        line("//");
        line("// Found by `wirelab fuzz --target " + target.id() + "` on " + profile.name() + " (oracle: " + f.oracle()
                + "), written from the");
        line("// finding's minimized actions as a packetdrill script. It fails (exit 1) at the line where the guest");
        line("// panics while the bug is there, and passes (exit 0) once it is fixed:");
        line("//   ./wirelab run repro.pkt " + guestArgument(profile) + "   # the guest it was found on");
        line("//   ./wirelab run repro.pkt                  # the default guest");
        line("// Syscall results are `...` (any result; the fuzzer does not record them); inbound payloads are zeros.");
        if (profile.listenPort() != PKT_BIND_PORT) {
            line("--bind_port=" + profile.listenPort());
        }
        line("");
    }

    /** How {@code wirelab run repro.pkt GUEST} names the finding's guest. */
    public static String guestArgument(GuestProfile profile) {
        String n = profile.name();
        return n.equals("default") || n.startsWith("zoo:") ? n : profile.image();
    }

    /** FuzzLab.prepare as packetdrill says it; the handshake's segments are the ones the fuzzer's setup injected. */
    private void setup(List<FrameEvent> before) {
        line("// The fuzzer's setup: the application listens on port " + profile.listenPort() + ".");
        event("socket(..., SOCK_STREAM, IPPROTO_TCP) = " + LISTEN_FD);
        event("bind(" + LISTEN_FD + ", ..., ...) = 0");
        event("listen(" + LISTEN_FD + ", 4) = 0");
        delay = 20_000;
        if (target == StreamTarget.TCP_LISTEN) {
            before.forEach(flows::learn);
            line("// (The fuzzer also leaves an accept in flight here; a .pkt accept would have to return.)");
            line("");
            return;
        }
        List<FrameEvent> handshake = flows.handshake(before, target.id());
        line("// The peer connects (its SYN as the fuzzer's snapshot has it) and the application accepts.");
        event("< " + segment(handshake.get(0).getPacket()));
        event("> S. 0:0(0) ack 1 <...>");
        delay = 5_000;
        event("< " + segment(handshake.get(1).getPacket()));
        event("accept(" + LISTEN_FD + ", ..., ...) = " + CONN_FD);
        delay = 20_000;
        line("");
    }

    private void steps(Execution e) {
        List<FrameEvent> frames = e.frames();
        java.util.Iterator<FrameEvent> next = frames.iterator();
        int step = 0;
        long advanced = 0;
        line("// The actions (application calls never block: MSG_DONTWAIT, as the fuzzer makes them).");
        for (Action a : e.input().actions()) {
            step++;
            String n = "// " + step + ". ";
            switch (a) {
                case Segment s -> {
                    for (int k = 0; k < s.repeat(); k++) { // a repeated segment is one injected frame each time
                        FrameEvent f = flows.nextInjected(next, this::guestSaid);
                        if (f == null) {
                            line(n + "the peer's " + s + " was not sent: the guest had ended (skipped)");
                            break;
                        }
                        if (k == 0) {
                            line(n + "the peer's segment" + (s.repeat() == 1 ? "" : ", " + s.repeat() + " times back to back")
                                    + (s.payload().length() == 0 || zeros(f.getPacket()) ? "" : " (its payload was "
                                    + s.payload() + ")"));
                        }
                        event("< " + segment(f.getPacket()));
                        delay = settings.settleMicros();
                    }
                }
                case AppRead r -> {
                    line(n + "the application reads up to " + r.n() + " bytes" + cut(r.n()));
                    event("recv(" + CONN_FD + ", ..., " + Math.min(r.n(), appMax) + ", MSG_DONTWAIT) = ...");
                }
                case AppWrite w -> {
                    line(n + "the application writes " + w.n() + " bytes" + cut(w.n()));
                    event("send(" + CONN_FD + ", ..., " + Math.min(w.n(), appMax) + ", MSG_DONTWAIT) = ...");
                }
                case AppClose c -> {
                    line(n + "the application closes its connection");
                    event("close(" + CONN_FD + ") = ...");
                }
                case AppShutdown s -> {
                    line(n + "the application shuts down " + s.how());
                    event("shutdown(" + CONN_FD + ", SHUT_" + s.how() + ") = ...");
                }
                case Advance v -> {
                    long us = Math.min(v.micros(), settings.maxAdvanceMicros() - advanced);
                    advanced += Math.max(0, us);
                    line(n + "virtual time passes: " + us + " µs" + (us == v.micros() ? "" : " (" + v.micros()
                            + " µs asked; the fuzzer caps all advances at " + settings.maxAdvanceMicros() + " µs)"));
                    delay += Math.max(0, us);
                }
                case Tick t -> throw new IllegalStateException("refused before: " + t);
                case Connect c -> throw new IllegalStateException("refused before: " + c);
            }
        }
        next.forEachRemaining(f -> {
            flows.learn(f);
            guestSaid(f);
        });
        line("");
        line("// The guest reacts for the fuzzer's drain time; a harmless call ends the script there.");
        delay += settings.drainMicros();
        event("getsockopt(" + LISTEN_FD + ", SOL_SOCKET, SO_ERROR, [0], [4]) = 0");
    }

    /**
     * A segment the guest sent the peer in the finding's run, as a comment in {@code >} form: what a
     * reader may turn into an expectation (not one here: on another guest, or once fixed, it may differ).
     */
    private void guestSaid(FrameEvent f) {
        TcpSegment t = f.getPacket().tcp();
        if (!f.isOut() || t == null || !f.getPacket().ip().destination().equals(Lab.PEER_IP)) {
            return;
        }
        long seq = ReproFlows.relative(t.seq().value(), flows.guest(t.destinationPort()));
        int len = t.payload().length();
        line("//   the guest sent: > " + (t.destinationPort() == PEER_PORT ? "" : t.sourcePort() + ">" + t.destinationPort()
                + " ") + flags(t.flags()) + " " + seq + ":" + (seq + len) + "(" + len + ")" + (t.isAck() ? " ack "
                + ReproFlows.relative(t.ack().value(), flows.peer(t.destinationPort())) : "") + " win " + t.window());
    }

    private String cut(int n) {
        return n > appMax ? " (cut to the agent's " + appMax + "-byte buffer, as the fuzzer does)" : "";
    }

    /** One timed line: the first at 0, the rest {@code +N} seconds after the previous one. */
    private void event(String what) {
        String time = first ? "0" : "+" + seconds(delay);
        first = false;
        line(String.format(Locale.ROOT, "%9s %s", time, what));
        delay = 0;
    }

    /** Microseconds as packetdrill seconds: 0.0002, 0.02, 1.5. */
    static String seconds(long micros) {
        return java.math.BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }

    private static boolean zeros(Packet p) {
        for (byte b : p.tcp().payload().toArray()) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** An injected segment as packetdrill writes it (after the {@code <}). */
    private String segment(Packet p) {
        if (!p.ip().source().equals(Lab.PEER_IP)) {
            throw new CannotSay("a segment from " + p.ip().source() + " (a .pkt's packets come from its one remote address)");
        }
        TcpSegment t = p.tcp();
        int sport = t.sourcePort();
        StringBuilder b = new StringBuilder();
        if (sport != PEER_PORT || t.destinationPort() != profile.listenPort()) {
            b.append(sport).append('>').append(t.destinationPort()).append(' ');
        }
        b.append(flags(t.flags())).append(' ');
        long seq = ReproFlows.relative(t.seq().value(), flows.peer(sport));
        int len = t.payload().length();
        b.append(seq).append(':').append(seq + len).append('(').append(len).append(')');
        Long guestIsn = flows.guest(sport);
        if (t.isAck() || t.ack().value() != 0) { // without ACK a zero field is what the runner sends anyway
            b.append(" ack ").append(ReproFlows.relative(t.ack().value(), guestIsn));
        }
        b.append(" win ").append(t.window());
        List<String> opts = new ArrayList<>();
        for (TcpOption o : t.options()) {
            opts.add(switch (o) {
                case TcpOption.Mss m -> "mss " + m.value();
                case TcpOption.WindowScale w -> "wscale " + w.shift();
                case TcpOption.SackPermitted s -> "sackOK";
                case TcpOption.Timestamps ts -> "TS val " + ts.tsVal() + " ecr " + ts.tsEcr();
                case TcpOption.Sack s -> sack(s, flows.guest(sport));
                case TcpOption.Nop nop -> "nop";
                case TcpOption.EndOfList eol -> "eol";
                default -> throw new CannotSay("the TCP option " + o + " has no .pkt form");
            });
        }
        if (!opts.isEmpty()) {
            b.append(" <").append(String.join(",", opts)).append('>');
        }
        return b.toString();
    }

    private static String sack(TcpOption.Sack s, Long guestIsn) {
        StringBuilder b = new StringBuilder("sack");
        for (TcpOption.SackBlock k : s.blocks()) {
            b.append(' ').append(ReproFlows.relative(k.left().value(), guestIsn)).append(':')
                    .append(ReproFlows.relative(k.right().value(), guestIsn));
        }
        return b.toString();
    }

    /** packetdrill's flag letters, the ACK dot last ({@code S.}, {@code P.}, {@code F.}, {@code -} for none). */
    static String flags(int f) {
        int said = TcpFlags.FIN | TcpFlags.SYN | TcpFlags.RST | TcpFlags.PSH | TcpFlags.URG | TcpFlags.ECE
                | TcpFlags.CWR | TcpFlags.ACK;
        if ((f & ~said) != 0) {
            throw new CannotSay("the TCP flags " + TcpFlags.format(f) + " (packetdrill has no AE or reserved bits)");
        }
        StringBuilder b = new StringBuilder();
        String letters = "FSRPUEW";
        int[] bits = {TcpFlags.FIN, TcpFlags.SYN, TcpFlags.RST, TcpFlags.PSH, TcpFlags.URG, TcpFlags.ECE, TcpFlags.CWR};
        for (int i = 0; i < bits.length; i++) {
            if ((f & bits[i]) != 0) {
                b.append(letters.charAt(i));
            }
        }
        if ((f & TcpFlags.ACK) != 0) {
            b.append('.');
        }
        return b.isEmpty() ? "-" : b.toString();
    }

    private void line(String s) {
        out.append(s).append('\n');
    }
}
