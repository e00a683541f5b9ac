package dev.wirelab.emulator.net;

import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.SeqNumber;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpOption;
import dev.wirelab.emulator.wire.TcpSegment;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host's TCP without a board (smoltcp's socket tests are the model): segments and
 * instants in, segments out. The host's ISS is 1000 (data from 1001), the peer's 5000
 * (data from 5001); times are plain ticks.
 */
class TcpSocketTest {
    static final Ipv4Address HOST = VirtualWire.HOST_IP;
    static final Ipv4Address GUEST = VirtualWire.GUEST_IP;
    static final int HP = 40000;
    static final int GP = 7;
    /** No options, MSS 1000, RTO 1000 ticks (min 100, max 64,000), 3 retries, TIME-WAIT 5,000 ticks. */
    static final TcpConfig CFG = TcpConfig.minimal().withMss(1000).withRto(1000, 100, 64_000, 3).withTimeWaitTicks(5000);

    // ---- helpers -------------------------------------------------------------------

    static TcpSegment peer(String flags, long seq, long ack, int window, String data, TcpOption... options) {
        TcpSegment.Builder b = TcpSegment.builder().ports(GP, HP).flags(TcpFlags.parse(flags)).seq(seq).ack(ack)
                .window(window).payload(data.getBytes(StandardCharsets.ISO_8859_1));
        if (options.length > 0) {
            b.options(options);
        }
        return b.build(GUEST, HOST);
    }

    static List<TcpSegment> sent(TcpSocket.Output o) {
        return o.segments().stream().map(b -> b.build(HOST, GUEST)).toList();
    }

    /** Exactly one segment was sent, with these flags, seq, ack (when ACK is set) and payload length. */
    static TcpSegment one(TcpSocket.Output o, String flags, long seq, long ack, int len) {
        List<TcpSegment> s = sent(o);
        assertEquals(1, s.size(), () -> "segments " + s);
        assertSeg(s.get(0), flags, seq, ack, len);
        return s.get(0);
    }

    static void assertSeg(TcpSegment s, String flags, long seq, long ack, int len) {
        assertEquals(flags, TcpFlags.format(s.flags()), () -> "flags of " + s);
        assertEquals(seq, s.seq().value(), () -> "seq of " + s);
        if (s.isAck()) {
            assertEquals(ack, s.ack().value(), () -> "ack of " + s);
        }
        assertEquals(len, s.payload().length(), () -> "length of " + s);
    }

    static void none(TcpSocket.Output o) {
        assertEquals(List.of(), sent(o));
    }

    /** Active open completed at tick 100 (RTT 100: the RTO is then 300); the peer's window {@code window}. */
    static TcpSocket established(int window) {
        TcpSocket s = TcpSocket.connect(CFG, HP, GP, SeqNumber.of(1000), 0);
        s.transmit(0);
        one(s.input(100, peer("S.", 5000, 1001, window, "", TcpOption.mss(1000))), ".", 1001, 5001, 0);
        assertEquals(TcpSocket.Status.ESTABLISHED, s.status());
        return s;
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    // ---- handshake ----------------------------------------------------------------------

    @Test
    void activeOpen() {
        TcpSocket s = TcpSocket.connect(CFG, HP, GP, SeqNumber.of(1000), 0);
        TcpSegment syn = one(s.transmit(0), "S", 1000, 0, 0);
        assertEquals(new TcpOption.Mss(1000), syn.option(TcpOption.Mss.class));
        assertEquals(TcpSocket.Status.SYN_SENT, s.status());
        assertEquals(1000, s.pollAt());
        one(s.input(100, peer("S.", 5000, 1001, 8000, "", TcpOption.mss(1200))), ".", 1001, 5001, 0);
        assertTrue(s.isEstablished());
        assertEquals(8000, s.peerWindow());
        assertEquals(Long.MAX_VALUE, s.pollAt());
        assertEquals("mss=1200 wscale=0/0", s.options());
        assertEquals(300, s.rto(), "RFC 6298: srtt 100 + 4 * rttvar 50");
    }

    @Test
    void synIsRetransmittedWithBackoff() {
        TcpSocket s = TcpSocket.connect(CFG, HP, GP, SeqNumber.of(1000), 0);
        s.transmit(0);
        none(s.onTimers(999));
        one(s.onTimers(1000), "S", 1000, 0, 0);
        assertEquals(3000, s.pollAt());
        one(s.onTimers(3000), "S", 1000, 0, 0);
        assertEquals(7000, s.pollAt());
    }

    @Test
    void passiveOpen() {
        TcpSegment syn = peer("S", 5000, 0, 8000, "", TcpOption.mss(1000));
        TcpSocket s = TcpSocket.accept(CFG, syn, SeqNumber.of(1000), 0);
        assertEquals(HP, s.localPort());
        assertEquals(GP, s.remotePort());
        one(s.transmit(0), "S.", 1000, 5001, 0);
        one(s.input(10, syn), "S.", 1000, 5001, 0); // the peer did not get it: again
        TcpSocket.Output o = s.input(50, peer(".", 5001, 1001, 8000, ""));
        none(o);
        assertTrue(o.accepted());
        assertEquals(TcpSocket.Status.ESTABLISHED, s.status());
        assertEquals(8000, s.peerWindow());
    }

    @Test
    void passiveOpenRejectsAnAckOfNothingSent() {
        TcpSocket s = TcpSocket.accept(CFG, peer("S", 5000, 0, 8000, ""), SeqNumber.of(1000), 0);
        s.transmit(0);
        TcpSocket.Output o = s.input(50, peer(".", 5001, 77777, 8000, ""));
        one(o, "R", 77777, 0, 0);
        assertFalse(o.accepted());
        assertEquals(TcpSocket.Status.SYN_RECEIVED, s.status());
    }

    @Test
    void handshakeNegotiatesOptions() {
        TcpConfig cfg = TcpConfig.defaults();
        TcpSocket s = TcpSocket.connect(cfg, HP, GP, SeqNumber.of(1000), 0);
        TcpSegment syn = one(s.transmit(0), "S", 1000, 0, 0);
        assertEquals(new TcpOption.Mss(1460), syn.option(TcpOption.Mss.class));
        assertEquals(new TcpOption.WindowScale(7), syn.option(TcpOption.WindowScale.class));
        assertNotNull(syn.option(TcpOption.SackPermitted.class));
        assertNotNull(syn.option(TcpOption.Timestamps.class));
        TcpSegment ack = one(s.input(62_500, peer("S.", 5000, 1001, 1000, "", TcpOption.mss(1200),
                TcpOption.windowScale(2), TcpOption.sackPermitted(), TcpOption.timestamps(777, 0))), ".", 1001, 5001, 0);
        assertEquals("mss=1200 wscale=2/7 sack ts", s.options());
        assertEquals(777, ack.option(TcpOption.Timestamps.class).tsEcr());
        assertEquals(1, ack.option(TcpOption.Timestamps.class).tsVal(), "1 ms after a timestamp base of 0");
        assertEquals(256 * 1024 >> 7, ack.window());
        // Window scale applies from the first non-SYN segment: 100 << 2.
        s.input(62_600, peer(".", 5001, 1001, 100, "", TcpOption.timestamps(778, 1)));
        assertEquals(400, s.peerWindow());
    }

    @Test
    void optionsThePeerDoesNotOfferAreNotUsed() {
        TcpSocket s = TcpSocket.connect(TcpConfig.defaults(), HP, GP, SeqNumber.of(1000), 0);
        s.transmit(0);
        TcpSegment ack = one(s.input(100, peer("S.", 5000, 1001, 1000, "")), ".", 1001, 5001, 0);
        assertEquals("mss=536 wscale=0/0", s.options());
        assertNull(ack.option(TcpOption.Timestamps.class));
        assertEquals(65535, ack.window(), "no scaling: the window is capped at 65,535");
    }

    @Test
    void synSentAcceptsOnlyAnAckOfItsSyn() {
        TcpSocket s = TcpSocket.connect(CFG, HP, GP, SeqNumber.of(1000), 0);
        s.transmit(0);
        one(s.input(10, peer("S.", 5000, 999, 8000, "")), "R", 999, 0, 0); // RFC 9293 §3.10.7.3
        none(s.input(20, peer("R", 5000, 0, 0, "")));                    // RST without ACK: ignored
        assertEquals(TcpSocket.Status.SYN_SENT, s.status());
        none(s.input(30, peer("R.", 0, 1001, 0, "")));
        assertEquals(TcpSocket.Status.CLOSED, s.status());
        assertEquals("connection refused", s.error());
        assertEquals(Long.MAX_VALUE, s.pollAt());
    }

    @Test
    void simultaneousOpen() {
        TcpSocket s = TcpSocket.connect(CFG, HP, GP, SeqNumber.of(1000), 0);
        s.transmit(0);
        one(s.input(10, peer("S", 5000, 0, 8000, "")), "S.", 1000, 5001, 0);
        assertEquals(TcpSocket.Status.SYN_RECEIVED, s.status());
        none(s.input(20, peer(".", 5001, 1001, 8000, "")));
        assertEquals(TcpSocket.Status.ESTABLISHED, s.status());
    }

    // ---- data and window -------------------------------------------------------------------

    @Test
    void sendingFollowsThePeersWindow() {
        TcpSocket s = established(2500);
        List<TcpSegment> out = sent(s.send(200, bytes(5000)));
        assertEquals(3, out.size());
        assertSeg(out.get(0), ".", 1001, 5001, 1000);
        assertSeg(out.get(1), ".", 2001, 5001, 1000);
        assertSeg(out.get(2), ".", 3001, 5001, 500);
        assertArrayEquals(Arrays.copyOfRange(bytes(5000), 1000, 2000), out.get(1).payload().toArray());
        one(s.input(300, peer(".", 5001, 2001, 2500, "")), ".", 3501, 5001, 1000);
        out = sent(s.input(400, peer(".", 5001, 4501, 2500, "")));
        assertEquals(2, out.size());
        assertSeg(out.get(0), ".", 4501, 5001, 1000);
        assertSeg(out.get(1), "P.", 5501, 5001, 500);
        assertFalse(s.allAcked());
        none(s.input(500, peer(".", 5001, 6001, 2500, "")));
        assertTrue(s.allAcked());
        assertEquals(5000, s.acked());
        assertEquals(Long.MAX_VALUE, s.pollAt());
        assertEquals(5000, s.stats().bytesAcked());
    }

    @Test
    void receivingInOrderAndOutOfOrder() {
        TcpSocket s = established(8000);
        one(s.input(200, peer("P.", 5001, 1001, 8000, "hello")), ".", 1001, 5006, 0);
        assertEquals("hello", new String(s.read(), StandardCharsets.ISO_8859_1));
        one(s.input(210, peer("P.", 5011, 1001, 8000, "world")), ".", 1001, 5006, 0); // a gap: duplicate ACK
        assertEquals(5, s.received());
        one(s.input(220, peer("P.", 5006, 1001, 8000, "12345")), ".", 1001, 5016, 0);
        assertEquals("12345world", new String(s.read(), StandardCharsets.ISO_8859_1));
        assertEquals(1, s.stats().outOfOrderSegments());
    }

    /** Delayed ACKs as Linux: quick ACKs first, then one per two full segments or per timeout; data carries them. */
    @Test
    void delayedAcksFollowLinux() {
        TcpSocket s = TcpSocket.connect(CFG.withDelayedAckTicks(2500), HP, GP, SeqNumber.of(1000), 0);
        s.transmit(0);
        one(s.input(100, peer("S.", 5000, 1001, 60000, "", TcpOption.mss(1000))), ".", 1001, 5001, 0);
        long seq = 5001;
        long t = 200;
        for (int i = 0; i < TcpConfig.QUICK_ACKS; i++, seq += 1000, t += 10) {
            one(s.input(t, peer(".", seq, 1001, 60000, "x".repeat(1000))), ".", 1001, seq + 1000, 0);
        }
        // Quick ACKs used up: the first full segment waits, the second is acknowledged with it.
        none(s.input(t, peer(".", seq, 1001, 60000, "x".repeat(1000))));
        assertEquals(t + 2500, s.pollAt());
        one(s.input(t + 10, peer(".", seq + 1000, 1001, 60000, "x".repeat(1000))), ".", 1001, seq + 2000, 0);
        assertEquals(Long.MAX_VALUE, s.pollAt(), "nothing left to time");
        seq += 2000;
        // One segment alone: the ACK leaves when the timer runs out, not before.
        none(s.input(t + 20, peer(".", seq, 1001, 60000, "x".repeat(1000))));
        none(s.onTimers(t + 2519));
        one(s.onTimers(t + 2520), ".", 1001, seq + 1000, 0);
        seq += 1000;
        // Data the host sends carries the owed ACK, and the timer is off again.
        none(s.input(t + 3000, peer(".", seq, 1001, 60000, "x".repeat(1000))));
        one(s.send(t + 3001, bytes(10)), "P.", 1001, seq + 1000, 10);
        assertEquals(t + 3001 + s.rto(), s.pollAt(), "only the retransmission timer is left");
        seq += 1000;
        // A gap is reported at once (duplicate ACK), and so is the segment that fills it.
        one(s.input(t + 4000, peer(".", seq + 1000, 1011, 60000, "y".repeat(1000))), ".", 1011, seq, 0);
        one(s.input(t + 4010, peer(".", seq, 1011, 60000, "x".repeat(1000))), ".", 1011, seq + 2000, 0);
        assertEquals(seq + 2000 - 5001, s.received());
    }

    @Test
    void outOfOrderDataIsReportedInSackBlocks() {
        TcpSocket s = TcpSocket.connect(TcpConfig.defaults(), HP, GP, SeqNumber.of(1000), 0);
        s.transmit(0);
        s.input(100, peer("S.", 5000, 1001, 8000, "", TcpOption.sackPermitted()));
        TcpSegment ack = one(s.input(200, peer("P.", 5011, 1001, 8000, "world")), ".", 1001, 5001, 0);
        TcpOption.Sack sack = ack.option(TcpOption.Sack.class);
        assertEquals(List.of(new TcpOption.SackBlock(SeqNumber.of(5011), SeqNumber.of(5016))), sack.blocks());
    }

    @Test
    void dataBeyondTheReceiveWindowIsNotTaken() {
        TcpSocket s = established(8000);
        String big = "x".repeat(1000);
        s.input(200, peer(".", 5001 + 65_000, 1001, 8000, big)); // ahead, and its last 465 bytes past the window
        TcpSocket.Output last = null;
        for (int i = 0; i < 65; i++) {
            last = s.input(300 + i, peer(".", 5001 + 1000L * i, 1001, 8000, big));
        }
        one(last, ".", 1001, 5001 + 65_535, 0);
        assertEquals(65_535, s.received(), "the window is 65,535 bytes");
    }

    // ---- zero window ------------------------------------------------------------------------

    @Test
    void zeroWindowIsProbedAndNeverTimesOut() {
        TcpSocket s = established(0);
        none(s.send(200, "abc"));
        assertEquals(500, s.pollAt(), "the persist timer");
        one(s.onTimers(500), ".", 1001, 5001, 1);
        assertEquals(1100, s.pollAt());
        one(s.onTimers(1100), ".", 1001, 5001, 1);
        assertEquals(2300, s.pollAt(), "backoff: 300, 600, 1200");
        none(s.input(2400, peer(".", 5001, 1001, 0, ""))); // still closed: the probe byte was not taken
        for (int i = 0; i < 2 * CFG.maxRetransmits(); i++) {
            one(s.onTimers(s.pollAt()), ".", 1001, 5001, 1);
        }
        assertEquals(TcpSocket.Status.ESTABLISHED, s.status(), "a receiver that answers probes is never given up");
        TcpSegment data = one(s.input(s.pollAt() - 1, peer(".", 5001, 1001, 1000, "")), "P.", 1001, 5001, 3);
        assertEquals("abc", new String(data.payload().toArray(), StandardCharsets.ISO_8859_1));
    }

    // ---- retransmission -------------------------------------------------------------------------

    @Test
    void retransmissionBacksOffAndGivesUp() {
        TcpSocket s = established(8000);
        one(s.send(200, "data"), "P.", 1001, 5001, 4);
        assertEquals(500, s.pollAt());
        none(s.onTimers(499));
        one(s.onTimers(500), "P.", 1001, 5001, 4);
        assertEquals(1100, s.pollAt());
        one(s.onTimers(1100), "P.", 1001, 5001, 4);
        assertEquals(2300, s.pollAt());
        one(s.onTimers(2300), "P.", 1001, 5001, 4);
        assertEquals(4700, s.pollAt());
        one(s.onTimers(4700), "R.", 1005, 5001, 0);
        assertEquals(TcpSocket.Status.CLOSED, s.status());
        assertEquals("timed out", s.error());
        assertEquals(3, s.stats().retransmits());
        assertEquals(3, s.stats().timeouts());
    }

    @Test
    void rttIsSampledButNotFromRetransmissions() {
        TcpSocket s = established(8000);
        s.send(200, "a");
        s.input(260, peer(".", 5001, 1002, 8000, ""));
        assertEquals(283, s.rto(), "srtt 95 + 4 * rttvar 47");
        s.send(300, "b");
        s.onTimers(583); // retransmitted: rto doubles
        assertEquals(566, s.rto());
        s.input(600, peer(".", 5001, 1003, 8000, ""));
        assertEquals(566, s.rto(), "Karn: the ACK of a retransmission is no sample");
    }

    @Test
    void thirdDuplicateAckRetransmitsAtOnce() {
        TcpSocket s = established(8000);
        assertEquals(3, sent(s.send(200, bytes(3000))).size());
        none(s.input(210, peer(".", 5001, 1001, 8000, "")));
        none(s.input(211, peer(".", 5001, 1001, 8000, "")));
        List<TcpSegment> again = sent(s.input(212, peer(".", 5001, 1001, 8000, "")));
        assertEquals(3, again.size(), "go-back-N from the first unacknowledged byte");
        assertSeg(again.get(0), ".", 1001, 5001, 1000);
        assertEquals(3, s.stats().dupAcksSeen());
        assertEquals(1, s.stats().retransmits());
        assertEquals(0, s.stats().timeouts());
    }

    @Test
    void anAckOfDataNeverSentIsAnsweredNotTaken() {
        TcpSocket s = established(8000);
        s.send(200, "abc");
        one(s.input(210, peer(".", 5001, 2000, 8000, "")), ".", 1004, 5001, 0);
        assertEquals(0, s.acked());
    }

    // ---- acceptability: old, out-of-window, RST, SYN -------------------------------------------

    @Test
    void oldAndOutOfWindowSegmentsGetAnAckAndChangeNothing() {
        TcpSocket s = established(8000);
        s.input(200, peer("P.", 5001, 1001, 8000, "hello"));
        s.read();
        one(s.input(210, peer("P.", 5001, 1001, 8000, "hello")), ".", 1001, 5006, 0); // a retransmission: old
        assertEquals(0, s.available());
        one(s.input(220, peer("P.", 5006 + 70_000, 1001, 8000, "x")), ".", 1001, 5006, 0);
        one(s.input(230, peer(".", 5006 - 100_000, 1001, 8000, "")), ".", 1001, 5006, 0);
        assertEquals(5, s.received());
        none(s.input(240, peer("R", 5006 + 100_000, 0, 0, ""))); // RST outside the window: dropped silently
        assertEquals(TcpSocket.Status.ESTABLISHED, s.status());
    }

    @Test
    void rstInsideTheWindowButNotAtRcvNxtIsChallenged() {
        TcpSocket s = established(8000);
        s.input(200, peer("P.", 5001, 1001, 8000, "hello"));
        one(s.input(210, peer("R", 5016, 0, 0, "")), ".", 1001, 5006, 0); // RFC 5961 §3.2
        assertEquals(TcpSocket.Status.ESTABLISHED, s.status());
        none(s.input(220, peer("R", 5006, 0, 0, "")));
        assertEquals(TcpSocket.Status.CLOSED, s.status());
        assertEquals("connection reset by peer", s.error());
        assertEquals(Long.MAX_VALUE, s.pollAt());
        none(s.input(230, peer("P.", 5006, 1001, 8000, "late")));
    }

    @Test
    void synOnASynchronizedConnectionIsChallenged() {
        TcpSocket s = established(8000);
        one(s.input(200, peer("S", 5001, 0, 8000, "")), ".", 1001, 5001, 0); // RFC 5961 §4
        assertEquals(TcpSocket.Status.ESTABLISHED, s.status());
    }

    // ---- closing --------------------------------------------------------------------------------

    @Test
    void activeCloseThroughFinWait2AndTimeWait() {
        TcpSocket s = established(8000);
        one(s.close(200), "F.", 1001, 5001, 0);
        assertEquals(TcpSocket.Status.FIN_WAIT_1, s.status());
        none(s.input(210, peer(".", 5001, 1002, 8000, "")));
        assertEquals(TcpSocket.Status.FIN_WAIT_2, s.status());
        one(s.input(220, peer("P.", 5001, 1002, 8000, "bye")), ".", 1002, 5004, 0); // data still arrives
        one(s.input(230, peer("F.", 5004, 1002, 8000, "")), ".", 1002, 5005, 0);
        assertEquals(TcpSocket.Status.TIME_WAIT, s.status());
        assertTrue(s.isClosed() && s.peerClosed());
        assertEquals(5230, s.pollAt());
        one(s.input(1000, peer("F.", 5004, 1002, 8000, "")), ".", 1002, 5005, 0); // its FIN again: old, ACKed
        assertEquals(5230, s.pollAt());
        none(s.onTimers(5230));
        assertEquals(TcpSocket.Status.CLOSED, s.status());
        assertNull(s.error());
    }

    @Test
    void closeSendsTheFinWithTheLastData() {
        TcpSocket s = established(2);
        one(s.send(200, "abcd"), ".", 1001, 5001, 2);
        none(s.close(210)); // the FIN waits behind data the window does not let out yet
        assertEquals(TcpSocket.Status.FIN_WAIT_1, s.status());
        one(s.input(220, peer(".", 5001, 1003, 2, "")), "FP.", 1003, 5001, 2);
    }

    @Test
    void finAndAckOfOurFinTogetherGoStraightToTimeWait() {
        TcpSocket s = established(8000);
        s.close(200);
        one(s.input(210, peer("F.", 5001, 1002, 8000, "")), ".", 1002, 5002, 0);
        assertEquals(TcpSocket.Status.TIME_WAIT, s.status());
    }

    @Test
    void passiveCloseThroughCloseWaitAndLastAck() {
        TcpSocket s = established(8000);
        one(s.input(200, peer("F.", 5001, 1001, 8000, "")), ".", 1001, 5002, 0);
        assertEquals(TcpSocket.Status.CLOSE_WAIT, s.status());
        assertTrue(s.isEstablished() && s.peerClosed());
        one(s.send(210, "last"), "P.", 1001, 5002, 4);
        one(s.close(220), "F.", 1005, 5002, 0);
        assertEquals(TcpSocket.Status.LAST_ACK, s.status());
        none(s.input(230, peer(".", 5002, 1006, 8000, "")));
        assertEquals(TcpSocket.Status.CLOSED, s.status());
        assertNull(s.error());
    }

    @Test
    void simultaneousCloseThroughClosing() {
        TcpSocket s = established(8000);
        one(s.close(200), "F.", 1001, 5001, 0);
        one(s.input(210, peer("F.", 5001, 1001, 8000, "")), ".", 1002, 5002, 0);
        assertEquals(TcpSocket.Status.CLOSING, s.status());
        none(s.input(220, peer(".", 5002, 1002, 8000, "")));
        assertEquals(TcpSocket.Status.TIME_WAIT, s.status());
        assertEquals(5220, s.pollAt());
    }

    @Test
    void abortSendsRstAndForbidsSending() {
        TcpSocket s = established(8000);
        one(s.abort(200), "R.", 1001, 5001, 0);
        assertEquals(TcpSocket.Status.CLOSED, s.status());
        assertEquals("aborted by the host", s.error());
        assertThrows(IllegalStateException.class, () -> s.send(210, "x"));
        TcpSocket t = established(8000);
        t.close(200);
        assertThrows(IllegalStateException.class, () -> t.send(210, "x"));
    }

    // ---- state as a value, sequence numbers across the wrap -------------------------------------

    @Test
    void copyIsAnIndependentSnapshot() {
        TcpSocket s = established(8000);
        s.send(200, "abc");
        TcpSocket saved = s.copy();
        TcpSegment in = peer("P.", 5001, 1004, 8000, "hello");
        List<TcpSegment> first = sent(s.input(210, in));
        assertEquals(0, saved.received());
        assertEquals(3, saved.written() - saved.acked());
        List<TcpSegment> again = sent(saved.input(210, in));
        assertEquals(first.size(), again.size());
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i).raw().toArray(), again.get(i).raw().toArray(), "the same input, the same segments");
        }
        assertEquals(s.stats(), saved.stats());
    }

    @Test
    void sequenceNumbersWrapAround() {
        TcpSocket s = TcpSocket.connect(CFG, HP, GP, SeqNumber.of(0xffff_fff0L), 0);
        s.transmit(0);
        s.input(100, peer("S.", 0xffff_fffaL, 0xffff_fff1L, 8000, ""));
        List<TcpSegment> out = sent(s.send(200, bytes(100)));
        assertSeg(out.get(0), "P.", 0xffff_fff1L, 0xffff_fffbL, 100);
        one(s.input(210, peer("P.", 0xffff_fffbL, 0x55, 8000, "0123456789")), ".", 0x55, 0x5, 0);
        assertTrue(s.allAcked());
        assertEquals(10, s.received());
    }
}
