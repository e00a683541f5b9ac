package dev.wirelab.fuzz.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.emulator.capture.Direction;
import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.MacAddress;
import dev.wirelab.emulator.wire.TcpOption;
import dev.wirelab.emulator.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-built segment sequences: one per invariant, and legal traffic that must not flag. */
class TcpMonitorTest {
    static final long GUEST_ISN = 6510;
    static final long PEER_ISN = 1000;

    /** A conversation between the guest (10.0.2.15:5000) and the peer (10.0.2.100:40000). */
    static final class Wire {
        final TcpMonitor monitor = new TcpMonitor();
        final List<Violation> seen = new ArrayList<>();
        int index;

        Wire guest(String flags, long seq, long ack, int win, int len, TcpOption... opts) {
            return send(true, flags, seq, ack, win, len, opts);
        }

        Wire peer(String flags, long seq, long ack, int win, int len, TcpOption... opts) {
            return send(false, flags, seq, ack, win, len, opts);
        }

        private Wire send(boolean fromGuest, String flags, long seq, long ack, int win, int len, TcpOption... opts) {
            String g = "10.0.2.15";
            String p = "10.0.2.100";
            TcpSegment.Builder t = TcpSegment.builder().ports(fromGuest ? 5000 : 40000, fromGuest ? 40000 : 5000)
                    .flags(flags).seq(seq).ack(ack).window(win).options(opts).payload(new byte[len]);
            byte[] frame = EthernetFrame.builder().source(MacAddress.parse("52:54:00:12:34:56"))
                    .destination(MacAddress.parse("52:54:00:12:34:57"))
                    .payload(Ipv4Packet.builder().source(fromGuest ? g : p).destination(fromGuest ? p : g).payload(t))
                    .encode();
            seen.addAll(monitor.observe(index, 1000L * index, fromGuest ? Direction.OUTBOUND : Direction.INBOUND,
                    frame));
            index++;
            return this;
        }

        /** The handshake, peer-initiated; the guest advertises {@code guestWin}. */
        Wire handshake(int guestWin) {
            peer("S", PEER_ISN, 0, 65535, 0);
            guest("S.", GUEST_ISN, PEER_ISN + 1, guestWin, 0);
            peer(".", PEER_ISN + 1, GUEST_ISN + 1, 65535, 0);
            return this;
        }

        Violation only() {
            assertEquals(1, seen.size(), () -> "exactly one violation expected: " + seen);
            return seen.get(0);
        }
    }

    @Test
    void legalExchangeDoesNotFlag() {
        Wire w = new Wire().handshake(2048);
        long p = PEER_ISN + 1;
        long g = GUEST_ISN + 1;
        w.peer("P.", p, g, 65535, 1000).guest(".", g, p + 1000, 1048, 0);   // window shrinks by what it holds
        w.guest(".", g, p + 1000, 2048, 0);                                  // the app read: window update
        w.guest("P.", g, p + 1000, 2048, 300).peer(".", p + 1000, g + 300, 65535, 0);
        w.guest("P.", g, p + 1000, 2048, 300);                               // a retransmission is not backwards
        w.peer("P.", p + 1000, g + 300, 65535, 2048).guest(".", g + 300, p + 3048, 0, 0); // fills it exactly
        w.peer("F.", p + 3048, g + 300, 65535, 0).guest(".", g + 300, p + 3049, 0, 0);    // FIN: edge + 1 is legal?
        assertTrue(w.seen.stream().noneMatch(v -> v.invariant() != Invariant.DATA_OUTSIDE_WINDOW),
                () -> "unexpected: " + w.seen);
        w.guest("F.", g + 300, p + 3049, 0, 0).peer(".", p + 3049, g + 301, 65535, 0);
        w.guest("F.", g + 300, p + 3049, 0, 0); // a retransmitted FIN is still legal
        assertEquals(1, w.seen.size(), () -> "only the FIN past a zero window: " + w.seen);
    }

    @Test
    void windowScaleAppliesAfterTheHandshakeOnly() {
        Wire w = new Wire();
        w.peer("S", PEER_ISN, 0, 65535, 0, new TcpOption.WindowScale(2));
        w.guest("S.", GUEST_ISN, PEER_ISN + 1, 8000, 0, new TcpOption.WindowScale(3)); // edge +8000, unscaled
        w.peer(".", PEER_ISN + 1, GUEST_ISN + 1, 65535, 0);
        w.guest(".", GUEST_ISN + 1, PEER_ISN + 1, 1000, 0);                             // edge +8000: 1000<<3
        w.peer("P.", PEER_ISN + 1, GUEST_ISN + 1, 65535, 8000).guest(".", GUEST_ISN + 1, PEER_ISN + 8001, 0, 0);
        assertEquals(List.of(), w.seen);
        w.guest(".", GUEST_ISN + 1, PEER_ISN + 1, 999, 0);
        assertEquals(Invariant.SEQUENCE_BACKWARDS, w.seen.get(0).invariant());
    }

    @Test
    void ackOfDataNeverSent() {
        Wire w = new Wire().handshake(4096);
        w.guest(".", GUEST_ISN + 1, PEER_ISN + 1 + 500, 4096, 0);
        Violation v = w.only();
        assertEquals(Invariant.ACK_OF_UNSENT, v.invariant());
        assertTrue(v.byGuest());
        assertEquals(3, v.frameIndex());
        assertEquals(3000, v.ticks());
        assertTrue(v.evidence().contains("500 past"), v.evidence());
        assertEquals("10.0.2.15:5000", v.sender().toString());
    }

    @Test
    void peerAckOfUnsentDataIsAttributedToThePeer() {
        Wire w = new Wire().handshake(4096);
        w.peer(".", PEER_ISN + 1, GUEST_ISN + 1 + 7, 65535, 0);
        Violation v = w.only();
        assertEquals(Invariant.ACK_OF_UNSENT, v.invariant());
        assertEquals(Direction.INBOUND, v.direction());
    }

    @Test
    void shrinkingTheWindow() {
        Wire w = new Wire().handshake(4096);
        w.guest(".", GUEST_ISN + 1, PEER_ISN + 1, 1000, 0);
        Violation v = w.only();
        assertEquals(Invariant.WINDOW_SHRUNK, v.invariant());
        assertTrue(v.evidence().contains("3096 before"), v.evidence());
    }

    @Test
    void dataAcceptedPastTheAdvertisedEdge() {
        // The #1048 trigger: fill the window, the app reads part without a window update, one byte past the edge.
        Wire w = new Wire().handshake(1000);
        long p = PEER_ISN + 1;
        w.peer("P.", p, GUEST_ISN + 1, 65535, 1000).guest(".", GUEST_ISN + 1, p + 1000, 0, 0);
        w.peer("P.", p + 1000, GUEST_ISN + 1, 65535, 1).guest(".", GUEST_ISN + 1, p + 1001, 0, 0);
        Violation v = w.only();
        assertEquals(Invariant.DATA_OUTSIDE_WINDOW, v.invariant());
        assertEquals(6, v.frameIndex());
        assertTrue(v.evidence().contains("1 past the right edge"), v.evidence());
    }

    @Test
    void dataAfterFin() {
        Wire w = new Wire().handshake(4096);
        long g = GUEST_ISN + 1;
        w.guest("F.", g, PEER_ISN + 1, 4096, 0);
        w.guest("P.", g + 1, PEER_ISN + 1, 4096, 10);
        Violation v = w.only();
        assertEquals(Invariant.DATA_AFTER_FIN, v.invariant());
        assertTrue(v.evidence().contains("FIN was at " + g), v.evidence());
    }

    @Test
    void secondFinFurtherOn() {
        Wire w = new Wire().handshake(4096);
        long g = GUEST_ISN + 1;
        w.guest("F.", g, PEER_ISN + 1, 4096, 0).guest("F.", g + 1, PEER_ISN + 1, 4096, 0);
        assertEquals(Invariant.DATA_AFTER_FIN, w.only().invariant());
    }

    @Test
    void ackGoingBackwards() {
        Wire w = new Wire().handshake(4096);
        long p = PEER_ISN + 1;
        w.peer("P.", p, GUEST_ISN + 1, 65535, 100).guest(".", GUEST_ISN + 1, p + 100, 3996, 0);
        w.guest(".", GUEST_ISN + 1, p + 50, 4046, 0);
        Violation v = w.only();
        assertEquals(Invariant.SEQUENCE_BACKWARDS, v.invariant());
        assertTrue(v.evidence().contains("50 back"), v.evidence());
    }

    @Test
    void rstEndsTheConnectionAndANewIsnStartsAFreshOne() {
        Wire w = new Wire().handshake(4096);
        w.peer("R", PEER_ISN + 1, 0, 0, 0);
        w.peer("S", 90000, 0, 65535, 0).guest("S.", 777, 90001, 100, 0).peer(".", 90001, 778, 65535, 0);
        w.guest(".", 778, 90001, 100, 0);
        assertEquals(List.of(), w.seen);
    }

    @Test
    void midStreamCaptureNeverGuessesTheWindowScale() {
        Wire w = new Wire();
        w.guest(".", GUEST_ISN + 1, PEER_ISN + 1, 4096, 0).guest(".", GUEST_ISN + 1, PEER_ISN + 1, 10, 0);
        w.guest(".", GUEST_ISN + 1, PEER_ISN + 2000, 10, 0); // peer's SYN unseen: no ack-of-unsent, no window verdicts
        assertEquals(List.of(), w.seen);
    }

    @Test
    void badChecksumAndNonTcpFramesAreIgnored() {
        TcpMonitor m = new TcpMonitor();
        assertEquals(List.of(), m.observe(0, 0, Direction.INBOUND, new byte[] {1, 2, 3}));
        byte[] frame = EthernetFrame.builder().source(MacAddress.parse("52:54:00:12:34:56"))
                .destination(MacAddress.parse("52:54:00:12:34:57")).payload(Ipv4Packet.builder().source("10.0.2.15")
                        .destination("10.0.2.100").payload(TcpSegment.builder().ports(1, 2).flags("F.").checksum(1)))
                .encode();
        m.observe(1, 0, Direction.OUTBOUND, frame);
        assertEquals(List.of(), m.violations());
    }

    @Test
    void invariantNamesParse() {
        for (Invariant i : Invariant.values()) {
            assertEquals(i, Invariant.parse(i.id()));
        }
        assertEquals(Invariant.WINDOW_SHRUNK, Invariant.parse("WINDOW_SHRUNK"));
    }
}
