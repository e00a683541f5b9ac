package dev.wirelab.emulator.replay;

import dev.wirelab.emulator.replay.RecordedFlow.RecordedPacket;
import dev.wirelab.emulator.wire.Icmpv4Message;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.UdpDatagram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Replays a UDP conversation or an ICMP echo exchange: each peer datagram goes out
 * once the guest has sent every datagram the recording has it send before that one
 * (and, with --timing, its gap has passed); the guest's datagrams are compared in
 * order with the recorded ones (UDP payload; ICMP type, code and body).
 */
final class DatagramReplay extends FlowReplay {
    private final List<RecordedPacket> recGuest = new ArrayList<>();
    /** For each packet of the flow: how many guest datagrams the recording has before it. */
    private final int[] guestBefore;
    private int next;
    private long waitingSince = -1;
    private long quietSince = -1;

    DatagramReplay(RecordedFlow flow, ReplayOptions options, Consumer<byte[]> wire) {
        super(flow, options, wire);
        guestBefore = new int[flow.packets().size()];
        for (int i = 0; i < flow.packets().size(); i++) {
            guestBefore[i] = recGuest.size();
            if (flow.packets().get(i).fromGuest()) {
                recGuest.add(flow.packets().get(i));
            }
        }
    }

    @Override
    boolean matches(Packet p) {
        if (p.ipv4() == null || !p.ipv4().source().equals(liveGuestIp) || !p.ipv4().destination().equals(livePeerIp)) {
            return false;
        }
        if (flow.protocol() == 17) {
            if (p.icmp() != null && p.icmp().type() == Icmpv4Message.DEST_UNREACHABLE) {
                // the quote is the IP header and the first 8 bytes of our datagram: its ports are enough
                Packet q = p.icmp().quoted();
                return q.ipv4() != null && q.ipv4().protocol() == 17 && q.ipv4().payload().length() >= 4
                        && q.ipv4().payload().u16(0) == livePeerPort && q.ipv4().payload().u16(2) == liveGuestPort;
            }
            return p.udp() != null && p.udp().sourcePort() == liveGuestPort && p.udp().destinationPort() == livePeerPort;
        }
        return p.icmp() != null && p.icmp().isEcho() && p.icmp().identifier() == flow.guestPort();
    }

    @Override
    void onGuest(Packet p, long now) {
        int k = guestSeen++;
        if (done) {
            return;
        }
        if (p.udp() == null && p.icmp().type() == Icmpv4Message.DEST_UNREACHABLE) {
            String actual = "sent ICMP destination unreachable (code " + p.icmp().code() + ")";
            if (k < recGuest.size()) {
                diverge(recGuest.get(k).frame(), recGuest.get(k).describe(), actual);
            } else {
                RecordedPacket last = flow.packets().get(flow.packets().size() - 1);
                diverge(last.frame(), "nothing from the guest after this", actual);
            }
            return;
        }
        String actual = p.udp() != null ? "sent UDP len " + p.udp().payload().length()
                : "sent ICMP type " + p.icmp().type();
        if (k >= recGuest.size()) {
            RecordedPacket last = recGuest.isEmpty() ? flow.packets().get(flow.packets().size() - 1) : recGuest.get(recGuest.size() - 1);
            diverge(last.frame(), "nothing more from the guest after this", actual);
            return;
        }
        RecordedPacket r = recGuest.get(k);
        boolean same = p.udp() != null ? Arrays.equals(p.udp().payload().toArray(), r.udp().payload().toArray())
                : p.icmp().type() == r.icmp().type() && p.icmp().code() == r.icmp().code()
                        && Arrays.equals(p.icmp().body().toArray(), r.icmp().body().toArray());
        if (!same) {
            String exp = r.udp() != null ? r.describe() + " " + TcpReplay.quote(r.udp().payload(), 0, 16) : r.describe();
            String act = p.udp() != null ? actual + " " + TcpReplay.quote(p.udp().payload(), 0, 16) : actual;
            diverge(r.frame(), exp, act);
            return;
        }
        accepted++;
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
        List<RecordedPacket> packets = flow.packets();
        while (next < packets.size()) {
            RecordedPacket r = packets.get(next);
            if (r.fromGuest()) {
                next++;
                continue;
            }
            if (guestSeen < guestBefore[next]) {
                return awaitGuest(now);
            }
            long at = notBefore(r);
            if (now < at) {
                return at;
            }
            waitingSince = -1;
            if (r.udp() != null) {
                send(UdpDatagram.builder().ports(livePeerPort, liveGuestPort).payload(r.udp().payload().toArray()));
            } else {
                Icmpv4Message m = r.icmp();
                send(m.toBuilder()); // checksum recomputed
            }
            sent++;
            next++;
        }
        if (guestSeen < recGuest.size()) {
            return awaitGuest(now);
        }
        if (quietSince < 0) {
            quietSince = now;
        }
        if (now >= quietSince + DRAIN) {
            done = true;
            return Long.MAX_VALUE;
        }
        return quietSince + DRAIN;
    }

    /**
     * The guest owes the flow its next recorded packet: wait up to {@link #STALL} of virtual time for
     * it, then the flow diverges on that packet. Returns when to look again.
     */
    private long awaitGuest(long now) {
        if (waitingSince < 0) {
            waitingSince = now;
        }
        if (now >= waitingSince + STALL) {
            RecordedPacket missing = recGuest.get(guestSeen);
            diverge(missing.frame(), missing.describe(), "sent nothing (waited " + STALL / SECOND + " s)");
            return Long.MAX_VALUE;
        }
        return waitingSince + STALL;
    }
}
