package dev.wirelab.fuzz.exec;

import dev.wirelab.emulator.lab.FrameEvent;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.TcpOption;
import dev.wirelab.emulator.wire.TcpSegment;
import dev.wirelab.fuzz.input.Rel;
import java.util.List;

/**
 * The live sequence-space state of the peer's connection slots, learnt from what the peer sent and
 * what the guest put on the wire: what {@link Rel} anchors resolve to. A value, copied at the
 * snapshot and put back with it.
 */
final class ConnTracker {
    static final int SLOTS = 4;
    static final int BASE_PORT = 40000;
    static final long PEER_ISN = 1_000_000;

    private static final class Slot {
        long peerNext;
        long guestNext;
        long guestAcked;
        long rcvNext;
        long rcvWindow;
        boolean guestSeen;
        boolean peerScale;
        int guestShift;

        Slot copy() {
            Slot s = new Slot();
            s.peerNext = peerNext;
            s.guestNext = guestNext;
            s.guestAcked = guestAcked;
            s.rcvNext = rcvNext;
            s.rcvWindow = rcvWindow;
            s.guestSeen = guestSeen;
            s.peerScale = peerScale;
            s.guestShift = guestShift;
            return s;
        }
    }

    /** The guest port of each slot: slots 0-2 the agent's listening port, slot 3 the guest's own service. */
    private final int[] guestPorts;
    private final Slot[] slots = new Slot[SLOTS];
    private int framesSeen;

    ConnTracker(int listenPort, int servicePort) {
        this.guestPorts = new int[] {listenPort, listenPort, listenPort, servicePort};
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Slot();
            slots[i].peerNext = PEER_ISN + ((long) i << 24);
            slots[i].rcvNext = slots[i].peerNext;
        }
    }

    private ConnTracker(ConnTracker o) {
        this.guestPorts = o.guestPorts;
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = o.slots[i].copy();
        }
        this.framesSeen = o.framesSeen;
    }

    ConnTracker copy() {
        return new ConnTracker(this);
    }

    static int peerPort(int slot) {
        return BASE_PORT + slot;
    }

    int guestPort(int slot) {
        return guestPorts[slot];
    }

    /** The absolute 32-bit value {@code r} stands for on connection {@code slot} now. */
    long resolve(int slot, Rel r) {
        Slot s = slots[slot];
        long base = switch (r.anchor()) {
            case PEER_NEXT -> s.peerNext;
            case WINDOW_EDGE -> s.rcvNext + s.rcvWindow;
            case GUEST_NEXT -> s.guestNext;
            case GUEST_ACKED -> s.guestAcked;
        };
        return (base + r.offset()) & 0xffff_ffffL;
    }

    /** Records a segment the peer sent on {@code slot}. */
    void peerSent(int slot, int flags, long seq, int payloadLength, long ack, boolean windowScaleOption) {
        Slot s = slots[slot];
        boolean syn = (flags & 0x002) != 0;
        long end = (seq + payloadLength + (syn ? 1 : 0) + ((flags & 0x001) != 0 ? 1 : 0)) & 0xffff_ffffL;
        if (syn) {
            s.peerNext = end;
            s.peerScale = windowScaleOption;
        } else if (!after(seq, s.peerNext) && after(end, s.peerNext)) {
            s.peerNext = end;
        }
        if ((flags & 0x010) != 0 && after(ack, s.guestAcked) && !after(ack, s.guestNext)) {
            s.guestAcked = ack;
        }
    }

    /** Learns from guest frames recorded since the last call (the lab's frame list, in order). */
    void observe(List<FrameEvent> frames) {
        for (int i = framesSeen; i < frames.size(); i++) {
            FrameEvent f = frames.get(i);
            if (f.isOut()) {
                guestFrame(f.bytes());
            }
        }
        framesSeen = frames.size();
    }

    private void guestFrame(byte[] frame) {
        TcpSegment t;
        try {
            t = Packet.parse(frame).tcp();
        } catch (RuntimeException e) {
            return;
        }
        if (t == null) {
            return;
        }
        int slot = t.destinationPort() - BASE_PORT;
        if (slot < 0 || slot >= SLOTS || t.sourcePort() != guestPorts[slot]) {
            return;
        }
        Slot s = slots[slot];
        long seq = t.seq().value();
        long end = (seq + t.sequenceLength()) & 0xffff_ffffL;
        if (t.syn()) {
            s.guestNext = end;
            s.guestAcked = seq;
            s.guestSeen = true;
            s.guestShift = 0;
            for (TcpOption o : t.options()) {
                if (o instanceof TcpOption.WindowScale w && s.peerScale) {
                    s.guestShift = Math.min(w.shift(), 14);
                }
            }
        } else if (!s.guestSeen || after(end, s.guestNext)) {
            s.guestNext = end;
            s.guestSeen = true;
        }
        if (t.isAck()) {
            s.rcvNext = t.ack().value();
            s.rcvWindow = t.syn() ? t.window() : (long) t.window() << s.guestShift;
        }
    }

    /** a is after b in sequence space. */
    static boolean after(long a, long b) {
        return (int) (a - b) > 0;
    }
}
