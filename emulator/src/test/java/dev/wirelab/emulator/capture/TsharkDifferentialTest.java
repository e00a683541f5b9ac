package dev.wirelab.emulator.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.Ipv6Packet;
import dev.wirelab.emulator.wire.MacAddress;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.SeqNumber;
import dev.wirelab.emulator.wire.TcpOption;
import dev.wirelab.emulator.wire.TcpSegment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential check of the encoder and decoder against Wireshark's dissectors:
 * seeded random TCP segments (IPv4 and IPv6, random options, payloads, some with
 * deliberately wrong checksums) are built, written, and decoded by both tshark and
 * {@link Packet}; every field must agree.
 */
class TsharkDifferentialTest {
    @Test
    void randomSegmentsDecodeTheSameInTshark(@TempDir Path dir) throws IOException {
        assumeTrue(Tools.onPath("tshark"), "tshark not installed");
        SplittableRandom r = new SplittableRandom(793);
        int n = 300;
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TcpSegment.Builder t = TcpSegment.builder().ports(1 + r.nextInt(65535), 1 + r.nextInt(65535))
                    .seq(SeqNumber.of(r.nextLong())).ack(SeqNumber.of(r.nextLong())).flags(r.nextInt(0x100))
                    .window(r.nextInt(65536)).payload(new byte[r.nextInt(3) == 0 ? 0 : r.nextInt(200)]);
            List<TcpOption> opts = new ArrayList<>();
            int room = 40;
            while (room > 0 && r.nextInt(3) != 0) {
                TcpOption o = switch (r.nextInt(6)) {
                    case 0 -> TcpOption.mss(r.nextInt(65536));
                    case 1 -> TcpOption.windowScale(r.nextInt(15));
                    case 2 -> TcpOption.sackPermitted();
                    case 3 -> TcpOption.timestamps(r.nextLong(1L << 32), r.nextLong(1L << 32));
                    case 4 -> TcpOption.nop();
                    default -> TcpOption.sack(new TcpOption.SackBlock(SeqNumber.of(r.nextLong()), SeqNumber.of(r.nextLong())));
                };
                if (o.length() > room) {
                    break;
                }
                opts.add(o);
                room -= o.length();
            }
            t.options(opts);
            if (r.nextInt(10) == 0) {
                t.checksum(r.nextInt(65536));
            }
            EthernetFrame.Builder e = EthernetFrame.builder().source(MacAddress.parse("02:00:00:00:00:01"))
                    .destination(MacAddress.parse("02:00:00:00:00:02"));
            if (r.nextBoolean()) {
                e.payload(Ipv4Packet.builder().source(new dev.wirelab.emulator.wire.Ipv4Address(r.nextInt()))
                        .destination(new dev.wirelab.emulator.wire.Ipv4Address(r.nextInt())).ttl(1 + r.nextInt(255))
                        .identification(r.nextInt(65536)).payload(t));
            } else {
                e.payload(Ipv6Packet.builder().source(new dev.wirelab.emulator.wire.Ipv6Address(r.nextLong(), r.nextLong()))
                        .destination(new dev.wirelab.emulator.wire.Ipv6Address(r.nextLong(), r.nextLong())).payload(t));
            }
            frames.add(e.encode());
        }
        Path file = dir.resolve("diff.pcapng");
        try (PcapngWriter w = PcapngWriter.create(file)) {
            for (int i = 0; i < n; i++) {
                w.write(i * 1000L, frames.get(i));
            }
        }
        String[] fields = {"ip.src", "ipv6.src", "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.flags",
            "tcp.window_size_value", "tcp.len", "tcp.options.mss_val", "tcp.options.wscale.shift",
            "tcp.options.timestamp.tsval", "tcp.options.sack_le", "tcp.checksum.status", "ip.checksum.status"};
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-o", "tcp.check_checksum:TRUE",
                "-o", "ip.check_checksum:TRUE", "-o", "tcp.analyze_sequence_numbers:FALSE", "-T", "fields",
                "-E", "separator=|", "-E", "aggregator=,"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        List<String> lines = Tools.run(cmd, 120).lines().toList();
        assertEquals(n, lines.size());
        for (int i = 0; i < n; i++) {
            assertEquals(lines.get(i), ours(Packet.parse(frames.get(i))), "frame " + i);
        }
    }

    @Test
    void udpIcmpArpVlanAndFragmentsDecodeTheSameInTshark(@TempDir Path dir) throws IOException {
        assumeTrue(Tools.onPath("tshark"), "tshark not installed");
        SplittableRandom r = new SplittableRandom(768);
        int n = 200;
        List<byte[]> frames = new ArrayList<>();
        MacAddress a = MacAddress.parse("02:00:00:00:00:01");
        MacAddress b = MacAddress.parse("02:00:00:00:00:02");
        for (int i = 0; i < n; i++) {
            dev.wirelab.emulator.wire.Ipv4Address src = new dev.wirelab.emulator.wire.Ipv4Address(r.nextInt());
            dev.wirelab.emulator.wire.Ipv4Address dst = new dev.wirelab.emulator.wire.Ipv4Address(r.nextInt());
            byte[] payload = new byte[r.nextInt(100)];
            r.nextBytes(payload);
            EthernetFrame.Builder e = EthernetFrame.builder().source(a).destination(b);
            if (r.nextInt(4) == 0) {
                e.vlan(r.nextInt(4095));
            }
            switch (r.nextInt(4)) {
                case 0 -> {
                    dev.wirelab.emulator.wire.UdpDatagram.Builder u = dev.wirelab.emulator.wire.UdpDatagram.builder()
                            .ports(1 + r.nextInt(65535), 1 + r.nextInt(65535)).payload(payload);
                    if (r.nextInt(8) == 0) {
                        u.checksum(1 + r.nextInt(65535));
                    }
                    e.payload(r.nextBoolean() ? Ipv4Packet.builder().source(src).destination(dst).payload(u)
                            : Ipv6Packet.builder().source(new dev.wirelab.emulator.wire.Ipv6Address(r.nextLong(), r.nextLong()))
                                    .destination(new dev.wirelab.emulator.wire.Ipv6Address(r.nextLong(), r.nextLong())).payload(u));
                }
                case 1 -> {
                    dev.wirelab.emulator.wire.Icmpv4Message.Builder m = r.nextBoolean()
                            ? dev.wirelab.emulator.wire.Icmpv4Message.echoRequest(r.nextInt(65536), r.nextInt(65536), payload)
                            : dev.wirelab.emulator.wire.Icmpv4Message.echoReply(r.nextInt(65536), r.nextInt(65536), payload);
                    if (r.nextInt(8) == 0) {
                        m.checksum(r.nextInt(65536));
                    }
                    e.payload(Ipv4Packet.builder().source(src).destination(dst).payload(m));
                }
                case 2 -> e.payload(dev.wirelab.emulator.wire.ArpPacket.request(a, src, dst).asPayload());
                default -> e.payload(Ipv4Packet.builder().source(src).destination(dst).protocol(17).identification(r.nextInt(65536))
                        .moreFragments(r.nextBoolean()).fragmentOffset(1 + r.nextInt(8000)).payload(payload));
            }
            frames.add(e.encode());
        }
        Path file = dir.resolve("diff2.pcapng");
        try (PcapngWriter w = PcapngWriter.create(file)) {
            for (int i = 0; i < n; i++) {
                w.write(i, frames.get(i));
            }
        }
        String[] fields = {"vlan.id", "ip.src", "ip.flags.mf", "ip.frag_offset", "udp.srcport", "udp.length",
            "udp.checksum.status", "icmp.type", "icmp.ident", "icmp.seq", "icmp.checksum.status", "arp.src.proto_ipv4",
            "arp.dst.proto_ipv4"};
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-o", "udp.check_checksum:TRUE",
                "-o", "ip.defragment:FALSE", "-T", "fields", "-E", "separator=|"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        List<String> lines = Tools.run(cmd, 120).lines().toList();
        assertEquals(n, lines.size());
        for (int i = 0; i < n; i++) {
            Packet p = Packet.parse(frames.get(i));
            StringJoiner j = new StringJoiner("|");
            j.add(p.ethernet().vlanTags().isEmpty() ? "" : String.valueOf(p.ethernet().vlanTags().getFirst().vlanId()));
            Ipv4Packet v4 = p.ipv4();
            j.add(v4 != null ? v4.source().toString() : "");
            j.add(v4 != null ? (v4.moreFragments() ? "1" : "0") : "");
            j.add(v4 != null ? String.valueOf(v4.fragmentOffset()) : "");
            j.add(p.udp() != null ? String.valueOf(p.udp().sourcePort()) : "");
            j.add(p.udp() != null ? String.valueOf(p.udp().length()) : "");
            j.add(p.udp() != null ? (p.checksumMismatches().isEmpty() ? "1" : "0") : "");
            j.add(p.icmp() != null ? String.valueOf(p.icmp().type()) : "");
            j.add(p.icmp() != null ? String.valueOf(p.icmp().identifier()) : "");
            j.add(p.icmp() != null ? String.valueOf(p.icmp().sequence()) : "");
            j.add(p.icmp() != null ? (p.icmp().checksumOk() ? "1" : "0") : "");
            j.add(p.arp() != null ? p.arp().senderProtocol().toString() : "");
            j.add(p.arp() != null ? p.arp().targetProtocol().toString() : "");
            assertEquals(lines.get(i), j.toString(), "frame " + i + ": " + p);
        }
    }

    /** The same fields as tshark prints them. */
    private static String ours(Packet p) {
        TcpSegment t = p.tcp();
        StringJoiner j = new StringJoiner("|");
        j.add(p.ipv4() != null ? p.ipv4().source().toString() : "");
        j.add(p.ipv6() != null ? p.ipv6().source().toString() : "");
        j.add(String.valueOf(t.sourcePort())).add(String.valueOf(t.destinationPort()));
        j.add(t.seq().toString()).add(t.ack().toString());
        j.add(String.format("0x%04x", t.flags()));
        j.add(String.valueOf(t.window())).add(String.valueOf(t.payload().length()));
        StringJoiner mss = new StringJoiner(",");
        StringJoiner ws = new StringJoiner(",");
        StringJoiner ts = new StringJoiner(",");
        StringJoiner sack = new StringJoiner(",");
        for (TcpOption o : t.options()) {
            switch (o) {
                case TcpOption.Mss m -> mss.add(String.valueOf(m.value()));
                case TcpOption.WindowScale w -> ws.add(String.valueOf(w.shift()));
                case TcpOption.Timestamps x -> ts.add(String.valueOf(x.tsVal()));
                case TcpOption.Sack s -> s.blocks().forEach(b -> sack.add(b.left().toString()));
                default -> {
                }
            }
        }
        j.add(mss.toString()).add(ws.toString()).add(ts.toString()).add(sack.toString());
        boolean tcpBad = p.checksumMismatches().stream().anyMatch(m -> m.layer().equals("tcp"));
        j.add(tcpBad ? "0" : "1");
        j.add(p.ipv4() != null ? (p.ipv4().checksumOk() ? "1" : "0") : "");
        return j.toString();
    }
}
