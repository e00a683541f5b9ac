package dev.wirelab.emulator.replay;

import dev.wirelab.emulator.capture.CaptureFormatException;
import dev.wirelab.emulator.capture.CaptureReader;
import dev.wirelab.emulator.capture.CapturedFrame;
import dev.wirelab.emulator.replay.RecordedFlow.RecordedPacket;
import dev.wirelab.emulator.wire.Icmpv4Message;
import dev.wirelab.emulator.wire.IpProtocol;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.TcpSegment;
import dev.wirelab.emulator.wire.UdpDatagram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a capture into TCP, UDP and ICMP-echo conversations over IPv4 and decides
 * which side of each the guest plays.
 *
 * <p>The guest's recorded address: {@link ReplayOptions#guestIp()}, else the source
 * of an address map onto the guest's live address, else the receiver of the first
 * TCP SYN (the server), else the destination of the first packet. Where both ends
 * share that address (a loopback capture), the guest plays the TCP server, or the
 * side that received the flow's first packet.
 */
final class FlowSelector {
    private FlowSelector() { }

    /** Both directions of a conversation in one key: the lower (address, port) first. */
    private record Key(int protocol, long a, long b) {
        static Key of(int protocol, Ipv4Address src, int sport, Ipv4Address dst, int dport) {
            long x = (src.bits() & 0xffff_ffffL) << 16 | sport;
            long y = (dst.bits() & 0xffff_ffffL) << 16 | dport;
            return new Key(protocol, Math.min(x, y), Math.max(x, y));
        }
    }

    private record Raw(int frame, long ts, Ipv4Packet ip, TcpSegment tcp, UdpDatagram udp, Icmpv4Message icmp,
            int srcPort, int dstPort) { }

    static List<RecordedFlow> select(String file, CaptureReader.Capture capture, ReplayOptions options,
            List<String> warnings) throws ReplayInputException {
        Map<Key, List<Raw>> open = new LinkedHashMap<>();
        List<List<Raw>> flows = new ArrayList<>();
        List<CapturedFrame> frames = capture.frames();
        for (int i = 0; i < frames.size(); i++) {
            Packet p;
            try {
                p = frames.get(i).decode();
            } catch (CaptureFormatException e) {
                throw new ReplayInputException(file + ": frame " + (i + 1) + ": " + e.getMessage());
            }
            Ipv4Packet ip = p.ipv4();
            if (ip == null || ip.isFragment()) {
                continue;
            }
            Raw r;
            if (frames.get(i).isTruncated() && (p.tcp() != null || p.udp() != null || p.icmp() != null)) {
                throw new ReplayInputException(file + ": frame " + (i + 1) + " was captured truncated ("
                        + frames.get(i).capturedLength() + " of " + frames.get(i).originalLength()
                        + " bytes): its payload cannot be replayed; capture again with the full snap length (tcpdump -s 0)");
            }
            if (p.tcp() != null) {
                r = new Raw(i + 1, frames.get(i).timestampNanos(), ip, p.tcp(), null, null, p.tcp().sourcePort(),
                        p.tcp().destinationPort());
            } else if (p.udp() != null) {
                r = new Raw(i + 1, frames.get(i).timestampNanos(), ip, null, p.udp(), null, p.udp().sourcePort(),
                        p.udp().destinationPort());
            } else if (p.icmp() != null && p.icmp().isEcho()) {
                int id = p.icmp().identifier();
                r = new Raw(i + 1, frames.get(i).timestampNanos(), ip, null, null, p.icmp(), id, id);
            } else {
                continue;
            }
            int proto = r.tcp != null ? IpProtocol.TCP : r.udp != null ? IpProtocol.UDP : IpProtocol.ICMP;
            Key key = Key.of(proto, ip.source(), r.srcPort, ip.destination(), r.dstPort);
            List<Raw> flow = open.get(key);
            if (flow != null && r.tcp != null && r.tcp.syn() && !r.tcp.isAck() && startsAnother(flow, r.tcp)) {
                flow = null; // the 4-tuple is used again by a new connection: a flow of its own
            }
            if (flow == null) {
                flow = new ArrayList<>();
                open.put(key, flow);
                flows.add(flow);
            }
            flow.add(r);
        }
        if (flows.isEmpty()) {
            throw new ReplayInputException(file + ": no TCP, UDP or ICMP echo over IPv4 in its " + frames.size()
                    + " frames: nothing to replay");
        }
        Ipv4Address guestIp = options.guestIp();
        ReplayOptions.Side side = ReplayOptions.Side.ANY;
        for (ReplayOptions.Mapping m : options.maps()) {
            if (m instanceof ReplayOptions.AddressMap a && (guestIp == null && a.to().equals(options.guestAddress())
                    || a.from().equals(guestIp) && a.side() != ReplayOptions.Side.ANY)) {
                guestIp = a.from();
                side = a.side();
            }
        }
        if (guestIp == null) {
            guestIp = firstServer(flows);
        }
        List<RecordedFlow> out = new ArrayList<>();
        int midStream = 0;
        int others = 0;
        for (List<Raw> f : flows) {
            Raw first = f.get(0);
            if (!first.ip.source().equals(guestIp) && !first.ip.destination().equals(guestIp)) {
                others++;
                continue;
            }
            if (first.tcp != null && f.stream().noneMatch(r -> r.tcp.syn() && !r.tcp.isAck())) {
                midStream++;
                warnings.add("TCP " + first.ip.source() + ":" + first.srcPort + " > " + first.ip.destination() + ":"
                        + first.dstPort + " (frame " + first.frame + ") has no SYN in the capture: not replayed "
                        + "(a live stack needs the handshake)");
                continue;
            }
            // The guest plays the receiver of the pure SYN (or of the first packet) when it has the address.
            Raw opener = f.stream().filter(r -> r.tcp != null && r.tcp.syn() && !r.tcp.isAck()).findFirst().orElse(first);
            boolean guestIsSender = !opener.ip.destination().equals(guestIp)
                    || side == ReplayOptions.Side.CLIENT && opener.ip.source().equals(guestIp);
            Ipv4Address gIp = guestIsSender ? opener.ip.source() : opener.ip.destination();
            int gPort = guestIsSender ? opener.srcPort : opener.dstPort;
            Ipv4Address pIp = guestIsSender ? opener.ip.destination() : opener.ip.source();
            int pPort = guestIsSender ? opener.dstPort : opener.srcPort;
            List<RecordedPacket> packets = new ArrayList<>(f.size());
            for (Raw r : f) {
                boolean fromGuest = r.ip.source().equals(gIp) && r.srcPort == gPort;
                if (gIp.equals(pIp) && gPort == pPort) {
                    // loopback ICMP echo: only the type tells the sides apart
                    fromGuest = r.icmp != null && (r.icmp.type() == Icmpv4Message.ECHO_REPLY) != guestIsSender;
                }
                packets.add(new RecordedPacket(r.frame, r.ts, fromGuest, r.tcp, r.udp, r.icmp));
            }
            out.add(new RecordedFlow(packets.get(0).tcp() != null ? IpProtocol.TCP
                    : packets.get(0).udp() != null ? IpProtocol.UDP : IpProtocol.ICMP, gIp, gPort, !guestIsSender, pIp, pPort,
                    packets));
        }
        if (others > 0 && !out.isEmpty()) {
            warnings.add(others + " flow" + (others == 1 ? "" : "s") + " without the guest address " + guestIp
                    + " not replayed");
        }
        if (out.isEmpty() && midStream > 0) {
            throw new ReplayInputException(file + ": every TCP flow for guest address " + guestIp
                    + " starts mid-connection (no SYN captured): nothing to replay");
        }
        if (out.isEmpty()) {
            throw new ReplayInputException(file + ": no flow has the guest address " + guestIp + " (flows: "
                    + flowList(flows) + "); name the recorded address of the side the guest replaces with --guest-ip");
        }
        return out;
    }

    /** The receiver of the first pure SYN in the capture, else the destination of the first flow's first packet. */
    /**
     * Whether a pure SYN on a 4-tuple already seen opens a new connection: yes unless
     * it repeats the flow's SYN (same ISN: a retransmission).
     */
    private static boolean startsAnother(List<Raw> flow, TcpSegment syn) {
        for (Raw r : flow) {
            if (r.tcp.syn() && !r.tcp.isAck()) {
                return !r.tcp.seq().equals(syn.seq());
            }
        }
        return true;
    }

    private static Ipv4Address firstServer(List<List<Raw>> flows) {
        Raw earliest = null;
        for (List<Raw> f : flows) {
            for (Raw r : f) {
                if (r.tcp != null && r.tcp.syn() && !r.tcp.isAck() && (earliest == null || r.frame < earliest.frame)) {
                    earliest = r;
                }
            }
        }
        if (earliest != null) {
            return earliest.ip.destination();
        }
        return flows.get(0).get(0).ip.destination();
    }

    private static String flowList(List<List<Raw>> flows) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (List<Raw> f : flows) {
            if (n++ == 3) {
                sb.append(", ...");
                break;
            }
            Raw r = f.get(0);
            if (n > 1) {
                sb.append(", ");
            }
            sb.append(r.ip.source()).append(':').append(r.srcPort).append(" > ").append(r.ip.destination()).append(':')
                    .append(r.dstPort);
        }
        return sb.toString();
    }
}
