package dev.wirelab.emulator.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.MacAddress;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.SeqNumber;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpSegment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TCP replay engine without a board: the test plays the guest's stack by hand
 * (its SYN-ACK, ACKs, windows, data) and watches what the replayed peer sends and
 * when, in virtual ticks.
 */
class TcpReplayTest {
    static final long S = FlowReplay.SECOND;
    static final long GUEST_ISN = 777;
    /** Conversation's client ISN, kept by the replayed peer. */
    static final long PEER_ISN = 1_000_000;

    final List<byte[]> wire = new ArrayList<>();

    TcpReplay engine(Conversation c, ReplayOptions.Pacing pacing) throws ReplayInputException {
        ReplayOptions o = ReplayOptions.defaults().withPacing(pacing)
                .withMaps(ReplayOptions.parseMappings(List.of("8080=7")));
        RecordedFlow flow = Replayer.of("t.pcapng", c.pcapng(), o).flows().get(0);
        return (TcpReplay) FlowReplay.of(flow, o, wire::add);
    }

    static Conversation echo() {
        return new Conversation("192.168.1.9", 40000, "192.168.1.5", 8080).handshake()
                .client("P.", "hello wirelab\n").server("P.", "hello wirelab\n").client(".", "")
                .client("F.", "").server("F.", "").client(".", "");
    }

    /** A segment from the live guest (10.0.2.15:7) to the peer (10.0.2.2:40000); seq/ack relative to the ISNs. */
    static Packet guest(String flags, long relSeq, long relAck, int window, String data) {
        TcpSegment.Builder b = TcpSegment.builder().ports(7, 40000).seq(SeqNumber.of(GUEST_ISN + relSeq))
                .flags(TcpFlags.parse(flags)).window(window).payload(data.getBytes(StandardCharsets.US_ASCII));
        if (flags.contains(".")) {
            b.ack(SeqNumber.of(PEER_ISN + relAck));
        }
        return Packet.parse(EthernetFrame.builder().source(MacAddress.parse("52:54:00:12:34:56"))
                .destination(MacAddress.parse("52:55:0a:00:02:02"))
                .payload(Ipv4Packet.builder().source(Ipv4Address.parse("10.0.2.15")).destination(Ipv4Address.parse("10.0.2.2"))
                        .payload(b)).encode());
    }

    TcpSegment sent(int i) {
        Packet p = Packet.parse(wire.get(i));
        assertTrue(p.isWellFormed(), "checksums recomputed: " + p.malformations());
        assertEquals(Ipv4Address.parse("10.0.2.2"), p.ipv4().source());
        assertEquals(Ipv4Address.parse("10.0.2.15"), p.ipv4().destination());
        assertEquals(MacAddress.parse("52:54:00:12:34:56"), p.ethernet().destination());
        return p.tcp();
    }

    @Test
    void acksAreRebasedOntoTheGuestsLiveIsn() throws Exception {
        TcpReplay t = engine(echo(), ReplayOptions.Pacing.AS_FAST);
        t.pump(0);
        assertEquals(1, wire.size(), "only the SYN before the guest answers");
        TcpSegment syn = sent(0);
        assertEquals("S", TcpFlags.format(syn.flags()));
        assertEquals(7, syn.destinationPort());
        assertEquals(PEER_ISN, syn.seq().value());
        t.onGuest(guest("S.", 0, 1, 8000, ""), 100);
        t.pump(100);
        TcpSegment ack = sent(1);
        assertEquals(GUEST_ISN + 1, ack.ack().value(), "recorded ack 3000000001 rebased onto ISN 777");
        TcpSegment data = sent(2);
        assertEquals("hello wirelab\n", new String(data.payload().toArray(), StandardCharsets.US_ASCII));
        assertEquals(3, wire.size(), "the next ACK waits for the guest's echo");
        t.onGuest(guest(".", 1, 15, 8000, ""), 200);
        t.onGuest(guest("P.", 1, 15, 8000, "hello wirelab\n"), 210);
        t.pump(210);
        assertEquals(GUEST_ISN + 15, sent(3).ack().value());
        assertEquals("F.", TcpFlags.format(sent(4).flags()));
        t.onGuest(guest("F.", 15, 16, 8000, ""), 300);
        t.pump(300);
        assertEquals(GUEST_ISN + 16, sent(5).ack().value());
        assertEquals(Long.MAX_VALUE > 300 + FlowReplay.DRAIN ? 300 + FlowReplay.DRAIN : 0, t.pump(300));
        t.pump(300 + FlowReplay.DRAIN);
        assertTrue(t.done);
        assertNull(t.divergence);
        assertEquals(3, t.accepted);
        assertEquals(6, t.sent);
    }

    @Test
    void unackedDataIsRetransmittedWithBackoffThenADivergence() throws Exception {
        TcpReplay t = engine(echo(), ReplayOptions.Pacing.AS_FAST);
        t.pump(0);
        t.onGuest(guest("S.", 0, 1, 8000, ""), 10);
        long wake = t.pump(10);
        assertEquals(3, wire.size());
        assertEquals(10 + TcpReplay.RTO_INITIAL, wake, "RTO deadline of the data segment");
        long rto = TcpReplay.RTO_INITIAL;
        long now = 10;
        for (int i = 1; i <= TcpReplay.MAX_RETRANSMITS; i++) {
            now += rto;
            t.pump(now);
            assertEquals(i, t.retransmitted);
            TcpSegment again = sent(wire.size() - 1);
            assertEquals(PEER_ISN + 1, again.seq().value());
            assertEquals(14, again.payload().length());
            rto *= 2;
        }
        t.pump(now + rto);
        ReplayReport.Divergence d = t.divergence;
        assertNotNull(d);
        assertEquals(4, d.frame());
        assertEquals("recorded ACK of the peer's [P.] len 14 at frame 4, guest did not ACK it after 5 retransmissions",
                d.describe());
    }

    @Test
    void nothingIsSentBeyondTheGuestsWindow() throws Exception {
        TcpReplay t = engine(echo(), ReplayOptions.Pacing.AS_FAST);
        t.pump(0);
        t.onGuest(guest("S.", 0, 1, 10, ""), 10);
        t.pump(10);
        assertEquals(2, wire.size(), "14 bytes do not fit a 10-byte window: only the ACK");
        t.onGuest(guest(".", 1, 1, 14, ""), 20);
        t.pump(20);
        assertEquals(3, wire.size());
        assertEquals(14, sent(2).payload().length());
    }

    @Test
    void timingKeepsTheRecordedGapsInVirtualTime() throws Exception {
        TcpReplay t = engine(echo(), ReplayOptions.Pacing.TIMING);
        t.pump(0);
        t.onGuest(guest("S.", 0, 1, 8000, ""), 10);
        long wake = t.pump(10);
        assertEquals(1, wire.size());
        long frame3 = 2 * 1_000_000 / dev.wirelab.emulator.time.VirtualClock.NANOS_PER_TICK; // recorded 2 ms after the SYN
        assertEquals(frame3, wake);
        t.pump(frame3);
        assertEquals(2, wire.size(), "the ACK at its recorded time, the data 1 ms later");
        t.pump(frame3 + frame3 / 2);
        assertEquals(3, wire.size());
    }

    @Test
    void guestDataDifferentFromTheRecordingIsReportedAtItsFrame() throws Exception {
        TcpReplay t = engine(echo(), ReplayOptions.Pacing.AS_FAST);
        t.pump(0);
        t.onGuest(guest("S.", 0, 1, 8000, ""), 10);
        t.pump(10);
        t.onGuest(guest("P.", 1, 15, 8000, "hello wireLAB\n"), 20);
        assertEquals("recorded data \"lab\\n\" (+11) at frame 5, guest sent \"LAB\\n\"", t.divergence.describe());
    }

    @Test
    void earlyFinIsReported() throws Exception {
        TcpReplay t = engine(echo(), ReplayOptions.Pacing.AS_FAST);
        t.pump(0);
        t.onGuest(guest("S.", 0, 1, 8000, ""), 10);
        t.pump(10);
        t.onGuest(guest("F.", 1, 15, 8000, ""), 20);
        assertEquals("recorded data \"hello wirelab\\n\" (+1) at frame 5, guest sent [F.]", t.divergence.describe());
    }
}
