package dev.wirelab.emulator.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * A frame decoded as far as it goes: Ethernet → ARP | IPv4 | IPv6 → TCP | UDP |
 * ICMPv4 → payload. Never throws on bad input: whatever could not be decoded is
 * described in {@link #malformations()} (layer, field, offset in the frame, what
 * is wrong), and decoding stops at the first layer that cannot be read. Checksum
 * mismatches (IPv4 header, TCP, UDP, ICMP) are malformations too, and are also
 * listed with expected/actual values in {@link #checksumMismatches()}.
 *
 * <p>The frame is copied once; every layer is a view over that copy.
 */
public final class Packet {
    private final Bytes frame;
    private EthernetFrame ethernet;
    private ArpPacket arp;
    private IpPacket ip;
    private TcpSegment tcp;
    private UdpDatagram udp;
    private Icmpv4Message icmp;
    private Bytes payload = Bytes.EMPTY;
    private List<Malformation> malformations = List.of();
    private List<ChecksumMismatch> checksumMismatches = List.of();

    private Packet(Bytes frame) {
        this.frame = frame;
    }

    /** Decodes an Ethernet II frame (without FCS). */
    public static Packet parse(byte[] frame) {
        return parse(Bytes.of(frame));
    }

    /** Decodes an Ethernet II frame held in {@code frame} (offsets are reported relative to its origin). */
    public static Packet parse(Bytes frame) {
        Packet p = new Packet(frame);
        List<Malformation> problems = new ArrayList<>(0);
        try {
            p.ethernet = EthernetFrame.parse(frame);
            p.payload = p.ethernet.payload();
            switch (p.ethernet.etherType()) {
                case EtherType.ARP -> {
                    p.arp = ArpPacket.parse(p.payload);
                    p.payload = Bytes.EMPTY;
                }
                case EtherType.IPV4, EtherType.IPV6 -> p.decodeIp(p.payload, p.ethernet.etherType(), problems);
                default -> {
                }
            }
        } catch (ParseException e) {
            problems.addAll(e.malformations());
        }
        p.malformations = problems.isEmpty() ? List.of() : List.copyOf(problems);
        return p;
    }

    /** Decodes a bare IPv4 or IPv6 packet (link types RAW / IPV4 / IPV6), chosen by the version nibble. */
    public static Packet parseIp(byte[] packet) {
        Bytes b = Bytes.of(packet);
        Packet p = new Packet(b);
        List<Malformation> problems = new ArrayList<>(0);
        try {
            if (b.isEmpty()) {
                throw ParseException.of("ip", "version", 0, "empty packet");
            }
            int v = b.u8(0) >>> 4;
            p.decodeIp(b, v == 6 ? EtherType.IPV6 : EtherType.IPV4, problems);
        } catch (ParseException e) {
            problems.addAll(e.malformations());
        }
        p.malformations = problems.isEmpty() ? List.of() : List.copyOf(problems);
        return p;
    }

    private void decodeIp(Bytes data, int etherType, List<Malformation> problems) throws ParseException {
        payload = data;
        boolean truncated;
        if (etherType == EtherType.IPV4) {
            Ipv4Packet v4 = Ipv4Packet.parse(data, problems);
            ip = v4;
            truncated = v4.payload().length() < v4.totalLength() - v4.headerLength();
            if (!v4.checksumOk()) {
                addMismatch(new ChecksumMismatch(Ipv4Packet.LAYER, data.origin() + 10, v4.expectedChecksum(), v4.headerChecksum()));
            }
        } else {
            Ipv6Packet v6 = Ipv6Packet.parse(data, problems);
            ip = v6;
            truncated = v6.payload().length() < v6.payloadLength();
        }
        if (ip instanceof Ipv4Packet v4 && v4.isFragment()) {
            payload = v4.payload(); // the fragment's data; reassemble with Ipv4Reassembler
            return;
        }
        payload = ip.upperPayload();
        if (ip.isFragment()) {
            return;
        }
        Bytes up = ip.upperPayload();
        switch (ip.upperProtocol()) {
            case IpProtocol.TCP -> {
                tcp = TcpSegment.parse(up, problems);
                payload = tcp.payload();
                if (!truncated && !tcp.checksumOk(ip.source(), ip.destination())) {
                    ChecksumMismatch m = new ChecksumMismatch(TcpSegment.LAYER, up.origin() + 16,
                            tcp.expectedChecksum(ip.source(), ip.destination()), tcp.checksum());
                    addMismatch(m);
                    problems.add(m.toMalformation());
                }
            }
            case IpProtocol.UDP -> {
                udp = UdpDatagram.parse(up, problems);
                payload = udp.payload();
                if (!truncated && udp.raw().length() == udp.length() && !udp.checksumOk(ip.source(), ip.destination())) {
                    ChecksumMismatch m = new ChecksumMismatch(UdpDatagram.LAYER, up.origin() + 6,
                            udp.expectedChecksum(ip.source(), ip.destination()), udp.checksum());
                    addMismatch(m);
                    problems.add(m.toMalformation());
                }
            }
            case IpProtocol.ICMP -> {
                if (ip instanceof Ipv4Packet) {
                    icmp = Icmpv4Message.parse(up, problems);
                    payload = icmp.body();
                    if (!truncated && !icmp.checksumOk()) {
                        ChecksumMismatch m = new ChecksumMismatch(Icmpv4Message.LAYER, up.origin() + 2, icmp.expectedChecksum(),
                                icmp.checksum());
                        addMismatch(m);
                        problems.add(m.toMalformation());
                    }
                }
            }
            default -> {
            }
        }
    }

    private void addMismatch(ChecksumMismatch m) {
        if (checksumMismatches.isEmpty()) {
            checksumMismatches = new ArrayList<>(1);
        }
        checksumMismatches.add(m);
    }

    /** The frame as given. */
    public Bytes frame() {
        return frame;
    }

    public EthernetFrame ethernet() {
        return ethernet;
    }

    public ArpPacket arp() {
        return arp;
    }

    /** The IP layer (IPv4 or IPv6), or null. */
    public IpPacket ip() {
        return ip;
    }

    public Ipv4Packet ipv4() {
        return ip instanceof Ipv4Packet v4 ? v4 : null;
    }

    public Ipv6Packet ipv6() {
        return ip instanceof Ipv6Packet v6 ? v6 : null;
    }

    public TcpSegment tcp() {
        return tcp;
    }

    public UdpDatagram udp() {
        return udp;
    }

    public Icmpv4Message icmp() {
        return icmp;
    }

    /** The innermost bytes that no decoded layer claimed (TCP/UDP payload, ICMP body, or the undecoded rest). */
    public Bytes payload() {
        return payload;
    }

    public List<Malformation> malformations() {
        return malformations;
    }

    public boolean isWellFormed() {
        return malformations.isEmpty();
    }

    public List<ChecksumMismatch> checksumMismatches() {
        return checksumMismatches.isEmpty() ? List.of() : List.copyOf(checksumMismatches);
    }

    /** Throws if anything was malformed. */
    public Packet requireWellFormed() throws ParseException {
        if (!malformations.isEmpty()) {
            throw new ParseException(malformations);
        }
        return this;
    }

    private static String endpoint(IpAddress a, int port) {
        return a instanceof Ipv6Address ? "[" + a + "]:" + port : a + ":" + port;
    }

    /**
     * A tcpdump-like one-liner, e.g.
     * {@code 10.0.2.2:40000 > 10.0.2.15:7 [S] seq 1000 win 65535 <mss 1460,sackOK,wscale 7>}.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(96);
        if (tcp != null) {
            sb.append(endpoint(ip.source(), tcp.sourcePort())).append(" > ")
                    .append(endpoint(ip.destination(), tcp.destinationPort())).append(' ').append(tcp.describe());
        } else if (udp != null) {
            sb.append(endpoint(ip.source(), udp.sourcePort())).append(" > ")
                    .append(endpoint(ip.destination(), udp.destinationPort())).append(" UDP length ")
                    .append(udp.payload().length());
        } else if (icmp != null) {
            sb.append(ip.source()).append(" > ").append(ip.destination()).append(' ').append(icmp);
        } else if (ip != null) {
            sb.append(ip);
        } else if (arp != null) {
            sb.append(arp);
        } else if (ethernet != null) {
            sb.append(ethernet);
        } else {
            sb.append(frame.length()).append(" bytes");
        }
        if (!malformations.isEmpty()) {
            sb.append(" !malformed: ").append(malformations.getFirst());
            if (malformations.size() > 1) {
                sb.append(" (+").append(malformations.size() - 1).append(" more)");
            }
        }
        return sb.toString();
    }
}
