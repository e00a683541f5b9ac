package dev.wirelab.emulator.wire;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Valid sample frames of every kind the wire package decodes (test fixtures). */
final class Frames {
    static final MacAddress GUEST = MacAddress.parse("52:54:00:12:34:56");
    static final MacAddress HOST = MacAddress.parse("52:55:0a:00:02:02");
    static final Ipv4Address HOST_IP = Ipv4Address.parse("10.0.2.2");
    static final Ipv4Address GUEST_IP = Ipv4Address.parse("10.0.2.15");

    private Frames() {
    }

    static byte[] eth(EtherPayload p) {
        return EthernetFrame.builder().source(HOST).destination(GUEST).payload(p).encode();
    }

    static Ipv4Packet.Builder v4() {
        return Ipv4Packet.builder().source(HOST_IP).destination(GUEST_IP).identification(0x1234).dontFragment(true);
    }

    static Ipv6Packet.Builder v6() {
        return Ipv6Packet.builder().source("fe80::5055:aff:fe00:202").destination("fe80::5054:ff:fe12:3456")
                .flowLabel(0x12345);
    }

    static TcpSegment.Builder syn() {
        return TcpSegment.builder().ports(40000, 7).flags(TcpFlags.SYN).seq(1000).window(65535)
                .options(TcpOption.mss(1460), TcpOption.sackPermitted(), TcpOption.windowScale(7));
    }

    static TcpSegment.Builder dataSegment() {
        return TcpSegment.builder().ports(40000, 7).flags("P.").seq(1001).ack(0xfffffff0L).window(502)
                .options(TcpOption.nop(), TcpOption.nop(), TcpOption.timestamps(4_000_000_000L, 17),
                        TcpOption.sack(new TcpOption.SackBlock(SeqNumber.of(5), SeqNumber.of(10)),
                                new TcpOption.SackBlock(SeqNumber.of(0xfffffffeL), SeqNumber.of(3))))
                .payload("hello, wire".getBytes(StandardCharsets.US_ASCII));
    }

    /** Name → frame. */
    static Map<String, byte[]> all() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("tcp4 syn", eth(v4().payload(syn())));
        m.put("tcp4 data", eth(v4().payload(dataSegment())));
        m.put("tcp4 unknown option", eth(v4().payload(TcpSegment.builder().ports(1, 2).flags("S")
                .options(new TcpOption.Unknown(30, Bytes.fromHex("0102")), TcpOption.eol()))));
        m.put("tcp6 syn", eth(v6().payload(syn())));
        m.put("udp4", eth(v4().payload(UdpDatagram.builder().ports(5353, 53).payload(new byte[] {1, 2, 3}))));
        m.put("udp6", eth(v6().payload(UdpDatagram.builder().ports(5353, 53).payload(new byte[] {1, 2, 3, 4, 5}))));
        m.put("icmp echo", eth(v4().payload(Icmpv4Message.echoRequest(7, 1, new byte[] {9, 8, 7}))));
        byte[] quoted = v4().payload(syn()).encode();
        m.put("icmp unreachable", eth(v4().payload(Icmpv4Message.destinationUnreachable(
                Icmpv4Message.PORT_UNREACHABLE, java.util.Arrays.copyOf(quoted, 28)))));
        m.put("arp", eth(ArpPacket.request(HOST, HOST_IP, GUEST_IP).asPayload()));
        m.put("vlan tcp", EthernetFrame.builder().source(HOST).destination(GUEST).vlan(42)
                .payload(v4().payload(syn())).encode());
        m.put("ipv4 options", eth(v4().options(new byte[] {1, 7, 7, 4, 0, 0, 0, 0, 0}).payload(syn())));
        m.put("ipv4 fragment", eth(v4().dontFragment(false).moreFragments(true).payload(dataSegment())));
        m.put("ipv6 ext", eth(v6().nextHeader(IpProtocol.HOP_BY_HOP)
                .payload(concat(new byte[] {6, 0, 1, 4, 0, 0, 0, 0}, syn().encode(
                        Ipv6Address.parse("fe80::5055:aff:fe00:202"), Ipv6Address.parse("fe80::5054:ff:fe12:3456"))))));
        return m;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
