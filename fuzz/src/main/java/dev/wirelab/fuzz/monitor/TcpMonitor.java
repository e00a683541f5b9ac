package dev.wirelab.fuzz.monitor;

import dev.wirelab.emulator.capture.Direction;
import dev.wirelab.emulator.wire.IpPacket;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.SeqNumber;
import dev.wirelab.emulator.wire.TcpOption;
import dev.wirelab.emulator.wire.TcpSegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A passive TCP monitor: fed the frames of both directions in wire order, it follows every
 * connection and reports segments that break one of the {@link Invariant}s. Sans-IO: no lab, no
 * clock, no files — the caller passes each frame with its index, virtual time and direction.
 *
 * <p>It judges only what the wire proves. Frames that do not decode or carry a bad checksum are
 * skipped (the receiver drops them too). Checks that need the peer's sequence space (an ACK of
 * unsent data) wait for the peer's SYN; window checks wait for both SYNs, because window scaling
 * is only known from the handshake. A RST ends a connection; a fresh SYN starts a new one.
 */
public final class TcpMonitor {
    /** RFC 7323 §2.3: shifts above 14 are treated as 14. */
    private static final int MAX_SHIFT = 14;

    private final Map<ConnectionId, Conn> conns = new HashMap<>();
    private final List<Violation> all = new ArrayList<>();

    /** What one sender has shown of itself on the wire. */
    private static final class Half {
        final Endpoint self;
        boolean synSeen;
        SeqNumber isn;
        Integer wscale;
        SeqNumber sndMax;
        SeqNumber fin;
        SeqNumber lastAck;
        SeqNumber lastEdge;
        SeqNumber maxEdge;

        Half(Endpoint self) {
            this.self = self;
        }
    }

    private static final class Conn {
        final ConnectionId id;
        final Half a;
        final Half b;

        Conn(ConnectionId id) {
            this.id = id;
            this.a = new Half(id.a());
            this.b = new Half(id.b());
        }

        Half from(Endpoint e) {
            return e.equals(a.self) ? a : b;
        }

        Half to(Endpoint e) {
            return e.equals(a.self) ? b : a;
        }

        boolean scaleKnown() {
            return a.synSeen && b.synSeen;
        }

        int shiftOf(Half h) {
            return a.wscale != null && b.wscale != null ? Math.min(h.wscale, MAX_SHIFT) : 0;
        }
    }

    /**
     * Feeds one frame; returns the violations it shows (empty for legal traffic and for frames
     * that are not well-formed TCP over IP).
     */
    public List<Violation> observe(int frameIndex, long ticks, Direction direction, byte[] frame) {
        Packet p = Packet.parse(frame);
        TcpSegment t = p.tcp();
        IpPacket ip = p.ip();
        if (t == null || ip == null || !p.isWellFormed()) {
            return List.of();
        }
        Endpoint src = new Endpoint(ip.source(), t.sourcePort());
        Endpoint dst = new Endpoint(ip.destination(), t.destinationPort());
        Frame f = new Frame(frameIndex, ticks, direction, src);
        List<Violation> out = new ArrayList<>(0);
        if (t.rst()) {
            conns.remove(new ConnectionId(src, dst));
            conns.remove(new ConnectionId(dst, src));
            return out;
        }
        Conn c = lookup(src, dst, t);
        Half h = c.from(src);
        Half peer = c.to(src);
        if (t.syn()) {
            h.synSeen = true;
            h.isn = t.seq();
            TcpOption.WindowScale ws = t.option(TcpOption.WindowScale.class);
            h.wscale = ws == null ? null : ws.shift();
        }
        checkSequence(c, h, t, f, out);
        if (t.isAck()) {
            checkAck(c, h, peer, t, f, out);
        }
        all.addAll(out);
        return out;
    }

    /** Every violation seen so far, in order. */
    public List<Violation> violations() {
        return List.copyOf(all);
    }

    private record Frame(int index, long ticks, Direction direction, Endpoint sender) {
    }

    private Conn lookup(Endpoint src, Endpoint dst, TcpSegment t) {
        ConnectionId fwd = new ConnectionId(src, dst);
        ConnectionId rev = new ConnectionId(dst, src);
        Conn c = conns.get(fwd);
        if (c == null) {
            c = conns.get(rev);
        }
        boolean freshSyn = t.syn() && !t.isAck();
        if (c != null && freshSyn && c.from(src).synSeen && !t.seq().equals(c.from(src).isn)) {
            // A new incarnation (a new ISN on the same 4-tuple): the old connection's numbers no longer apply.
            conns.remove(c.id);
            c = null;
        }
        if (c == null) {
            c = new Conn(fwd);
            conns.put(fwd, c);
        }
        return c;
    }

    private void checkSequence(Conn c, Half h, TcpSegment t, Frame f, List<Violation> out) {
        SeqNumber seq = t.seq();
        int data = t.payload().length();
        SeqNumber dataStart = seq.plus(t.syn() ? 1 : 0);
        SeqNumber dataEnd = dataStart.plus(data);
        if (h.fin != null) {
            if (data > 0 && dataEnd.isAfter(h.fin)) {
                out.add(v(Invariant.DATA_AFTER_FIN, c, f, "sent bytes [" + dataStart + ", " + dataEnd
                        + ") but its FIN was at " + h.fin));
            } else if (t.fin() && dataEnd.isAfter(h.fin)) {
                out.add(v(Invariant.DATA_AFTER_FIN, c, f, "sent a second FIN at " + dataEnd + " after its FIN at "
                        + h.fin));
            }
        } else if (t.fin()) {
            h.fin = dataEnd;
        }
        SeqNumber end = seq.plus(t.sequenceLength());
        h.sndMax = h.sndMax == null ? end : h.sndMax.max(end);
    }

    private void checkAck(Conn c, Half h, Half peer, TcpSegment t, Frame f, List<Violation> out) {
        SeqNumber ack = t.ack();
        if (peer.synSeen && ack.isAfter(peer.sndMax)) {
            out.add(v(Invariant.ACK_OF_UNSENT, c, f, "ack " + ack + " but " + peer.self + " has sent only up to "
                    + peer.sndMax + " (" + peer.sndMax.signedDistanceTo(ack) + " past it)"));
            return; // an ACK the peer must ignore says nothing about this sender's receive window
        }
        if (h.lastAck != null && ack.isBefore(h.lastAck)) {
            out.add(v(Invariant.SEQUENCE_BACKWARDS, c, f, "ack " + ack + " after it had acked " + h.lastAck + " ("
                    + ack.signedDistanceTo(h.lastAck) + " back)"));
        }
        if (h.maxEdge != null && ack.isAfter(h.maxEdge)) {
            out.add(v(Invariant.DATA_OUTSIDE_WINDOW, c, f, "ack " + ack + " is " + h.maxEdge.signedDistanceTo(ack)
                    + " past the right edge " + h.maxEdge + " it had advertised; now win " + t.window()));
        }
        h.lastAck = h.lastAck == null ? ack : h.lastAck.max(ack);
        if (!t.syn() && !c.scaleKnown()) {
            return;
        }
        int shift = t.syn() ? 0 : c.shiftOf(h);
        SeqNumber edge = ack.plus((long) t.window() << shift);
        if (h.lastEdge != null && edge.isBefore(h.lastEdge)) {
            out.add(v(Invariant.WINDOW_SHRUNK, c, f, "right edge " + edge + " (ack " + ack + " + win " + t.window()
                    + (shift == 0 ? "" : "<<" + shift) + ") is " + edge.signedDistanceTo(h.lastEdge)
                    + " before the edge " + h.lastEdge + " it advertised last"));
        }
        h.lastEdge = edge;
        h.maxEdge = h.maxEdge == null ? edge : h.maxEdge.max(edge);
    }

    private static Violation v(Invariant inv, Conn c, Frame f, String evidence) {
        return new Violation(inv, c.id, f.sender(), f.direction(), f.index(), f.ticks(), evidence);
    }
}
