package dev.wirelab.emulator.net;

import dev.wirelab.emulator.board.StateLists;
import dev.wirelab.emulator.wire.Icmpv4Message;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.Ipv4Packet;

import java.util.ArrayList;
import java.util.List;

/**
 * ICMP echo on the host side: answers the guest's pings to 10.0.2.2 and 10.0.2.3,
 * and pings the guest ({@link #ping}) recording each reply with its virtual
 * round-trip time.
 */
public final class IcmpEchoResponder {
    /** Host ping identifier ("WL"). */
    public static final int IDENTIFIER = 0x574c;
    /** Replies kept at most (the oldest are forgotten). */
    static final int REPLY_LIMIT = 4096;

    /** A reply the guest sent to one of the host's pings. */
    public record Reply(int sequence, int length, long sentTick, long receivedTick) {
        public long rttTicks() {
            return receivedTick - sentTick;
        }
    }

    record State(int nextSequence, List<Long> sentTicks, List<Reply> replies, long answered) {
        State {
            sentTicks = List.copyOf(sentTicks);
            replies = List.copyOf(replies);
        }
    }

    private final VirtualWire wire;
    private int nextSequence;
    /** Virtual send time of each ping by sequence (index = sequence number, bounded by 65536). */
    private final List<Long> sentTicks = new ArrayList<>();
    private final List<Reply> replies = new ArrayList<>();
    private long answered;

    IcmpEchoResponder(VirtualWire wire) {
        this.wire = wire;
    }

    boolean onIcmp(Ipv4Packet ip, Icmpv4Message m) {
        if (m.type() == Icmpv4Message.ECHO_REQUEST && m.code() == 0 && ip.destination() instanceof Ipv4Address dst
                && ArpResponder.isHostAddress(dst) && ip.source() instanceof Ipv4Address src) {
            answered++;
            wire.sendIpv4(dst, src, Icmpv4Message.echoReply(m.identifier(), m.sequence(), m.body().toArray()));
            return true;
        }
        if (m.type() == Icmpv4Message.ECHO_REPLY && m.identifier() == IDENTIFIER) {
            int seq = m.sequence();
            long sent = seq < sentTicks.size() ? sentTicks.get(seq) : -1;
            if (replies.size() >= REPLY_LIMIT) {
                replies.removeFirst();
            }
            replies.add(new Reply(seq, m.body().length(), sent, wire.now()));
            return true;
        }
        return false;
    }

    /** Sends an echo request with {@code payloadBytes} bytes (a fixed pattern) to {@code target}; returns its sequence number. */
    public int ping(Ipv4Address target, int payloadBytes) {
        if (payloadBytes < 0 || payloadBytes > 1472) {
            throw new IllegalArgumentException("ping payload of " + payloadBytes + " bytes: use 0..1472 (no fragmentation)");
        }
        if (nextSequence > 0xffff) {
            throw new IllegalStateException("65536 pings sent: sequence numbers exhausted");
        }
        int seq = nextSequence++;
        byte[] data = new byte[payloadBytes];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (seq + i);
        }
        sentTicks.add(wire.now());
        wire.sendIpv4(VirtualWire.HOST_IP, target, Icmpv4Message.echoRequest(IDENTIFIER, seq, data));
        return seq;
    }

    public int ping(String target) {
        return ping(Ipv4Address.parse(target), 56);
    }

    /** True once the guest answered ping {@code sequence}. */
    public boolean answered(int sequence) {
        for (Reply r : replies) {
            if (r.sequence() == sequence) {
                return true;
            }
        }
        return false;
    }

    public List<Reply> replies() {
        return List.copyOf(replies);
    }

    /** Echo requests from the guest that the host answered. */
    public long requestsAnswered() {
        return answered;
    }

    State save() {
        return new State(nextSequence, sentTicks, replies, answered);
    }

    void restore(State s) {
        nextSequence = s.nextSequence();
        StateLists.restore(sentTicks, s.sentTicks());
        StateLists.restore(replies, s.replies());
        answered = s.answered();
    }
}
