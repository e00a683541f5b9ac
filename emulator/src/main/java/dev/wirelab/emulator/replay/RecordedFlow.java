package dev.wirelab.emulator.replay;

import dev.wirelab.emulator.wire.Icmpv4Message;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpSegment;
import dev.wirelab.emulator.wire.UdpDatagram;

import java.util.List;

/**
 * One conversation from the capture, seen from the guest's side: which recorded
 * endpoint the guest plays, which the peer, and every packet in capture order.
 *
 * @param protocol {@link dev.wirelab.emulator.wire.IpProtocol} number (TCP, UDP or ICMP)
 * @param guestPort the guest endpoint's port (ICMP: the echo identifier)
 * @param guestIsServer the guest plays the side that was sent the SYN (UDP, ICMP: the first packet)
 */
public record RecordedFlow(int protocol, Ipv4Address guestIp, int guestPort, boolean guestIsServer, Ipv4Address peerIp,
        int peerPort, List<RecordedPacket> packets) {
    public RecordedFlow {
        packets = List.copyOf(packets);
    }

    /**
     * One packet of the flow. {@code frame} is its 1-based number in the capture
     * (as Wireshark counts); exactly one of {@code tcp}, {@code udp}, {@code icmp} is set.
     */
    public record RecordedPacket(int frame, long timestampNanos, boolean fromGuest, TcpSegment tcp, UdpDatagram udp,
            Icmpv4Message icmp) {
        /** tcpdump-like, e.g. {@code [S.] len 0} / {@code UDP len 12}. */
        public String describe() {
            if (tcp != null) {
                return "[" + TcpFlags.format(tcp.flags()) + "]" + (tcp.payload().isEmpty() ? "" : " len " + tcp.payload().length());
            }
            if (udp != null) {
                return "UDP len " + udp.payload().length();
            }
            return "ICMP type " + icmp.type();
        }
    }

    public String describe() {
        String p = switch (protocol) {
            case 6 -> "TCP";
            case 17 -> "UDP";
            default -> "ICMP";
        };
        return p + " " + peerIp + ":" + peerPort + " <> guest " + guestIp + ":" + guestPort;
    }
}
