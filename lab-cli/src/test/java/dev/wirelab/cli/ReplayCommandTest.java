package dev.wirelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirelab.emulator.capture.Direction;
import dev.wirelab.emulator.capture.PcapngWriter;
import dev.wirelab.emulator.wire.ArpPacket;
import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.MacAddress;
import dev.wirelab.emulator.wire.SeqNumber;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpOption;
import dev.wirelab.emulator.wire.TcpSegment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wirelab replay} end to end, in-process, against the embedded default guest. */
class ReplayCommandTest {
    /** Recorded by the emulator suite's own method (tcpdump on lo around a Java echo exchange); see its README. */
    static final Path CORPUS = Path.of("..", "corpora", "captures", "echo-lo.pcap");
    static final int CORPUS_SERVER_PORT = 40855;

    @TempDir
    Path dir;

    /** A recorded client/server TCP conversation written with PcapngWriter. */
    static final class Tcp {
        final PcapngWriter w = PcapngWriter.inMemory();
        SeqNumber c = SeqNumber.of(5000);
        SeqNumber s = SeqNumber.of(900_000);
        long t = 1_000_000_000L;
        final int clientPort;
        final int serverPort;

        Tcp(int clientPort, int serverPort) {
            this.clientPort = clientPort;
            this.serverPort = serverPort;
        }

        Tcp seg(boolean fromClient, String flagText, String data) throws IOException {
            int flags = TcpFlags.parse(flagText);
            byte[] payload = data.getBytes(StandardCharsets.ISO_8859_1);
            TcpSegment.Builder b = TcpSegment.builder().ports(fromClient ? clientPort : serverPort,
                    fromClient ? serverPort : clientPort).seq(fromClient ? c : s).flags(flags).window(8192).payload(payload);
            if ((flags & TcpFlags.ACK) != 0) {
                b.ack(fromClient ? s : c);
            }
            if ((flags & TcpFlags.SYN) != 0) {
                b.option(TcpOption.mss(1460));
            }
            long len = payload.length + ((flags & (TcpFlags.SYN)) != 0 ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
            if (fromClient) {
                c = c.plus(len);
            } else {
                s = s.plus(len);
            }
            Ipv4Address client = Ipv4Address.parse("172.16.0.9");
            Ipv4Address server = Ipv4Address.parse("172.16.0.1");
            w.write(t, EthernetFrame.builder().source(MacAddress.parse("02:00:00:00:00:0" + (fromClient ? 1 : 2)))
                    .destination(MacAddress.parse("02:00:00:00:00:0" + (fromClient ? 2 : 1)))
                    .payload(Ipv4Packet.builder().source(fromClient ? client : server).destination(fromClient ? server : client)
                            .payload(b)).encode(), Direction.UNKNOWN);
            t += 2_000_000;
            return this;
        }

        Tcp client(String flags, String data) throws IOException {
            return seg(true, flags, data);
        }

        Tcp server(String flags, String data) throws IOException {
            return seg(false, flags, data);
        }

        byte[] bytes() throws IOException {
            return w.toByteArray();
        }
    }

    private String file(String name, byte[] bytes) {
        return Cli.write(dir, name, bytes);
    }

    private static void assertOneLineError(Cli.Result r, String... fragments) {
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        for (String f : fragments) {
            assertTrue(r.errLines().get(0).contains(f), "'" + f + "' in: " + r.errLines().get(0));
        }
    }

    @Test
    void helpListsTheCommandAndItsExitCodes() {
        Cli.Result top = Cli.run("--help");
        assertTrue(top.out().lines().anyMatch(l -> l.startsWith("  replay ")), top.toString());
        Cli.Result r = Cli.run("replay", "--help");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("Usage: wirelab replay"), r.toString());
        String flat = r.out().replaceAll("\\s+", " ");
        assertTrue(flat.contains("0 consistent with the recording, 1 divergence found, 2 bad input, 124 budget exhausted"), flat);
        assertTrue(flat.contains("--debug"), flat);
    }

    @Test
    void handBuiltEchoIsConsistent() throws IOException {
        byte[] cap = new Tcp(41000, 7007).client("S", "").server("S.", "").client(".", "")
                .client("P.", "ping 1 2 3\n").server("P.", "ping 1 2 3\n").client(".", "")
                .client("F.", "").server("F.", "").client(".", "").bytes();
        Cli.Result r = Cli.run("replay", file("echo.pcapng", cap), "--map", "7007=7");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("10.0.2.2:41000 <> 10.0.2.15:7: sent 6, accepted 3, retransmitted 0"), r.out());
        assertTrue(r.out().contains("replay: consistent with"), r.out());

        // --capture records the replayed exchange: at least the 6 frames sent and the guest's answers
        Path out = dir.resolve("replayed.pcapng");
        Cli.Result rec = Cli.run("replay", file("echo.pcapng", cap), "--map", "7007=7", "--capture", out.toString());
        assertEquals(0, rec.code(), rec.toString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("capture: .* \\((\\d+) frames").matcher(rec.out());
        assertTrue(m.find(), rec.out());
        assertTrue(Integer.parseInt(m.group(1)) >= 9, rec.out());
        assertTrue(Files.size(out) > 0, "written");
    }

    @Test
    void recordedCorpusCaptureIsConsistent() {
        assumeTrue(Files.isRegularFile(CORPUS), "corpus capture not in this checkout");
        Cli.Result r = Cli.run("replay", CORPUS.toString(), "--map", "127.0.0.1(server)=10.0.2.15", "--map",
                CORPUS_SERVER_PORT + "=7", "--timing");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("consistent"), r.out());
    }

    @Test
    void differentHttpReplyExitsOneWithTheFrame() throws IOException {
        byte[] cap = new Tcp(41001, 80).client("S", "").server("S.", "").client(".", "")
                .client("P.", "GET / HTTP/1.0\r\n\r\n").server("P.", "HTTP/1.0 503 Busy\r\n\r\n")
                .client(".", "").server("F.", "").client("F.", "").server(".", "").bytes();
        Cli.Result r = Cli.run("replay", file("http.pcapng", cap));
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("DIVERGED: recorded data \"503 Busy"), r.out());
        assertTrue(r.out().contains("at frame 5, guest sent \"200 OK"), r.out());
    }

    @Test
    void closedPortIsARstDivergence() throws IOException {
        byte[] cap = new Tcp(41002, 9999).client("S", "").server("S.", "").client(".", "").bytes();
        Cli.Result r = Cli.run("replay", file("closed.pcapng", cap), "--guest-ip", "172.16.0.1");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("recorded [S.] at frame 2, guest sent [R.]"), r.out());
    }

    @Test
    void sameReplayTwiceHasTheSameTraceHash() throws IOException {
        byte[] cap = new Tcp(41003, 7).client("S", "").server("S.", "").client(".", "")
                .client("P.", "abc").server("P.", "abc").client("F.", "").server("F.", "").client(".", "").bytes();
        String f = file("det.pcapng", cap);
        Cli.Result a = Cli.run("replay", f, "--trace-hash");
        Cli.Result b = Cli.run("replay", f, "--trace-hash");
        assertEquals(0, a.code(), a.toString());
        assertTrue(a.out().contains("trace-hash: "), a.out());
        assertEquals(a.out(), b.out());
    }

    @Test
    void truncatedCapture() throws IOException {
        byte[] cap = new Tcp(41004, 7).client("S", "").server("S.", "").bytes();
        String f = file("cut.pcapng", Arrays.copyOf(cap, cap.length - 10));
        assertOneLineError(Cli.run("replay", f), "cut.pcapng", "truncated", "offset");
    }

    @Test
    void garbageFile() {
        String f = file("garbage.pcap", "this is not a capture at all".getBytes(StandardCharsets.US_ASCII));
        assertOneLineError(Cli.run("replay", f), "garbage.pcap", "not a pcap or pcapng file");
    }

    @Test
    void unknownLinkType() {
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(147);
        b.putInt(1).putInt(0).putInt(4).putInt(4).putInt(0x01020304);
        String f = file("user0.pcap", b.array());
        assertOneLineError(Cli.run("replay", f), "user0.pcap", "USER0 (147)");
    }

    @Test
    void captureWithoutFlows() throws IOException {
        PcapngWriter w = PcapngWriter.inMemory();
        w.write(0, EthernetFrame.builder().source(MacAddress.parse("02:00:00:00:00:01"))
                .payload(ArpPacket.request(MacAddress.parse("02:00:00:00:00:01"), Ipv4Address.parse("10.0.0.1"),
                        Ipv4Address.parse("10.0.0.2")).asPayload()).encode());
        String f = file("arp.pcapng", w.toByteArray());
        assertOneLineError(Cli.run("replay", f), "arp.pcapng", "no TCP, UDP or ICMP");
    }

    @Test
    void noFlowForTheGuestIp() throws IOException {
        byte[] cap = new Tcp(41005, 7).client("S", "").server("S.", "").bytes();
        assertOneLineError(Cli.run("replay", file("x.pcapng", cap), "--guest-ip", "192.0.2.1"), "192.0.2.1", "--guest-ip");
    }

    @Test
    void badMaps() throws IOException {
        String f = file("ok.pcapng", new Tcp(41006, 7).client("S", "").bytes());
        assertOneLineError(Cli.run("replay", f, "--map", "8080"), "bad --map '8080'");
        assertOneLineError(Cli.run("replay", f, "--map", "8080=70000"), "out of range");
        assertOneLineError(Cli.run("replay", f, "--map", "10.0.0.1=7"), "both sides");
        assertOneLineError(Cli.run("replay", f, "--map", "10.0.0.300=10.0.2.15"), "bad --map");
        assertOneLineError(Cli.run("replay", f, "--map", "1=2", "--map", "1=3"), "same port");
        assertOneLineError(Cli.run("replay", f, "--guest-ip", "nope"), "bad --guest-ip");
    }

    @Test
    void missingFileAndExclusivePacing() {
        assertOneLineError(Cli.run("replay", dir.resolve("none.pcap").toString()), "none.pcap", "no such file");
        Cli.Result r = Cli.run("replay", "x.pcap", "--timing", "--as-fast");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
    }

    @Test
    void guestThatNeverListensIsBadInput() throws IOException {
        String f = file("e.pcapng", new Tcp(41008, 7).client("S", "").bytes());
        Cli.Result r = Cli.run("replay", f, Cli.guest(dir, "hello.elf"));
        assertOneLineError(r, "hello.elf stopped before printing 'wirelab-guest: ready'", "--ready");
    }

    @Test
    void budgetExhausted() throws IOException {
        byte[] cap = new Tcp(41007, 7).client("S", "").server("S.", "").client(".", "").bytes();
        Cli.Result r = Cli.run("replay", file("b.pcapng", cap), "--max-insns", "50000");
        assertEquals(ExitCodes.BUDGET_EXHAUSTED, r.code(), r.toString());
    }
}
