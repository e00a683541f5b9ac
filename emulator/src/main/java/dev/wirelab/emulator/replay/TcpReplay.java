package dev.wirelab.emulator.replay;

import dev.wirelab.emulator.replay.RecordedFlow.RecordedPacket;
import dev.wirelab.emulator.wire.Bytes;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.RelativeSeq;
import dev.wirelab.emulator.wire.SeqNumber;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpOption;
import dev.wirelab.emulator.wire.TcpSegment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Replays the peer's side of a recorded TCP connection against the guest's live
 * stack.
 *
 * <p>The peer keeps its recorded ISN; its recorded acknowledgement numbers are
 * rebased onto the guest's live ISN (learned from the guest's SYN or SYN-ACK).
 * A peer segment goes out only when (1) the guest has already sent everything the
 * segment acknowledges in the recording, (2) it fits in the guest's advertised
 * window, and (3) with --timing, its recorded gap has passed. Segments with
 * sequence space the guest does not ACK within an RTO (virtual time, doubling) are
 * sent again. Recorded retransmissions of the peer are not replayed. Options are
 * reduced to MSS on the SYN (no window scaling, timestamps or SACK: the replayed
 * peer cannot honour them against a live stack); windows are unscaled and capped
 * at 65535.
 *
 * <p>The guest's segments are compared with the recorded ones by relative
 * sequence position: its byte stream must equal the recorded bytes, its FIN must
 * come where the recorded FIN is, a RST must be recorded too, and a SYN-ACK must
 * answer where the recording has one. Pure ACKs are not compared (their number
 * depends on delayed-ACK timing).
 */
final class TcpReplay extends FlowReplay {
    static final long RTO_INITIAL = FlowReplay.SECOND;
    static final int MAX_RETRANSMITS = 5;
    /** Peer payload per segment at most (the MSS of a 1500-byte Ethernet MTU). */
    static final int MAX_CHUNK = 1460;
    /** Recorded guest data further than this from its ISN is not compared (a corrupt or foreign segment). */
    static final long MAX_STREAM = 64L << 20;
    private static final int FLAG_MASK = TcpFlags.FIN | TcpFlags.SYN | TcpFlags.RST | TcpFlags.PSH | TcpFlags.ACK
            | TcpFlags.URG;

    private static final class PeerSegment {
        final RecordedPacket rec;
        final long relSeq;
        final long seqLen;
        final long relAck;
        /** The piece of the recorded payload this segment carries. */
        final int from;
        final int length;
        final int flags;
        int sends;
        long sentTick;
        long rto = RTO_INITIAL;
        boolean acked;

        PeerSegment(RecordedPacket rec, long relSeq, long relAck, int from, int length, int flags) {
            this.rec = rec;
            this.relSeq = relSeq;
            this.seqLen = length + ((flags & TcpFlags.SYN) != 0 ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
            this.relAck = relAck;
            this.from = from;
            this.length = length;
            this.flags = flags;
        }

        long relEnd() {
            return relSeq + seqLen;
        }
    }

    private final RelativeSeq recPeer;
    private final RelativeSeq recGuest;
    private final RecordedPacket recGuestSyn;
    private final List<PeerSegment> peer = new ArrayList<>();
    /** The recorded guest byte stream: byte at relative sequence r is recStream[r - 1]. */
    private byte[] recStream = new byte[0];
    private int[] recStreamFrame = new int[0];
    private long recFinRel = -1;
    private RecordedPacket recFin;
    private RecordedPacket recRst;
    private RecordedPacket lastRecGuest;
    private final int peerShift;

    private RelativeSeq liveGuest = RelativeSeq.UNKNOWN;
    private long guestSndMax;
    private long guestAck;
    private int guestWindow = 65535;
    private int next;
    private long waitingSince = -1;
    private long quietSince = -1;
    private boolean peerReset;
    private long lastAckSent;
    private int lastWindow = 65535;

    TcpReplay(RecordedFlow flow, ReplayOptions options, Consumer<byte[]> wire) {
        super(flow, options, wire);
        RecordedPacket peerSyn = null;
        RecordedPacket guestSyn = null;
        for (RecordedPacket p : flow.packets()) {
            if (p.tcp().syn()) {
                if (p.fromGuest() && guestSyn == null) {
                    guestSyn = p;
                } else if (!p.fromGuest() && peerSyn == null) {
                    peerSyn = p;
                }
            }
        }
        recPeer = RelativeSeq.from(peerSyn != null ? peerSyn.tcp().seq() : firstPeerSeq(flow));
        recGuest = guestSyn != null ? RelativeSeq.from(guestSyn.tcp().seq()) : RelativeSeq.UNKNOWN;
        recGuestSyn = guestSyn;
        int ps = 0;
        if (peerSyn != null && guestSyn != null) {
            TcpOption.WindowScale a = peerSyn.tcp().option(TcpOption.WindowScale.class);
            TcpOption.WindowScale b = guestSyn.tcp().option(TcpOption.WindowScale.class);
            if (a != null && b != null) {
                ps = a.shift();
            }
        }
        peerShift = ps;
        long peerMax = Long.MIN_VALUE;
        for (RecordedPacket p : flow.packets()) {
            TcpSegment t = p.tcp();
            if (p.fromGuest()) {
                lastRecGuest = p;
                recordGuest(p);
                continue;
            }
            long relSeq = recPeer.relative(t.seq());
            long relAck = t.isAck() && recGuest.known() ? recGuest.relative(t.ack()) : -1;
            if (t.sequenceLength() > 0 && relSeq + t.sequenceLength() <= peerMax) {
                continue; // a recorded retransmission: the replay makes its own
            }
            if (t.sequenceLength() > 0) {
                peerMax = Math.max(peerMax, relSeq + t.sequenceLength());
            }
            int len = t.payload().length();
            if (len <= MAX_CHUNK) {
                peer.add(new PeerSegment(p, relSeq, relAck, 0, len, t.flags()));
                continue;
            }
            // bigger than an Ethernet MSS (loopback captures have 64 KiB segments): cut, PSH and FIN on the last piece
            for (int off = 0; off < len; off += MAX_CHUNK) {
                int n = Math.min(MAX_CHUNK, len - off);
                int flags = off + n < len ? t.flags() & ~(TcpFlags.FIN | TcpFlags.PSH) : t.flags();
                peer.add(new PeerSegment(p, relSeq + off + (t.syn() ? 1 : 0), relAck, off, n, flags));
            }
        }
    }

    private static SeqNumber firstPeerSeq(RecordedFlow flow) {
        return flow.packets().stream().filter(p -> !p.fromGuest()).findFirst().map(p -> p.tcp().seq()).orElse(SeqNumber.ZERO);
    }

    private void recordGuest(RecordedPacket p) {
        TcpSegment t = p.tcp();
        if (t.rst() && recRst == null) {
            recRst = p;
        }
        if (!recGuest.known()) {
            return;
        }
        long rel = recGuest.relative(t.seq()) + (t.syn() ? 1 : 0);
        int len = t.payload().length();
        if (len > 0 && rel >= 1 && rel - 1 + len <= MAX_STREAM) {
            long end = rel - 1 + len;
            if (end > recStream.length) {
                recStream = Arrays.copyOf(recStream, (int) end);
                recStreamFrame = Arrays.copyOf(recStreamFrame, (int) end);
            }
            for (int i = 0; i < len; i++) {
                int at = (int) (rel - 1 + i);
                if (recStreamFrame[at] == 0) {
                    recStream[at] = (byte) t.payload().u8(i);
                    recStreamFrame[at] = p.frame();
                }
            }
        }
        if (t.fin() && recFin == null) {
            recFin = p;
            recFinRel = rel + len;
        }
    }

    @Override
    boolean matches(Packet p) {
        TcpSegment t = p.tcp();
        return t != null && p.ipv4() != null && p.ipv4().source().equals(liveGuestIp)
                && p.ipv4().destination().equals(livePeerIp) && t.sourcePort() == liveGuestPort
                && t.destinationPort() == livePeerPort;
    }

    /** The recorded guest's expected end of sequence space (SYN, data, FIN). */
    private long recGuestEnd() {
        long end = recGuestSyn != null ? 1 : 0;
        end = Math.max(end, recStream.length + 1L);
        if (recStream.length == 0 && recGuestSyn == null) {
            end = 0;
        }
        if (recFin != null) {
            end = Math.max(end, recFinRel + 1);
        }
        return end;
    }

    /** What the recording has the guest send next after relative sequence {@code rel}. */
    private ReplayReport.Divergence expectedAfter(long rel, String actual) {
        if (recGuestSyn != null && rel < 1) {
            return new ReplayReport.Divergence(recGuestSyn.frame(), recGuestSyn.describe(), actual);
        }
        if (rel >= 1 && rel - 1 < recStream.length) {
            int at = (int) (rel - 1);
            int frame = recStreamFrame[at];
            return new ReplayReport.Divergence(frame, "data " + quote(recStream, at, 16) + " (+" + rel + ")", actual);
        }
        if (recFin != null && rel <= recFinRel) {
            return new ReplayReport.Divergence(recFin.frame(), recFin.describe(), actual);
        }
        if (recRst != null) {
            return new ReplayReport.Divergence(recRst.frame(), recRst.describe(), actual);
        }
        int frame = lastRecGuest != null ? lastRecGuest.frame() : flow.packets().get(flow.packets().size() - 1).frame();
        return new ReplayReport.Divergence(frame, "nothing more from the guest after its last segment", actual);
    }

    private void diverge(ReplayReport.Divergence d) {
        diverge(d.frame(), d.expected(), d.actual());
    }

    @Override
    void onGuest(Packet p, long now) {
        TcpSegment t = p.tcp();
        guestSeen++;
        if (done) {
            return;
        }
        String desc = "sent [" + TcpFlags.format(t.flags() & FLAG_MASK) + "]"
                + (t.payload().isEmpty() ? "" : " len " + t.payload().length());
        if (t.syn()) {
            if (recGuestSyn == null) {
                diverge(expectedAfter(1, desc));
                return;
            }
            if (!liveGuest.known()) {
                liveGuest = RelativeSeq.from(t.seq());
                if (t.isAck() != recGuestSyn.tcp().isAck()) {
                    diverge(recGuestSyn.frame(), recGuestSyn.describe(), desc);
                    return;
                }
            }
        }
        if (t.rst()) {
            if (recRst == null) {
                diverge(expectedAfter(guestSndMax, desc));
            } else {
                done = true; // recorded too: the connection ends here as it did
            }
            return;
        }
        if (!liveGuest.known()) {
            diverge(expectedAfter(0, desc + " before any SYN"));
            return;
        }
        if (t.isAck()) {
            long ackRel = recPeer.relative(t.ack());
            if (ackRel > guestAck) {
                guestAck = ackRel;
                for (PeerSegment s : peer) {
                    if (s.sends > 0 && !s.acked && s.seqLen > 0 && s.relEnd() <= guestAck) {
                        s.acked = true;
                        accepted++;
                    }
                }
            }
        }
        guestWindow = t.window();
        long rel = liveGuest.relative(t.seq()) + (t.syn() ? 1 : 0);
        int len = t.payload().length();
        for (int i = 0; i < len; i++) {
            long r = rel + i;
            if (r < 1) {
                continue;
            }
            if (r - 1 >= recStream.length) {
                diverge(expectedAfter(r, "sent " + (len - i) + " more bytes " + quote(t.payload(), i, 16) + " at +" + r));
                return;
            }
            if (recStream[(int) (r - 1)] != (byte) t.payload().u8(i)) {
                diverge(recStreamFrame[(int) (r - 1)], "data " + quote(recStream, (int) (r - 1), 16) + " (+" + r + ")",
                        "sent " + quote(t.payload(), i, 16));
                return;
            }
        }
        if (t.fin()) {
            long finRel = rel + len;
            if (recFin == null || finRel < recFinRel) {
                diverge(expectedAfter(finRel, desc));
                return;
            }
            if (finRel > recFinRel) {
                diverge(recFin.frame(), recFin.describe() + " at +" + recFinRel, desc + " at +" + finRel);
                return;
            }
        }
        long end = rel + len + (t.fin() ? 1 : 0);
        guestSndMax = Math.max(guestSndMax, end);
        quietSince = -1;
    }

    @Override
    long pump(long now) {
        if (startTick < 0) {
            startTick = now;
        }
        if (done) {
            return Long.MAX_VALUE;
        }
        long wake = Long.MAX_VALUE;
        // retransmit the oldest unacknowledged segment whose RTO ran out
        for (PeerSegment s : peer) {
            if (s.sends > 0 && !s.acked && s.seqLen > 0 && !s.rec.tcp().rst()) {
                if (now >= s.sentTick + s.rto) {
                    if (s.sends > MAX_RETRANSMITS) {
                        diverge(s.rec.frame(), "ACK of the peer's " + s.rec.describe(), "did not ACK it after "
                                + (s.sends - 1) + " retransmissions");
                        return Long.MAX_VALUE;
                    }
                    transmit(s, now);
                    retransmitted++;
                    s.rto *= 2;
                }
                wake = Math.min(wake, s.sentTick + s.rto);
                break;
            }
        }
        while (next < peer.size() && !peerReset) {
            PeerSegment s = peer.get(next);
            String blocked = null;
            long at = notBefore(s.rec);
            TcpSegment t = s.rec.tcp();
            if (t.isAck() && !liveGuest.known()) {
                blocked = "syn";
            } else if (t.isAck() && s.relAck > guestSndMax) {
                blocked = "data";
            } else if (s.length > 0 && s.relEnd() - guestAck - ((s.flags & TcpFlags.FIN) != 0 ? 1 : 0) > guestWindow) {
                blocked = "window";
            } else if (now < at) {
                wake = Math.min(wake, at);
                break;
            }
            if (blocked != null) {
                if (blocked.equals("data") && guestSndMax > lastAckSent) {
                    // The recording acknowledges more than the guest has sent yet: acknowledge what it did
                    // send, as the recorded peer's stack would have, so its window and cwnd keep opening.
                    sendAck(Math.min(guestSndMax, s.relAck));
                }
                if (outstanding()) {
                    waitingSince = -1; // the guest may be waiting for our retransmission: the RTO limit decides
                    break;
                }
                if (waitingSince < 0) {
                    waitingSince = now;
                }
                if (now >= waitingSince + STALL) {
                    stall(blocked, s);
                    return Long.MAX_VALUE;
                }
                wake = Math.min(wake, waitingSince + STALL);
                break;
            }
            waitingSince = -1;
            transmit(s, now);
            sent++;
            next++;
            if (t.rst()) {
                peerReset = true;
            }
            if (s.seqLen > 0 && !s.acked) {
                wake = Math.min(wake, s.sentTick + s.rto);
            }
        }
        boolean allSent = next >= peer.size() || peerReset;
        boolean allAcked = peerReset || peer.stream().allMatch(s -> s.acked || s.seqLen == 0 || s.rec.tcp().rst());
        if (allSent && allAcked) {
            if (guestSndMax >= recGuestEnd() || peerReset) {
                if (quietSince < 0) {
                    quietSince = now;
                }
                if (now >= quietSince + DRAIN) {
                    done = true;
                    return Long.MAX_VALUE;
                }
                wake = Math.min(wake, quietSince + DRAIN);
            } else {
                if (waitingSince < 0) {
                    waitingSince = now;
                }
                if (now >= waitingSince + STALL) {
                    diverge(expectedAfter(guestSndMax, "sent nothing (waited " + STALL / SECOND + " s)"));
                    return Long.MAX_VALUE;
                }
                wake = Math.min(wake, waitingSince + STALL);
            }
        }
        return wake;
    }

    /** Whether a segment of ours with sequence space is sent but not yet acknowledged. */
    private boolean outstanding() {
        for (PeerSegment s : peer) {
            if (s.sends > 0 && !s.acked && s.seqLen > 0 && (s.flags & TcpFlags.RST) == 0) {
                return true;
            }
        }
        return false;
    }

    private void stall(String why, PeerSegment s) {
        switch (why) {
            case "window" -> diverge(s.rec.frame(), "room for the peer's " + s.rec.describe() + " in the guest's window",
                    "kept its window at " + guestWindow + " with +" + guestAck + " acknowledged");
            default -> diverge(expectedAfter(guestSndMax, "sent nothing (waited " + STALL / SECOND + " s)"));
        }
    }

    /** A pure ACK not in the recording, at the peer's next sequence number. */
    private void sendAck(long relAck) {
        long relSeq = 0;
        for (int i = 0; i < next; i++) {
            relSeq = Math.max(relSeq, peer.get(i).relEnd());
        }
        lastAckSent = relAck;
        acksAdded++;
        send(TcpSegment.builder().ports(livePeerPort, liveGuestPort).seq(recPeer.absolute(relSeq)).ack(liveGuest.absolute(relAck))
                .flags(TcpFlags.ACK).window(lastWindow));
    }

    private void transmit(PeerSegment s, long now) {
        TcpSegment t = s.rec.tcp();
        int window = t.syn() ? t.window() : (int) Math.min(65535L, (long) t.window() << peerShift);
        TcpSegment.Builder b = TcpSegment.builder().ports(livePeerPort, liveGuestPort).seq(recPeer.absolute(s.relSeq))
                .flags(s.flags & FLAG_MASK).window(window).payload(t.payload().slice(s.from, s.length).toArray());
        if ((s.flags & TcpFlags.URG) != 0) {
            b.urgentPointer(t.urgentPointer());
        }
        if (t.isAck()) {
            b.ack(liveGuest.absolute(s.relAck));
            lastAckSent = Math.max(lastAckSent, s.relAck);
        }
        lastWindow = window;
        if (t.syn()) {
            TcpOption.Mss mss = t.option(TcpOption.Mss.class);
            if (mss != null) {
                b.option(TcpOption.mss(Math.min(mss.value(), 1460)));
            }
        }
        s.sends++;
        s.sentTick = now;
        send(b);
    }

    static String quote(Bytes b, int from, int max) {
        return quote(b.toArray(), from, max);
    }

    static String quote(byte[] b, int from, int max) {
        StringBuilder sb = new StringBuilder("\"");
        int end = Math.min(b.length, from + max);
        for (int i = from; i < end; i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append((char) c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        sb.append('"');
        if (b.length > end) {
            sb.append("...");
        }
        return sb.toString();
    }
}
