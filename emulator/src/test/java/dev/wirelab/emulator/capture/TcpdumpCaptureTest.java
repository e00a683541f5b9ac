package dev.wirelab.emulator.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.TcpSegment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures made by real tools: tcpdump records a short echo exchange on 127.0.0.1
 * (loopback only, bounded in time) as classic pcap in micro- and nanosecond
 * precision, on {@code lo} (Ethernet) and on {@code any} (Linux cooked SLL2);
 * editcap and tshark convert to pcapng. The reader must decode them all to the same
 * TCP segments tshark sees.
 */
class TcpdumpCaptureTest {
    private static final byte[] MESSAGE = "hello wirelab".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path dir;
    static Path loUs;
    static Path loNs;
    static Path any;
    static int port;
    static String skipReason = "needs tcpdump and root";

    @BeforeAll
    static void capture() throws Exception {
        if (!Tools.onPath("tcpdump") || !Tools.isRoot()) {
            return;
        }
        loUs = dir.resolve("lo.pcap");
        loNs = dir.resolve("lo-ns.pcap");
        any = dir.resolve("any.pcap");
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1}); // a literal: no lookup
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(loopback, 0));
            port = server.getLocalPort();
            String filter = "tcp port " + port;
            List<Process> dumps = new ArrayList<>();
            try {
                try {
                    dumps.add(startTcpdump(List.of("-i", "lo"), loUs, filter));
                    dumps.add(startTcpdump(List.of("-i", "lo", "--time-stamp-precision=nano"), loNs, filter));
                    dumps.add(startTcpdump(List.of("-i", "any"), any, filter));
                } catch (IOException e) {
                    skipReason = "tcpdump could not capture here: " + e.getMessage();
                    loUs = null;
                    return;
                }
                Thread echo = Thread.ofPlatform().start(() -> {
                    try (Socket s = server.accept()) {
                        s.setSoTimeout(5000);
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        byte[] buf = in.readNBytes(MESSAGE.length);
                        out.write(buf);
                        out.flush();
                    } catch (IOException e) {
                        // the client side will notice
                    }
                });
                try (Socket c = new Socket()) {
                    c.connect(new InetSocketAddress(loopback, port), 5000);
                    c.setSoTimeout(5000);
                    c.getOutputStream().write(MESSAGE);
                    assertArrayEquals(MESSAGE, c.getInputStream().readNBytes(MESSAGE.length));
                }
                echo.join(5000);
                // let the FIN exchange reach the capture; libpcap delivers ring blocks on a timeout
                Thread.sleep(1200);
            } finally {
                for (Process p : dumps) {
                    p.destroy(); // SIGTERM: tcpdump flushes and closes the file
                }
                for (Process p : dumps) {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            }
        }
    }

    private static Process startTcpdump(List<String> iface, Path out, String filter) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tcpdump", "-n", "-U", "--immediate-mode"));
        cmd.addAll(iface);
        cmd.addAll(List.of("-w", out.toString(), filter));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // wait (bounded) for "listening on ..." so the exchange is not missed
        InputStream in = p.getInputStream();
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!seen.toString().contains("listening on") && System.nanoTime() < deadline) {
            if (in.available() > 0) {
                seen.append((char) in.read());
            } else if (!p.isAlive()) {
                throw new IOException("tcpdump exited: " + seen);
            } else {
                Thread.sleep(10);
            }
        }
        if (!seen.toString().contains("listening on")) {
            p.destroyForcibly();
            throw new IOException("tcpdump did not start: " + seen);
        }
        Thread.ofVirtual().start(() -> {
            try {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // ignore
            }
        });
        return p;
    }

    private static void assumeCaptured() {
        assumeTrue(loUs != null, skipReason);
    }

    /** The TCP segments in a capture, decoded by wirelab. */
    private static List<Packet> decode(CaptureReader.Capture c) throws CaptureFormatException {
        List<Packet> out = new ArrayList<>();
        for (CapturedFrame f : c.frames()) {
            Packet p = Packet.parse(f.ethernetEquivalent());
            assertNotNull(p.tcp(), p.toString());
            out.add(p);
        }
        return out;
    }

    /**
     * The capture holds our exchange. Only what the kernel cannot skip is required
     * (handshake first, the message at least once): a capture on a loaded machine
     * may miss packets, and the point here is the file format, checked frame by frame
     * against tshark in {@link #assertMatchesTshark}.
     */
    private static void assertEchoExchange(List<Packet> ps) {
        assertTrue(ps.size() >= 3, "handshake at least: " + ps);
        TcpSegment syn = ps.get(0).tcp();
        assertEquals("S", dev.wirelab.emulator.wire.TcpFlags.format(syn.flags()));
        assertEquals(port, syn.destinationPort());
        assertNotNull(syn.option(dev.wirelab.emulator.wire.TcpOption.Mss.class));
        assertEquals("S.", dev.wirelab.emulator.wire.TcpFlags.format(ps.get(1).tcp().flags()));
        assertEquals(syn.seq().plus(1), ps.get(1).tcp().ack());
        long withMessage = ps.stream().filter(p -> p.payload().equals(dev.wirelab.emulator.wire.Bytes.of(MESSAGE))).count();
        assertTrue(withMessage >= 1, "request or echo: " + ps);
        for (Packet p : ps) {
            // Linux leaves loopback TCP checksums partial (offload), so only structure is checked here
            assertTrue(p.malformations().stream().allMatch(m -> m.field().equals("checksum")), p.malformations().toString());
        }
    }

    @Test
    void classicPcapMicroseconds() throws IOException {
        assumeCaptured();
        CaptureReader.Capture c = CaptureReader.read(loUs);
        assertEquals(CaptureReader.Format.PCAP, c.format());
        assertEquals(LinkType.ETHERNET, c.interfaces().getFirst().linkType());
        assertEchoExchange(decode(c));
        assertTimesMonotonic(c);
        assertMatchesTshark(loUs, c);
    }

    @Test
    void classicPcapNanoseconds() throws IOException {
        assumeCaptured();
        CaptureReader.Capture c = CaptureReader.read(loNs);
        assertEquals(9, c.interfaces().getFirst().tsResolution());
        assertEchoExchange(decode(c));
        assertMatchesTshark(loNs, c);
    }

    @Test
    void linuxCookedV2FromAnyInterface() throws IOException {
        assumeCaptured();
        CaptureReader.Capture c = CaptureReader.read(any);
        int lt = c.interfaces().getFirst().linkType();
        assertTrue(lt == LinkType.LINUX_SLL2 || lt == LinkType.LINUX_SLL, LinkType.describe(lt));
        assertEchoExchange(decode(c));
        assertMatchesTshark(any, c);
    }

    @Test
    void pcapngConvertedByEditcapAndTshark() throws IOException {
        assumeCaptured();
        assumeTrue(Tools.onPath("editcap") && Tools.onPath("tshark"), "needs editcap and tshark");
        CaptureReader.Capture original = CaptureReader.read(loNs);
        Path ng = dir.resolve("lo.pcapng");
        Tools.run(List.of("editcap", "-F", "pcapng", loNs.toString(), ng.toString()), 60);
        Path ng2 = dir.resolve("any.pcapng");
        Tools.run(List.of("tshark", "-r", any.toString(), "-F", "pcapng", "-w", ng2.toString()), 60);
        CaptureReader.Capture c = CaptureReader.read(ng);
        assertEquals(CaptureReader.Format.PCAPNG, c.format());
        assertEquals(original.frames().size(), c.frames().size());
        for (int i = 0; i < c.frames().size(); i++) {
            assertArrayEquals(original.frames().get(i).data(), c.frames().get(i).data());
            assertEquals(original.frames().get(i).timestampNanos(), c.frames().get(i).timestampNanos());
        }
        CaptureReader.Capture d = CaptureReader.read(ng2);
        assertEchoExchange(decode(d));
        assertMatchesTshark(ng2, d);
        // a pcapng editcap wrote with a different timestamp resolution still reads
        Path us = dir.resolve("lo-us.pcapng");
        Tools.run(List.of("editcap", "-F", "pcapng", loUs.toString(), us.toString()), 60);
        assertEchoExchange(decode(CaptureReader.read(us)));
    }

    private static void assertTimesMonotonic(CaptureReader.Capture c) {
        long last = Long.MIN_VALUE;
        for (CapturedFrame f : c.frames()) {
            assertTrue(f.timestampNanos() >= last);
            last = f.timestampNanos();
        }
    }

    /** tshark's view of the same file: per frame, epoch time (µs), raw seq, payload length. */
    private static void assertMatchesTshark(Path file, CaptureReader.Capture c) throws IOException {
        if (!Tools.onPath("tshark")) {
            return;
        }
        String out = Tools.run(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields", "-E", "separator=|",
                "-e", "frame.time_epoch", "-e", "tcp.srcport", "-e", "tcp.seq_raw", "-e", "tcp.len"), 60);
        List<String> lines = out.lines().toList();
        assertEquals(c.frames().size(), lines.size());
        List<Packet> ps = decode(c);
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\\|");
            Packet p = ps.get(i);
            String epoch = f[0];
            long ns = c.frames().get(i).timestampNanos();
            String ours = (ns / 1_000_000_000L) + "." + String.format("%09d", ns % 1_000_000_000L);
            assertEquals(epoch, ours, "time of frame " + i);
            assertEquals(f[1], String.valueOf(p.tcp().sourcePort()));
            assertEquals(f[2], p.tcp().seq().toString());
            assertEquals(f[3], String.valueOf(p.tcp().payload().length()));
        }
    }
}
