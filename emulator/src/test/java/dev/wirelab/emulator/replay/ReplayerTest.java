package dev.wirelab.emulator.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.capture.Direction;
import dev.wirelab.emulator.net.VirtualWire;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.TcpFlags;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replays of hand-built captures against the live default guest. */
class ReplayerTest {
    static final long BUDGET = 2_000_000_000L;

    static ReplayReport replay(byte[] capture, ReplayOptions options) throws ReplayInputException {
        Replayer r = Replayer.of("test.pcapng", capture, options);
        try (Board board = GuestBoards.ready()) {
            return r.run(VirtualWire.attach(board), BUDGET);
        }
    }

    static ReplayOptions maps(String... maps) throws ReplayInputException {
        return ReplayOptions.defaults().withMaps(ReplayOptions.parseMappings(List.of(maps)));
    }

    /** A client talks to an echo server on 8080; the guest plays the server on port 7 and echoes the same bytes. */
    @Test
    void echoExchangeReplaysConsistently() throws Exception {
        Conversation c = new Conversation("192.168.1.9", 40000, "192.168.1.5", 8080).handshake()
                .client("P.", "hello wirelab\n").server("P.", "hello wirelab\n").client(".", "")
                .client("F.", "").server("F.", "").client(".", "");
        ReplayReport report = replay(c.pcapng(), maps("8080=7"));
        System.out.println(report.text());
        assertEquals(ReplayReport.Outcome.CONSISTENT, report.outcome(), report.text());
        ReplayReport.FlowReport f = report.flows().get(0);
        assertNull(f.divergence());
        assertEquals(6, f.sent(), report.text()); // S . P. . F. .
        assertEquals(3, f.accepted(), report.text()); // SYN, data, FIN
        assertEquals(0, f.retransmitted());
        assertTrue(f.guestSeen() >= 3, report.text());
        assertEquals(3, f.guestRecorded());
    }

    /** The replayer is a station on the wire: its frames pass the taps (captures) and the loss model. */
    @Test
    void replayGoesThroughTheWire() throws Exception {
        Conversation c = new Conversation("192.168.1.9", 40000, "192.168.1.5", 8080).handshake()
                .client("P.", "hello wirelab\n").server("P.", "hello wirelab\n").client(".", "")
                .client("F.", "").server("F.", "").client(".", "");
        Replayer r = Replayer.of("test.pcapng", c.pcapng(), maps("8080=7"));
        try (Board board = GuestBoards.ready()) {
            VirtualWire wire = VirtualWire.attach(board);
            List<String> seen = new ArrayList<>();
            wire.addTap((nanos, d, f) -> {
                Packet p = Packet.parse(f);
                if (p.tcp() != null) {
                    seen.add((d == Direction.INBOUND ? "to guest " : "from guest ") + TcpFlags.format(p.tcp().flags()));
                } else if (p.arp() != null) {
                    seen.add((d == Direction.INBOUND ? "to guest " : "from guest ") + "arp");
                }
            });
            ReplayReport report = r.run(wire, BUDGET);
            assertEquals(ReplayReport.Outcome.CONSISTENT, report.outcome(), report.text());
            assertEquals(6, seen.stream().filter(s -> s.startsWith("to guest") && !s.endsWith("arp")).count(), seen::toString);
            assertTrue(seen.contains("from guest S."), seen::toString);
            assertTrue(seen.contains("to guest arp"), "the wire's ARP table answered for the replayed peer: " + seen);
        }
        try (Board board = GuestBoards.ready()) {
            VirtualWire wire = VirtualWire.attach(board);
            boolean[] dropped = {false};
            wire.lossModel((d, f) -> {
                Packet p = Packet.parse(f);
                boolean hit = !dropped[0] && d == Direction.INBOUND && p.tcp() != null && new String(
                        p.tcp().payload().toArray(), StandardCharsets.US_ASCII).equals("hello wirelab\n");
                dropped[0] |= hit;
                return hit;
            });
            r.run(wire, BUDGET);
            assertEquals(1, wire.lost(), "the loss model saw the replayed data segment");
        }
    }

    @Test
    void budgetRunsOutMidReplay() throws Exception {
        Conversation c = new Conversation("192.168.1.9", 40002, "192.168.1.5", 7).handshake()
                .client("P.", "x").server("P.", "x").client("F.", "").server("F.", "").client(".", "");
        Replayer r = Replayer.of("b.pcapng", c.pcapng(), ReplayOptions.defaults());
        try (Board board = GuestBoards.ready()) {
            ReplayReport report = r.run(VirtualWire.attach(board), 20_000);
            assertEquals(ReplayReport.Outcome.BUDGET_EXHAUSTED, report.outcome(), report.text());
            assertEquals(124, report.exitCode());
            assertTrue(report.text().contains("unfinished: instruction budget of 20000 exhausted during flow 1 of 1"),
                    report.text());
        }
    }

    @Test
    void flowsWithoutHandshakeAreLeftOutWithAWarning() throws Exception {
        Conversation c = new Conversation("192.168.1.9", 40003, "192.168.1.5", 7)
                .client("P.", "mid-stream").server(".", "");
        ReplayInputException e = org.junit.jupiter.api.Assertions.assertThrows(ReplayInputException.class,
                () -> Replayer.of("mid.pcapng", c.pcapng(), ReplayOptions.defaults()));
        assertTrue(e.getMessage().startsWith("mid.pcapng: every TCP flow"), e.getMessage());
        Conversation full = new Conversation("192.168.1.9", 40004, "192.168.1.5", 7).handshake();
        // two pcapng sections in one file: the mid-stream flow, then a full one
        byte[] a = c.pcapng();
        byte[] b = full.pcapng();
        byte[] merged = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, merged, a.length, b.length);
        Replayer r = Replayer.of("two.pcapng", merged, ReplayOptions.defaults());
        assertEquals(1, r.flows().size());
        assertEquals(40004, r.flows().get(0).peerPort());
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).contains("(frame 1) has no SYN in the capture: not replayed"), r.warnings().get(0));
    }

    /** The recorded HTTP server answered something the guest's HTTP service does not. */
    @Test
    void differentHttpReplyIsADivergenceAtItsFrame() throws Exception {
        Conversation c = new Conversation("192.168.1.9", 40001, "192.168.1.5", 80).handshake()
                .client("P.", "GET / HTTP/1.0\r\n\r\n")   // frame 4
                .server("P.", "HTTP/1.0 418 I'm a teapot\r\n\r\n") // frame 5
                .client(".", "").server("F.", "").client("F.", "").server(".", "");
        ReplayReport report = replay(c.pcapng(), ReplayOptions.defaults());
        System.out.println(report.text());
        assertEquals(ReplayReport.Outcome.DIVERGED, report.outcome(), report.text());
        assertEquals(1, report.exitCode());
        ReplayReport.Divergence d = report.firstDivergence();
        assertNotNull(d);
        assertEquals(5, d.frame(), report.text());
        assertTrue(d.describe().startsWith("recorded data \"418 I'm a teapot"), d.describe()); // "HTTP/1.0 " is common
        assertTrue(d.actual().startsWith("sent \"200 OK"), d.describe());
    }
}
