package dev.wirelab.fuzz.finding;

import dev.wirelab.emulator.lab.FrameEvent;
import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.emulator.wire.TcpSegment;
import dev.wirelab.fuzz.exec.FuzzLab;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ISNs of the scripted peer's connections as a repro learns them from the exchange, frame by
 * frame, the way the lab's {@code tcp} builder (and the packetdrill runner on top of it) learns
 * them: the first SYN each way on a flow, keyed by the peer's port. Both repro writers number
 * sequence and ack fields relative to these.
 */
final class ReproFlows {
    private final Map<Integer, Long> peerIsn = new HashMap<>();
    private final Map<Integer, Long> guestIsn = new HashMap<>();

    /** Learns from {@code f} if it is the first SYN of its flow in its direction. */
    void learn(FrameEvent f) {
        TcpSegment t = f.getPacket().tcp();
        if (t == null || !t.syn()) {
            return;
        }
        if (f.isOut()) {
            // the lab's builder learns only from the guest's frames to the peer (not to 0.0.0.0 or another host)
            if (f.getPacket().ip().destination().equals(Lab.PEER_IP)) {
                guestIsn.putIfAbsent(t.destinationPort(), t.seq().value());
            }
        } else if (isInjected(f)) {
            peerIsn.putIfAbsent(t.sourcePort(), t.seq().value());
        }
    }

    /**
     * Learns from the target's setup and returns the handshake it injected (the peer's SYN and ACK);
     * {@code target} names the target in the error when the setup is not a handshake.
     */
    List<FrameEvent> handshake(List<FrameEvent> before, String target) {
        List<FrameEvent> handshake = new ArrayList<>();
        for (FrameEvent f : before) {
            learn(f);
            if (isInjected(f)) {
                handshake.add(f);
            }
        }
        if (handshake.size() != 2) {
            throw new IllegalStateException("the " + target + " setup injected " + handshake.size()
                    + " segments, not the handshake's SYN and ACK");
        }
        return handshake;
    }

    /**
     * The next frame the peer injected from {@code frames}, learning from every frame on the way and
     * handing the others to {@code passed}; null when none is left (the guest had ended).
     */
    FrameEvent nextInjected(Iterator<FrameEvent> frames, Consumer<FrameEvent> passed) {
        while (frames.hasNext()) {
            FrameEvent c = frames.next();
            learn(c);
            if (isInjected(c)) {
                return c;
            }
            passed.accept(c);
        }
        return null;
    }

    /** The peer's ISN on the flow from {@code peerPort}, or null before its SYN. */
    Long peer(int peerPort) {
        return peerIsn.get(peerPort);
    }

    /** The guest's ISN on the flow to {@code peerPort}, or null before its SYN. */
    Long guest(int peerPort) {
        return guestIsn.get(peerPort);
    }

    /** A frame the scripted peer injected: any of its connection slots, to the agent's port or the guest's service. */
    static boolean isInjected(FrameEvent f) {
        if (f.isOut()) {
            return false;
        }
        TcpSegment t = f.getPacket().tcp();
        return t != null && FuzzLab.isPeerPort(t.sourcePort());
    }

    /** {@code abs} relative to {@code isn} (a signed 32-bit step), or absolute when the ISN is not known yet. */
    static long relative(long abs, Long isn) {
        return isn == null ? abs : (int) (abs - isn);
    }
}
