package dev.wirelab.emulator.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.Ipv6Packet;
import dev.wirelab.emulator.wire.MacAddress;
import dev.wirelab.emulator.wire.SeqNumber;
import dev.wirelab.emulator.wire.TcpOption;
import dev.wirelab.emulator.wire.TcpSegment;
import dev.wirelab.emulator.wire.UdpDatagram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What wirelab writes, Wireshark reads: fields and checksums as tshark decodes them. */
class TsharkInteropTest {
    static final MacAddress GUEST = MacAddress.parse("52:54:00:12:34:56");
    static final MacAddress HOST = MacAddress.parse("52:55:0a:00:02:02");

    static byte[] eth(MacAddress src, MacAddress dst, dev.wirelab.emulator.wire.EtherPayload p) {
        return EthernetFrame.builder().source(src).destination(dst).payload(p).encode();
    }

    @Test
    void tsharkReadsWhatTheWriterWrites(@TempDir Path dir) throws IOException {
        assumeTrue(Tools.onPath("tshark"), "tshark not installed");
        Path file = dir.resolve("run.pcapng");
        SeqNumber isn = SeqNumber.of(0xffff_fff0L);
        try (PcapngWriter w = PcapngWriter.create(file)) {
            w.write(0, 1_000_000_123L, eth(HOST, GUEST, Ipv4Packet.builder().source("10.0.2.2").destination("10.0.2.15")
                    .payload(TcpSegment.builder().ports(40000, 7).flags("S").seq(isn).window(65535)
                            .options(TcpOption.mss(1460), TcpOption.sackPermitted(), TcpOption.timestamps(1, 0),
                                    TcpOption.nop(), TcpOption.windowScale(7)))), 74, Direction.INBOUND,
                    "SYN from the host peer");
            w.write(2_500_000_000L, eth(GUEST, HOST, Ipv4Packet.builder().source("10.0.2.15").destination("10.0.2.2")
                    .payload(TcpSegment.builder().ports(7, 40000).flags("S.").seq(7777).ack(isn.plus(1))
                            .options(TcpOption.mss(536)))), Direction.OUTBOUND);
            w.write(3_000_000_000L, eth(HOST, GUEST, Ipv4Packet.builder().source("10.0.2.2").destination("10.0.2.15")
                    .payload(TcpSegment.builder().ports(40000, 7).flags("P.").seq(isn.plus(1)).ack(7778).checksum(0x1234)
                            .payload("hello".getBytes(StandardCharsets.US_ASCII)))));
            w.write(4_000_000_000L, eth(HOST, GUEST, Ipv6Packet.builder().source("fe80::1").destination("fe80::2")
                    .payload(UdpDatagram.builder().ports(5000, 53).payload(new byte[] {1, 2, 3}))));
        }
        String out = Tools.run(List.of("tshark", "-n", "-r", file.toString(), "-o", "tcp.check_checksum:TRUE",
                "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=|",
                "-e", "frame.time_epoch", "-e", "frame.packet_flags_direction", "-e", "frame.comment", "-e", "ip.src",
                "-e", "ipv6.src", "-e", "tcp.seq_raw", "-e", "tcp.ack_raw", "-e", "tcp.flags.str", "-e", "tcp.options.mss_val",
                "-e", "tcp.options.wscale.shift", "-e", "tcp.options.timestamp.tsval", "-e", "tcp.len",
                "-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "udp.checksum.status", "-e", "frame.len"), 60);
        List<String> lines = new ArrayList<>(out.lines().toList());
        assertEquals(4, lines.size(), out);
        List<String[]> rows = lines.stream().map(l -> l.split("\\|", -1)).toList();
        // time, direction, comment
        assertEquals("1.000000123", rows.get(0)[0]);
        assertEquals("2.500000000", rows.get(1)[0]);
        assertEquals("SYN from the host peer", rows.get(0)[2]);
        // addresses and sequence numbers
        assertEquals("10.0.2.2", rows.get(0)[3]);
        assertEquals("10.0.2.15", rows.get(1)[3]);
        assertEquals("fe80::1", rows.get(3)[4]);
        assertEquals("4294967280", rows.get(0)[5]);
        assertEquals("7777", rows.get(1)[5]);
        assertEquals("4294967281", rows.get(1)[6]);
        assertEquals("4294967281", rows.get(2)[5]);
        assertEquals("1460", rows.get(0)[8]);
        assertEquals("7", rows.get(0)[9]);
        assertEquals("1", rows.get(0)[10]);
        assertEquals("536", rows.get(1)[8]);
        assertEquals("5", rows.get(2)[11]);
        // checksums: good everywhere except the one overridden on purpose
        String good = rows.get(0)[13];
        assertEquals(good, rows.get(1)[13], "SYN-ACK TCP checksum");
        assertEquals(good, rows.get(0)[12], "IPv4 header checksum");
        assertEquals(good, rows.get(3)[14], "UDP over IPv6 checksum");
        assertEquals(goodCode(), good);
        assertEquals(badCode(), rows.get(2)[13], "the wrong checksum we asked for");
        assertEquals("74", rows.get(0)[15]);
        // direction flags: inbound, outbound, none
        assertEquals(List.of(1L, 2L, 0L), List.of(flags(rows.get(0)[1]), flags(rows.get(1)[1]), flags(rows.get(2)[1])));
    }

    /** tshark prints checksum status as its numeric value: 0 bad, 1 good, 2 unverified. */
    private static String goodCode() {
        return "1";
    }

    private static String badCode() {
        return "0";
    }

    private static long flags(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
    }
}
