package dev.wirelab.emulator.replay;

import dev.wirelab.emulator.time.VirtualClock;
import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.IpPayload;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.Packet;

import java.util.function.Consumer;

/**
 * The replay of one recorded flow against the live guest: the peer's side is sent,
 * the guest's side is compared. Driven by the replayer on the board's event queue:
 * {@link #onGuest} for each of the guest's packets on this flow, {@link #pump} at
 * the deadlines it asks for. No host time, no threads.
 */
abstract sealed class FlowReplay permits TcpReplay, DatagramReplay {
    /** Ticks per virtual second. */
    static final long SECOND = VirtualClock.FREQUENCY_HZ;
    /** How long the replay waits for the guest's recorded answer before calling it missing. */
    static final long STALL = 5 * SECOND;
    /** After the last exchange, how long extra guest packets are still collected. */
    static final long DRAIN = SECOND / 2;

    final RecordedFlow flow;
    final ReplayOptions options;
    final Ipv4Address liveGuestIp;
    final int liveGuestPort;
    final Ipv4Address livePeerIp;
    final int livePeerPort;
    private final Consumer<byte[]> wire;
    private int ipId = 1;
    long startTick = -1;
    final long firstNanos;
    int sent;
    int accepted;
    int retransmitted;
    int acksAdded;
    int guestSeen;
    ReplayReport.Divergence divergence;
    boolean done;

    FlowReplay(RecordedFlow flow, ReplayOptions options, Consumer<byte[]> wire) {
        this.flow = flow;
        this.options = options;
        this.wire = wire;
        Ipv4Address guest = options.guestAddress();
        for (ReplayOptions.Mapping m : options.maps()) {
            if (m instanceof ReplayOptions.AddressMap a && a.appliesTo(flow.guestIp(), flow.guestIsServer())) {
                guest = a.to(); // a guest configured with another address than the default guest's
            }
        }
        this.liveGuestIp = guest;
        this.liveGuestPort = mapPort(options, flow.guestPort());
        Ipv4Address peer = options.peerAddress();
        for (ReplayOptions.Mapping m : options.maps()) {
            // a map without a side names the guest's address when both ends share it (loopback)
            if (m instanceof ReplayOptions.AddressMap a && a.appliesTo(flow.peerIp(), !flow.guestIsServer())
                    && (a.side() != ReplayOptions.Side.ANY || !flow.peerIp().equals(flow.guestIp()))) {
                peer = a.to();
            }
        }
        this.livePeerIp = peer;
        this.livePeerPort = mapPort(options, flow.peerPort());
        this.firstNanos = flow.packets().get(0).timestampNanos();
    }

    static int mapPort(ReplayOptions options, int port) {
        for (ReplayOptions.Mapping m : options.maps()) {
            if (m instanceof ReplayOptions.PortMap p && p.from() == port) {
                return p.to();
            }
        }
        return port;
    }

    static FlowReplay of(RecordedFlow flow, ReplayOptions options, Consumer<byte[]> wire) {
        return flow.protocol() == 6 ? new TcpReplay(flow, options, wire) : new DatagramReplay(flow, options, wire);
    }

    /** Whether {@code p} (sent by the guest) belongs to this flow. */
    abstract boolean matches(Packet p);

    /** A guest packet of this flow, at {@code now}. */
    abstract void onGuest(Packet p, long now);

    /** Sends what may be sent at {@code now}; returns the next tick it wants to be called (MAX_VALUE: none). */
    abstract long pump(long now);

    /** Recorded guest packets. */
    final int guestRecorded() {
        return (int) flow.packets().stream().filter(RecordedFlow.RecordedPacket::fromGuest).count();
    }

    final ReplayReport.FlowReport report() {
        return new ReplayReport.FlowReport(flow.describe() + " as " + livePeerIp + ":" + livePeerPort + " <> "
                + liveGuestIp + ":" + liveGuestPort, sent, accepted, retransmitted, acksAdded, guestSeen, guestRecorded(), divergence);
    }

    /** The earliest tick the recorded packet may go out with --timing (its gap from the flow's first packet). */
    final long notBefore(RecordedFlow.RecordedPacket p) {
        if (options.pacing() != ReplayOptions.Pacing.TIMING) {
            return 0;
        }
        return startTick + VirtualClock.ticksFromNanos(Math.max(0, p.timestampNanos() - firstNanos));
    }

    final void diverge(int frame, String expected, String actual) {
        if (divergence == null) {
            divergence = new ReplayReport.Divergence(frame, expected, actual);
        }
        done = true;
    }

    /** Wraps a transport payload from the peer to the guest in IPv4 and Ethernet and puts it on the wire. */
    final void send(IpPayload upper) {
        byte[] frame = EthernetFrame.builder().destination(options.guestMac()).source(options.peerMac())
                .payload(Ipv4Packet.builder().source(livePeerIp).destination(liveGuestIp).identification(ipId++ & 0xffff)
                        .dontFragment(true).ttl(64).payload(upper))
                .encode();
        wire.accept(frame);
    }
}
