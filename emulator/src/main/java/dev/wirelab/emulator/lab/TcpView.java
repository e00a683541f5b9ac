package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.wire.SeqNumber;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpOption;
import dev.wirelab.emulator.wire.TcpSegment;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The peer's TCP segments with the guest as a script reads them: sequence and ack numbers relative
 * to each side's ISN ({@code trace.tcp}), and the connection's state as the peer sees it
 * ({@code lab.conn}).
 */
public final class TcpView {
    private TcpView() { }

    /**
     * One TCP segment between the peer and the guest: {@code direction} "in" (to the guest) or "out";
     * {@code seq} relative to the sender's ISN, {@code ack} to the receiver's (absolute when unknown).
     */
    public record Segment(long ticks, String direction, int peerPort, int guestPort, String flags, long seq, long ack,
                          int win, int len, List<TcpOption> options) {
        public Segment {
            options = List.copyOf(options);
        }

        public boolean isOut() {
            return direction.equals("out");
        }

        /** packetdrill's notation: {@code 0.102272 > S. 0:0(0) ack 1 win 23360 <mss 1460>}. */
        @Override
        public String toString() {
            return String.format("%.6f %s %s %d:%d(%d)%s win %d%s", ticks / (double) dev.wirelab.emulator.time.VirtualClock.FREQUENCY_HZ,
                    isOut() ? ">" : "<", flags, seq, seq + len, len, flags.contains(".") ? " ack " + ack : "", win,
                    options.isEmpty() ? "" : " <" + options.stream().map(Object::toString).collect(Collectors.joining(",")) + ">");
        }
    }

    /**
     * The connection as the peer sees it (all relative to the ISNs): the guest's {@code sndUna} (what
     * the peer acknowledged), {@code sndNxt} (the highest the guest sent), {@code rcvNxt} (what the
     * guest acknowledged of the peer's data) and {@code window} (the guest's last advertised window).
     */
    public record Conn(int peerPort, int guestPort, long sndUna, long sndNxt, long rcvNxt, int window) {
        @Override
        public String toString() {
            return String.format("conn %d<->%d: snd.una %d snd.nxt %d rcv.nxt %d window %d", peerPort, guestPort,
                    sndUna, sndNxt, rcvNxt, window);
        }
    }

    static List<Segment> segments(Lab lab) {
        List<Segment> out = new ArrayList<>();
        for (FrameEvent f : lab.trace.getFrames()) {
            var p = f.getPacket();
            TcpSegment t = p.tcp();
            if (t == null || p.ipv4() == null) {
                continue;
            }
            boolean guestSent = p.ipv4().source().equals(Lab.GUEST_IP) && p.ipv4().destination().equals(Lab.PEER_IP);
            boolean peerSent = p.ipv4().source().equals(Lab.PEER_IP) && p.ipv4().destination().equals(Lab.GUEST_IP);
            if (!guestSent && !peerSent) {
                continue;
            }
            int peerPort = guestSent ? t.destinationPort() : t.sourcePort();
            int guestPort = guestSent ? t.sourcePort() : t.destinationPort();
            Lab.Flow flow = lab.flow(peerPort, guestPort);
            long seq = relative(flow, guestSent, t.seq());
            long ack = relative(flow, !guestSent, t.ack());
            out.add(new Segment(f.ticks(), guestSent ? "out" : "in", peerPort, guestPort, TcpFlags.format(t.flags()), seq, ack,
                    t.window(), t.payload().length(), t.options()));
        }
        return out;
    }

    private static long relative(Lab.Flow flow, boolean guestSide, SeqNumber s) {
        if (flow == null) {
            return s.value();
        }
        var side = guestSide ? flow.guest : flow.peer;
        return side.known() ? side.relative(s) : s.value();
    }

    /** The state of the most recent connection (the one of the last segment), or null when there was none. */
    static Conn conn(Lab lab) {
        List<Segment> segs = segments(lab);
        if (segs.isEmpty()) {
            return null;
        }
        Segment last = segs.get(segs.size() - 1);
        long sndUna = 0;
        long sndNxt = 0;
        long rcvNxt = 0;
        int window = 0;
        for (Segment s : segs) {
            if (s.peerPort() != last.peerPort() || s.guestPort() != last.guestPort()) {
                continue;
            }
            if (s.isOut()) {
                long len = s.len() + (s.flags().contains("S") ? 1 : 0) + (s.flags().contains("F") ? 1 : 0);
                sndNxt = Math.max(sndNxt, s.seq() + len);
                if (s.flags().contains(".")) {
                    rcvNxt = Math.max(rcvNxt, s.ack());
                }
                window = s.win();
            } else if (s.flags().contains(".")) {
                sndUna = Math.max(sndUna, s.ack());
            }
        }
        return new Conn(last.peerPort(), last.guestPort(), sndUna, sndNxt, rcvNxt, window);
    }
}
