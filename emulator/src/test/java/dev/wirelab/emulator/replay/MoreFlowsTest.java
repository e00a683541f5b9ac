package dev.wirelab.emulator.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.net.VirtualWire;
import dev.wirelab.emulator.capture.PcapngWriter;
import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.Icmpv4Message;
import dev.wirelab.emulator.wire.IpPayload;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.UdpDatagram;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bulk TCP (segments bigger than the guest's MSS, more than its window), UDP echo and ping against the guest. */
class MoreFlowsTest {
    static ReplayReport replay(byte[] capture, String... maps) throws Exception {
        Replayer r = Replayer.of("t.pcapng", capture, ReplayOptions.defaults()
                .withMaps(ReplayOptions.parseMappings(List.of(maps))));
        try (Board board = GuestBoards.ready()) {
            return r.run(VirtualWire.attach(board), 3_000_000_000L);
        }
    }

    @Test
    void bulkEchoLargerThanTheWindowIsCutAndPaced() throws Exception {
        byte[] block = new byte[40_000];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) ('a' + i % 26);
        }
        String data = new String(block, StandardCharsets.ISO_8859_1);
        // as on loopback: one 40000-byte write in one segment, echoed in two
        Conversation c = new Conversation("192.168.1.9", 40100, "192.168.1.5", 9000).handshake()
                .client("P.", data).server(".", "").server(".", data.substring(0, 20_000)).server("P.", data.substring(20_000))
                .client(".", "").client("F.", "").server("F.", "").client(".", "");
        ReplayReport report = replay(c.pcapng(), "9000=7");
        assertEquals(ReplayReport.Outcome.CONSISTENT, report.outcome(), report.text());
        ReplayReport.FlowReport f = report.flows().get(0);
        // SYN, 28 pieces of 1460 bytes (40000 = 27 * 1460 + 580), FIN
        assertEquals(30, f.accepted(), report.text());
        assertTrue(f.guestSeen() > 10, report.text());
    }

    @Test
    void udpEchoAndPingAreConsistent() throws Exception {
        Ipv4Address client = Ipv4Address.parse("192.168.7.7");
        Ipv4Address server = Ipv4Address.parse("192.168.7.1");
        PcapngWriter w = PcapngWriter.inMemory();
        byte[] msg = "datagram one".getBytes(StandardCharsets.US_ASCII);
        byte[] ping = Arrays.copyOf("0123456789abcdef".getBytes(StandardCharsets.US_ASCII), 32);
        long t = 0;
        for (Object[] p : new Object[][] {
            {client, server, UdpDatagram.builder().ports(5555, 7007).payload(msg)},
            {server, client, UdpDatagram.builder().ports(7007, 5555).payload(msg)},
            {client, server, Icmpv4Message.echoRequest(0x4242, 1, ping)},
            {server, client, Icmpv4Message.echoReply(0x4242, 1, ping)},
            {client, server, Icmpv4Message.echoRequest(0x4242, 2, ping)},
            {server, client, Icmpv4Message.echoReply(0x4242, 2, ping)},
        }) {
            w.write(t += 1_000_000, EthernetFrame.builder().payload(Ipv4Packet.builder().source((Ipv4Address) p[0])
                    .destination((Ipv4Address) p[1]).payload((IpPayload) p[2])).encode());
        }
        ReplayReport report = replay(w.toByteArray(), "7007=7");
        assertEquals(ReplayReport.Outcome.CONSISTENT, report.outcome(), report.text());
        assertEquals(2, report.flows().size(), report.text());
        assertEquals(1, report.flows().get(0).accepted(), report.text());
        assertEquals(2, report.flows().get(1).sent(), report.text());
        assertEquals(2, report.flows().get(1).guestSeen(), report.text());
    }

    @Test
    void udpToAClosedPortIsAnUnreachableDivergence() throws Exception {
        Ipv4Address client = Ipv4Address.parse("192.168.7.7");
        Ipv4Address server = Ipv4Address.parse("192.168.7.1");
        PcapngWriter w = PcapngWriter.inMemory();
        w.write(1, EthernetFrame.builder().payload(Ipv4Packet.builder().source(client).destination(server)
                .payload(UdpDatagram.builder().ports(5555, 4444).payload("hi".getBytes(StandardCharsets.US_ASCII)))).encode());
        w.write(2, EthernetFrame.builder().payload(Ipv4Packet.builder().source(server).destination(client)
                .payload(UdpDatagram.builder().ports(4444, 5555).payload("hi".getBytes(StandardCharsets.US_ASCII)))).encode());
        ReplayReport report = replay(w.toByteArray());
        assertEquals(ReplayReport.Outcome.DIVERGED, report.outcome(), report.text());
        assertEquals(2, report.firstDivergence().frame(), report.text());
        assertEquals("recorded UDP len 2 at frame 2, guest sent ICMP destination unreachable (code 3)",
                report.firstDivergence().describe());
    }

    @Test
    void udpAnswerThatDiffersIsADivergence() throws Exception {
        Ipv4Address client = Ipv4Address.parse("192.168.7.7");
        Ipv4Address server = Ipv4Address.parse("192.168.7.1");
        PcapngWriter w = PcapngWriter.inMemory();
        w.write(1, EthernetFrame.builder().payload(Ipv4Packet.builder().source(client).destination(server)
                .payload(UdpDatagram.builder().ports(5555, 7).payload("question".getBytes(StandardCharsets.US_ASCII)))).encode());
        w.write(2, EthernetFrame.builder().payload(Ipv4Packet.builder().source(server).destination(client)
                .payload(UdpDatagram.builder().ports(7, 5555).payload("answer".getBytes(StandardCharsets.US_ASCII)))).encode());
        ReplayReport report = replay(w.toByteArray());
        assertEquals(ReplayReport.Outcome.DIVERGED, report.outcome(), report.text());
        assertEquals("recorded UDP len 6 \"answer\" at frame 2, guest sent UDP len 8 \"question\"",
                report.firstDivergence().describe());
    }
}
