package dev.wirelab.emulator.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PacketTest {
    @Test
    void synFrameReadsLikeTcpdump() {
        byte[] frame = Frames.eth(Frames.v4().payload(Frames.syn()));
        Packet p = Packet.parse(frame);
        assertTrue(p.isWellFormed(), p.malformations().toString());
        assertEquals("10.0.2.2:40000 > 10.0.2.15:7 [S] seq 1000 win 65535 <mss 1460,sackOK,wscale 7>", p.toString());
        assertEquals(66, frame.length);
        assertEquals(60, Frames.all().get("arp").length, "42-byte ARP frame padded to the Ethernet minimum");
        TcpSegment tcp = p.tcp();
        assertEquals(new TcpOption.Mss(1460), tcp.option(TcpOption.Mss.class));
        assertEquals(new TcpOption.WindowScale(7), tcp.options().get(2));
        assertEquals(8, tcp.dataOffset(), "20 + 9 option bytes padded to 32");
        assertEquals(1, tcp.sequenceLength());
        assertEquals(Frames.GUEST, p.ethernet().destination());
        assertEquals(52, p.ipv4().totalLength());
        assertTrue(p.ipv4().checksumOk());
        assertTrue(p.payload().isEmpty());
    }

    @Test
    void everySampleParsesCleanAndDescribesItself() {
        for (Map.Entry<String, byte[]> e : Frames.all().entrySet()) {
            Packet p = Packet.parse(e.getValue());
            assertTrue(p.isWellFormed(), e.getKey() + ": " + p.malformations());
            assertNotNull(p.toString());
        }
        assertEquals("10.0.2.2:40000 > 10.0.2.15:7 [P.] seq 1001 ack 4294967280 win 502 "
                + "<nop,nop,TS val 4000000000 ecr 17,sack 2 {5:10} {4294967294:3}> length 11",
                Packet.parse(Frames.all().get("tcp4 data")).toString());
        assertEquals("[fe80::5055:aff:fe00:202]:5353 > [fe80::5054:ff:fe12:3456]:53 UDP length 5",
                Packet.parse(Frames.all().get("udp6")).toString());
        assertEquals("10.0.2.2 > 10.0.2.15 ICMP echo request, id 7, seq 1, length 3",
                Packet.parse(Frames.all().get("icmp echo")).toString());
        assertEquals("ARP, Request who-has 10.0.2.15 tell 10.0.2.2", Packet.parse(Frames.all().get("arp")).toString());
        assertEquals("10.0.2.2:1 > 10.0.2.15:2 [S] seq 0 win 65535 <opt-30 0x0102>",
                Packet.parse(Frames.all().get("tcp4 unknown option")).toString());
    }

    @Test
    void vlanTagIsParsed() {
        Packet p = Packet.parse(Frames.all().get("vlan tcp"));
        assertEquals(List.of(new EthernetFrame.VlanTag(EtherType.VLAN, 0, false, 42)), p.ethernet().vlanTags());
        assertNotNull(p.tcp());
    }

    @Test
    void ipv4OptionsAndFragments() {
        Packet p = Packet.parse(Frames.all().get("ipv4 options"));
        Ipv4Packet ip = p.ipv4();
        assertEquals(8, ip.ihl());
        assertEquals(List.of(new Ipv4Packet.Ipv4Option(1, Bytes.EMPTY), new Ipv4Packet.Ipv4Option(7, Bytes.fromHex("0400000000")),
                new Ipv4Packet.Ipv4Option(0, Bytes.EMPTY)), ip.options());
        assertNotNull(p.tcp());

        Packet f = Packet.parse(Frames.all().get("ipv4 fragment"));
        assertTrue(f.ipv4().isFragment());
        assertNull(f.tcp(), "a fragment's transport header is not decoded");
    }

    @Test
    void ipv6ExtensionHeadersAreSkipped() {
        Packet p = Packet.parse(Frames.all().get("ipv6 ext"));
        assertEquals(List.of(IpProtocol.HOP_BY_HOP), p.ipv6().extensionHeaders());
        assertEquals(IpProtocol.TCP, p.ipv6().upperProtocol());
        assertTrue(p.isWellFormed(), p.malformations().toString());
        assertEquals(40000, p.tcp().sourcePort());
    }

    @Test
    void knownIpv4HeaderChecksum() throws ParseException {
        // RFC 1071-style worked example (a UDP packet header): checksum 0xb861
        Bytes hdr = Bytes.fromHex("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7");
        Ipv4Packet ip = Ipv4Packet.parse(hdr);
        assertEquals(0xb861, ip.expectedChecksum());
        assertTrue(ip.checksumOk());
        assertEquals(0xb861, Ipv4Packet.builder().source("192.168.0.1").destination("192.168.0.199").protocol(17)
                .dontFragment(true).totalLength(0x73).encode()[10] << 8 & 0xff00
                | Ipv4Packet.builder().source("192.168.0.1").destination("192.168.0.199").protocol(17)
                        .dontFragment(true).totalLength(0x73).encode()[11] & 0xff);
    }

    @Test
    void wrongChecksumsOnPurposeAreReportedWithExpectedValue() {
        byte[] good = Frames.eth(Frames.v4().payload(Frames.syn()));
        Packet goodP = Packet.parse(good);
        int rightTcp = goodP.tcp().checksum();
        int rightIp = goodP.ipv4().headerChecksum();

        byte[] bad = Frames.eth(Frames.v4().checksum(0xdead).payload(Frames.syn().checksum(0xbeef)));
        Packet p = Packet.parse(bad);
        assertFalse(p.isWellFormed());
        assertEquals(List.of(new ChecksumMismatch("ipv4", 24, rightIp, 0xdead), new ChecksumMismatch("tcp", 50, rightTcp, 0xbeef)),
                p.checksumMismatches());
        assertEquals("tcp.checksum @50: checksum 0xbeef, expected 0x" + Integer.toHexString(rightTcp),
                p.malformations().get(1).toString());
        ParseException e = assertThrows(ParseException.class, p::requireWellFormed);
        assertEquals(2, e.malformations().size());
    }

    @Test
    void udpAndIcmpChecksumsVerify() {
        for (String k : List.of("udp4", "udp6", "icmp echo", "icmp unreachable", "tcp6 syn")) {
            Packet p = Packet.parse(Frames.all().get(k));
            assertTrue(p.checksumMismatches().isEmpty(), k);
        }
        Packet p = Packet.parse(Frames.eth(Frames.v6().payload(UdpDatagram.builder().ports(1, 2).checksum(0x1111))));
        assertEquals("udp", p.checksumMismatches().getFirst().layer());
        Packet q = Packet.parse(Frames.eth(Frames.v4().payload(Icmpv4Message.echoReply(1, 2, new byte[0]).checksum(3))));
        assertEquals(new ChecksumMismatch("icmp", 36, q.icmp().expectedChecksum(), 3), q.checksumMismatches().getFirst());
    }

    @Test
    void malformationsNameLayerFieldAndOffset() {
        byte[] frame = Frames.eth(Frames.v4().payload(Frames.syn().dataOffset(15)));
        Packet p = Packet.parse(frame);
        assertEquals(new Malformation("tcp", "dataOffset", 46, "data offset 60 bytes but segment has only 32"),
                p.malformations().getFirst());
        assertNotNull(p.ipv4());
        assertNull(p.tcp());

        Packet t = Packet.parse(java.util.Arrays.copyOf(frame, 20));
        assertEquals(new Malformation("ipv4", "header", 14, "IPv4 header needs 20 bytes, got 6"), t.malformations().getFirst());

        byte[] trunc = java.util.Arrays.copyOf(Frames.all().get("tcp4 data"), 70);
        Packet u = Packet.parse(trunc);
        assertEquals("ipv4", u.malformations().getFirst().layer());
        assertEquals("totalLength", u.malformations().getFirst().field());
        assertTrue(u.toString().contains("!malformed: ipv4.totalLength @16: total length"), u.toString());
    }

    @Test
    void badTcpOptionsAreKeptAndReported() {
        byte[] frame = Frames.eth(Frames.v4().payload(TcpSegment.builder().ports(1, 2).flags("S")
                .rawOptions(new byte[] {2, 3, 5, (byte) 0xb4, 8, 40})));
        Packet p = Packet.parse(frame);
        List<TcpOption> opts = p.tcp().options();
        assertInstanceOf(TcpOption.Malformed.class, opts.get(0));
        assertEquals("options", p.malformations().getFirst().field());
        assertEquals(2, p.malformations().size(), p.malformations().toString());
        // re-encoding the parsed options reproduces the option bytes
        byte[] again = Frames.eth(Frames.v4().payload(p.tcp().toBuilder()));
        assertEquals(Bytes.of(frame), Bytes.of(again));
    }

    @Test
    void rewriteAddressesForReplay() {
        Packet p = Packet.parse(Frames.all().get("tcp4 data"));
        byte[] out = p.ethernet().toBuilder()
                .payload(p.ipv4().toBuilder().source("192.168.1.9").payload(p.tcp().toBuilder().sourcePort(1234)))
                .encode();
        Packet q = Packet.parse(out);
        assertTrue(q.isWellFormed(), q.malformations().toString());
        assertEquals("192.168.1.9:1234 > 10.0.2.15:7 [P.] seq 1001 ack 4294967280 win 502 "
                + "<nop,nop,TS val 4000000000 ecr 17,sack 2 {5:10} {4294967294:3}> length 11", q.toString());
        // unchanged copies are byte-identical
        assertEquals(Bytes.of(Frames.all().get("udp6")), Bytes.of(Packet.parse(Frames.all().get("udp6")).ethernet().toBuilder()
                .encode()));
        Packet u = Packet.parse(Frames.all().get("udp6"));
        assertEquals(Bytes.of(Frames.all().get("udp6")), Bytes.of(u.ethernet().toBuilder().payload(u.ipv6().toBuilder()
                .payload(u.udp().toBuilder())).encode()));
        Packet i = Packet.parse(Frames.all().get("icmp echo"));
        assertEquals(Bytes.of(Frames.all().get("icmp echo")), Bytes.of(i.ethernet().toBuilder().payload(i.ipv4().toBuilder()
                .payload(i.icmp().toBuilder())).encode()));
    }

    @Test
    void icmpUnreachableQuotesTheOriginal() {
        Packet p = Packet.parse(Frames.all().get("icmp unreachable"));
        assertEquals(Icmpv4Message.DEST_UNREACHABLE, p.icmp().type());
        Packet q = p.icmp().quoted();
        assertEquals(Frames.GUEST_IP, q.ip().destination());
        assertEquals("ipv4", q.malformations().getFirst().layer(), "the quote is cut after 8 transport bytes");
        assertNull(q.tcp());
    }

    @Test
    void ipv6FragmentHeader() {
        byte[] frag = {6, 0, 0, 0x19, 0, 0, 0, 42}; // next TCP, offset 3 (x 8 bytes), more fragments, id 42
        Packet p = Packet.parse(Frames.eth(Frames.v6().nextHeader(IpProtocol.IPV6_FRAGMENT)
                .payload(Frames.concat(frag, new byte[16]))));
        assertTrue(p.ipv6().isFragment());
        assertEquals(List.of(IpProtocol.IPV6_FRAGMENT), p.ipv6().extensionHeaders());
        assertNull(p.tcp());
        assertTrue(p.isWellFormed(), p.malformations().toString());
    }

    @Test
    void rawIpParse() {
        byte[] ip = Frames.v4().payload(Frames.syn()).encode();
        assertEquals("10.0.2.2:40000 > 10.0.2.15:7 [S] seq 1000 win 65535 <mss 1460,sackOK,wscale 7>",
                Packet.parseIp(ip).toString());
        assertFalse(Packet.parseIp(new byte[0]).isWellFormed());
    }

    @Test
    void addresses() {
        assertEquals("10.0.2.15", Ipv4Address.parse("10.0.2.15").toString());
        assertEquals(0x0a00020f, Ipv4Address.parse("10.0.2.15").bits());
        for (String bad : List.of("", "1.2.3", "1.2.3.4.5", "256.1.1.1", "a.b.c.d", "1..2.3", "example.com")) {
            assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(bad), bad);
        }
        assertEquals("::1", Ipv6Address.parse("::1").toString());
        assertEquals("::", Ipv6Address.parse("::").toString());
        assertEquals("2001:db8::1:0:0:1", Ipv6Address.parse("2001:db8:0:0:1:0:0:1").toString());
        assertEquals("::ffff:a00:20f", Ipv6Address.parse("::ffff:10.0.2.15").toString());
        assertEquals("fe80::1", IpAddress.parse("FE80:0:0:0:0:0:0:1").toString());
        for (String bad : List.of("1::2::3", ":1", "12345::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "g::", "localhost")) {
            assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse(bad), bad);
        }
        assertEquals("52:54:00:12:34:56", MacAddress.parse("52-54-00-12-34-56").toString());
        assertTrue(MacAddress.BROADCAST.isMulticast());
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("52:54:00:12:34"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("52:54:00:12:34:-1"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("52:54:00:12:34:+f"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse("+1::"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse("-1::"));
    }

    @Test
    void tcpFlagsNotation() {
        assertEquals("S.", TcpFlags.format(TcpFlags.SYN_ACK));
        assertEquals(".", TcpFlags.format(TcpFlags.ACK));
        assertEquals("none", TcpFlags.format(0));
        assertEquals("FP.", TcpFlags.format(TcpFlags.parse("P.F")));
        assertEquals("S.EW", TcpFlags.format(TcpFlags.parse("SEW.")));
        for (int f = 0; f < 0x1000; f++) {
            assertEquals(f, TcpFlags.parse(TcpFlags.format(f)));
        }
        assertThrows(IllegalArgumentException.class, () -> TcpFlags.parse("X"));
    }
}
