package dev.wirelab.emulator.net;

import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.MacAddress;
import dev.wirelab.emulator.wire.TcpSegment;
import dev.wirelab.emulator.wire.UdpDatagram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default guest, booted once; every test starts from the same ready snapshot. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualWireTest {
    BootedGuest g;
    VirtualWire wire;

    @BeforeAll
    void boot() throws Exception {
        g = BootedGuest.boot();
        wire = g.wire;
    }

    @AfterAll
    void close() {
        if (g != null) {
            g.close();
        }
    }

    @BeforeEach
    void reset() {
        g.reset();
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    /** Connect, send, read the echo, close: one short echo exchange. */
    static void echoOnce(VirtualWire wire, byte[] data) {
        TcpConnection c = wire.tcp().connect("10.0.2.15", 7).awaitEstablished();
        c.send(data);
        c.awaitReceived(data.length);
        assertArrayEquals(data, c.read());
        c.close();
        c.awaitClosed();
        assertNull(c.error());
    }

    @Test
    void arpAndPingTheGuest() {
        wire.arp().resolve(VirtualWire.GUEST_IP);
        wire.await("ARP reply from the guest", () -> wire.arp().lookup(VirtualWire.GUEST_IP) != null);
        assertEquals(MacAddress.of(g.board.nic().mac()), wire.arp().lookup(VirtualWire.GUEST_IP));
        int seq = wire.icmp().ping(VirtualWire.GUEST_IP, 56);
        wire.await("echo reply", () -> wire.icmp().answered(seq));
        IcmpEchoResponder.Reply r = wire.icmp().replies().getFirst();
        assertEquals(56, r.length());
        assertTrue(r.rttTicks() > 0);
        // The guest learned the gateway's MAC from the host's own request: no ARP of its own needed.
        assertEquals(0, wire.arp().requestsAnswered());
    }

    @Test
    void tcpEchoRoundTrip() {
        TcpConnection c = wire.tcp().connect("10.0.2.15", 7).awaitEstablished();
        assertTrue(c.options().contains("mss=1460"), c.options());
        c.send("hello, wirelab");
        c.awaitReceived(14);
        assertEquals("hello, wirelab", c.readString());
        c.close();
        c.awaitClosed();
        assertNull(c.error());
        assertTrue(c.peerClosed());
        assertTrue(c.allAcked());
    }

    @Test
    void echoWithoutOptions() {
        TcpConnection c = wire.tcp().connect(VirtualWire.GUEST_IP, 7, TcpConfig.minimal()).awaitEstablished();
        assertEquals("mss=1460 wscale=0/0", c.options());
        c.send("plain");
        c.awaitReceived(5);
        assertEquals("plain", c.readString());
        c.close();
        c.awaitClosed();
    }

    @Test
    void httpGet() {
        TcpConnection c = wire.tcp().connect("10.0.2.15", 80).awaitEstablished();
        c.send("GET / HTTP/1.0\r\nHost: 10.0.2.15\r\n\r\n");
        c.awaitPeerClosed();
        String response = c.readString();
        assertTrue(response.startsWith("HTTP/1.0 200"), response);
        assertTrue(response.endsWith("\r\n\r\nhello from wirelab-guest\n"), response);
        c.close();
        c.awaitClosed();
    }

    @Test
    void httpNotFound() {
        TcpConnection c = wire.tcp().connect("10.0.2.15", 80).awaitEstablished();
        c.send("GET /nope HTTP/1.0\r\n\r\n");
        c.awaitPeerClosed();
        String response = c.readString();
        assertTrue(response.startsWith("HTTP/1.0 404"), response);
        assertTrue(response.endsWith("not found\n"), response);
    }

    @Test
    void connectToAClosedPortIsRefused() {
        TcpConnection c = wire.tcp().connect("10.0.2.15", 9);
        IllegalStateException e = assertThrows(IllegalStateException.class, c::awaitEstablished);
        assertEquals("connection refused", c.error(), e.getMessage());
    }

    @Test
    void oneMebibyteThroughEcho() throws Exception {
        byte[] data = new byte[1 << 20];
        new SplittableRandom(7).nextBytes(data);
        TcpConnection c = wire.tcp().connect("10.0.2.15", 7).awaitEstablished();
        c.send(data);
        c.awaitReceived(data.length);
        byte[] back = c.read();
        assertEquals(data.length, back.length);
        assertArrayEquals(sha256(data), sha256(back));
        c.close();
        c.awaitClosed();
        assertNull(c.error());
        assertEquals(data.length, c.acked());
    }

    /** Guest → host bulk: the HTTP service's /big body (1 MiB, 16384 lines of 64 bytes). */
    @Test
    void oneMebibyteFromTheGuest() throws Exception {
        TcpConnection c = wire.tcp().connect("10.0.2.15", 80).awaitEstablished();
        c.send("GET /big HTTP/1.0\r\n\r\n");
        c.awaitPeerClosed();
        String response = c.readString();
        int body = response.indexOf("\r\n\r\n") + 4;
        assertTrue(response.startsWith("HTTP/1.0 200"), response.substring(0, Math.min(200, response.length())));
        ByteArrayOutputStream expected = new ByteArrayOutputStream(1 << 20);
        for (int k = 0; k < 16384; k++) {
            char[] letters = new char[54];
            Arrays.fill(letters, (char) ('a' + k % 26));
            expected.writeBytes(String.format("%08x %s\n", k, new String(letters)).getBytes(StandardCharsets.US_ASCII));
        }
        byte[] got = response.substring(body).getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(1 << 20, got.length);
        assertArrayEquals(sha256(expected.toByteArray()), sha256(got));
        c.close();
        c.awaitClosed();
    }

    @Test
    void twoHundredShortConnections() {
        for (int i = 0; i < 200; i++) {
            echoOnce(wire, ("connection " + i).getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(wire.tcp().connections().stream().allMatch(TcpConnection::isClosed));
        assertEquals(0, wire.stats().droppedNoBuffer() + wire.stats().droppedQueueFull());
    }

    /** A short exchange, recorded: returns the capture. */
    private byte[] recordedExchange() throws Exception {
        try (CaptureRecorder rec = CaptureRecorder.inMemory(wire)) {
            wire.arp().resolve(VirtualWire.GUEST_IP);
            int seq = wire.icmp().ping(VirtualWire.GUEST_IP, 32);
            wire.await("pong", () -> wire.icmp().answered(seq));
            byte[] data = new byte[20_000];
            new SplittableRandom(3).nextBytes(data);
            echoOnce(wire, data);
            TcpConnection h = wire.tcp().connect("10.0.2.15", 80).awaitEstablished();
            h.send("GET / HTTP/1.0\r\n\r\n");
            h.awaitPeerClosed();
            h.close();
            h.awaitClosed();
            assertTrue(rec.frames() > 20);
            return rec.bytes();
        }
    }

    @Test
    void sameExchangeTwiceIsIdentical() throws Exception {
        byte[] first = recordedExchange();
        String trace1 = g.board.trace().hex();
        long insn1 = g.board.clock().instructions();
        g.reset();
        byte[] second = recordedExchange();
        assertEquals(trace1, g.board.trace().hex());
        assertEquals(insn1, g.board.clock().instructions());
        assertArrayEquals(first, second);
    }

    @Test
    void snapshotMidConnectionReplaysIdentically() throws Exception {
        byte[] data = new byte[200_000];
        new SplittableRandom(11).nextBytes(data);
        TcpConnection c = wire.tcp().connect("10.0.2.15", 7).awaitEstablished();
        c.send(data);
        wire.await("some echo", () -> c.received() >= 50_000);
        long at = c.received();
        try (var mid = g.board.snapshot()) {
            byte[] capture1;
            try (CaptureRecorder rec = CaptureRecorder.inMemory(wire)) {
                c.awaitReceived(data.length);
                c.close();
                c.awaitClosed();
                capture1 = rec.bytes();
            }
            String trace1 = g.board.trace().hex();
            byte[] all1 = c.read();
            g.board.restore(mid);
            assertEquals(at, c.received());
            assertFalse(c.isClosed());
            byte[] capture2;
            try (CaptureRecorder rec = CaptureRecorder.inMemory(wire)) {
                c.awaitReceived(data.length);
                c.close();
                c.awaitClosed();
                capture2 = rec.bytes();
            }
            assertEquals(trace1, g.board.trace().hex());
            assertArrayEquals(capture1, capture2);
            assertArrayEquals(all1, c.read());
            assertArrayEquals(data, all1);
        }
    }

    @Test
    void connectionsOpenedAfterASnapshotAreGoneAfterRestore() {
        try (var before = g.board.snapshot()) {
            TcpConnection c = wire.tcp().connect("10.0.2.15", 7).awaitEstablished();
            g.board.restore(before);
            assertTrue(c.isClosed());
            assertThrows(IllegalStateException.class, () -> c.send("x"));
            assertTrue(wire.tcp().connections().isEmpty());
            echoOnce(wire, "after restore".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void hostileFramesDoNotBreakTheWireOrTheGuest() {
        SplittableRandom rnd = new SplittableRandom(42);
        MacAddress guest = MacAddress.of(g.board.nic().mac());
        byte[] good = EthernetFrame.builder().source(VirtualWire.HOST_MAC).destination(guest)
                .payload(Ipv4Packet.builder().source(VirtualWire.HOST_IP).destination(VirtualWire.GUEST_IP)
                        .payload(TcpSegment.builder().ports(40999, 7).flags("S").seq(1).window(1000)))
                .encode();
        long t = wire.now();
        for (int i = 0; i < 600; i++) {
            byte[] f;
            switch (i % 6) {
                case 0 -> f = Arrays.copyOf(good, rnd.nextInt(good.length)); // truncated
                case 1 -> { // random garbage with a plausible header
                    f = new byte[14 + rnd.nextInt(1500)];
                    rnd.nextBytes(f);
                    System.arraycopy(good, 0, f, 0, 12);
                }
                case 2 -> { // oversized (beyond the MTU and the guest's 2 KiB buffers)
                    f = new byte[1514 + rnd.nextInt(3000)];
                    System.arraycopy(good, 0, f, 0, good.length);
                }
                case 3 -> { // bit flips in a valid frame
                    f = good.clone();
                    for (int k = 0; k < 4; k++) {
                        f[14 + rnd.nextInt(f.length - 14)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                case 4 -> f = EthernetFrame.builder().source(VirtualWire.HOST_MAC).destination(guest)
                        .payload(Ipv4Packet.builder().source(VirtualWire.HOST_IP).destination(VirtualWire.GUEST_IP)
                                .totalLength(rnd.nextInt(65536)).ihl(rnd.nextInt(16))
                                .payload(UdpDatagram.builder().ports(1, 7).payload(new byte[rnd.nextInt(64)])))
                        .encode();
                default -> f = new byte[rnd.nextInt(14)]; // runts
            }
            wire.injectAt(t + i * 2_000L, f);
        }
        wire.runFor(600 * 2_000L + 1_000_000);
        assertEquals(0, wire.queued());
        assertTrue(wire.stats().injected() + wire.stats().droppedNoBuffer() >= 600, wire.stats().toString());
        assertTrue(wire.stats().droppedNoBuffer() >= 50, "oversized frames do not fit: " + wire.stats());
        int seq = wire.icmp().ping(VirtualWire.GUEST_IP, 56);
        wire.await("ping after the storm", () -> wire.icmp().answered(seq));
        echoOnce(wire, "still alive".getBytes(StandardCharsets.US_ASCII));
        assertFalse(g.board.console().text().contains("PANIC"), g.board.console().text());
    }

    @Test
    void captureToFileReadsBackWithTshark(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("echo.pcapng");
        long frames;
        try (CaptureRecorder rec = CaptureRecorder.toFile(wire, file)) {
            echoOnce(wire, "captured".getBytes(StandardCharsets.US_ASCII));
            assertFalse(java.nio.file.Files.exists(file), "the capture appears only when complete");
            frames = rec.frames();
        }
        assertTrue(java.nio.file.Files.size(file) > 0);
        org.junit.jupiter.api.Assumptions.assumeTrue(tsharkAvailable(), "tshark is not installed");
        Process p = new ProcessBuilder("tshark", "-r", file.toString(), "-T", "fields", "-e", "frame.packet_flags_direction",
                "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.payload")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        String[] lines = out.strip().split("\n");
        assertEquals(frames, lines.length, out);
        // First frame: the host's SYN to port 7, inbound (1) from the guest NIC's point of view.
        assertTrue(lines[0].matches("(0x)?0*1\\t40\\d{3}\\t7\\t.*"), lines[0]);
        assertTrue(out.contains("63617074757265") /* "capture" in hex */, out);
        assertTrue(java.util.Arrays.stream(lines).anyMatch(l -> l.matches("(0x)?0*2\\t7\\t40\\d{3}\\t.*")), out);
    }

    static boolean tsharkAvailable() {
        try {
            Process p = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** A frame as the guest would send it (its MAC, its address). */
    EthernetFrame.Builder fromGuestMac(MacAddress dst) {
        return EthernetFrame.builder().source(MacAddress.of(g.board.nic().mac())).destination(dst);
    }

    /** Host frames handed to the guest during {@code run}. */
    java.util.List<dev.wirelab.emulator.wire.Packet> inbound(Runnable run) {
        java.util.List<dev.wirelab.emulator.wire.Packet> seen = new java.util.ArrayList<>();
        VirtualWire.Tap tap = (n, d, f) -> {
            if (d == dev.wirelab.emulator.capture.Direction.INBOUND) {
                seen.add(dev.wirelab.emulator.wire.Packet.parse(f));
            }
        };
        wire.addTap(tap);
        try {
            run.run();
        } finally {
            wire.removeTap(tap);
        }
        return seen;
    }

    @Test
    void malformedGuestFramesAreCountedNotThrown() {
        byte[] good = fromGuestMac(VirtualWire.HOST_MAC)
                .payload(Ipv4Packet.builder().source(VirtualWire.GUEST_IP).destination(VirtualWire.HOST_IP)
                        .payload(TcpSegment.builder().ports(7, 40000).flags("S.").seq(5).ack(6)))
                .encode();
        SplittableRandom rnd = new SplittableRandom(5);
        int logBefore = g.board.guestLog().entries().size();
        long framesBefore = wire.stats().guestFrames();
        for (int i = 0; i < 300; i++) {
            byte[] f = i % 3 == 0 ? Arrays.copyOf(good, 14 + rnd.nextInt(good.length - 14)) : good.clone();
            if (i % 3 == 1) {
                f[14 + rnd.nextInt(f.length - 14)] ^= (byte) (1 + rnd.nextInt(255));
            }
            if (i % 3 == 2) {
                f = new byte[rnd.nextInt(40)];
                rnd.nextBytes(f);
            }
            wire.fromGuest(f);
        }
        VirtualWire.Stats st = wire.stats();
        assertEquals(300, st.guestFrames() - framesBefore);
        assertTrue(st.malformedGuestFrames() >= 150, st.toString());
        assertTrue(g.board.guestLog().entries().size() > logBefore);
        assertTrue(g.board.guestLog().entries().stream().anyMatch(e -> e.message().startsWith("malformed guest frame")));
        int seq = wire.icmp().ping(VirtualWire.GUEST_IP, 8);
        wire.await("pong", () -> wire.icmp().answered(seq));
    }

    @Test
    void guestPingsTheHost() {
        byte[] body = "ping from the guest".getBytes(StandardCharsets.US_ASCII);
        var seen = inbound(() -> {
            wire.fromGuest(fromGuestMac(VirtualWire.HOST_MAC)
                    .payload(Ipv4Packet.builder().source(VirtualWire.GUEST_IP).destination(VirtualWire.HOST_IP)
                            .payload(dev.wirelab.emulator.wire.Icmpv4Message.echoRequest(0x1234, 9, body)))
                    .encode());
            wire.await("reply delivered", () -> wire.stats().injected() >= 1);
        });
        assertEquals(1, wire.icmp().requestsAnswered());
        var reply = seen.getFirst();
        assertTrue(reply.isWellFormed(), reply.toString());
        assertEquals(dev.wirelab.emulator.wire.Icmpv4Message.ECHO_REPLY, reply.icmp().type());
        assertEquals(0x1234, reply.icmp().identifier());
        assertEquals(9, reply.icmp().sequence());
        assertArrayEquals(body, reply.icmp().body().toArray());
        assertEquals(VirtualWire.HOST_IP, reply.ipv4().source());
    }

    @Test
    void arpAnswersForHostAndDnsLearnsTheGuestAndDefendsTheGateway() {
        MacAddress guest = MacAddress.of(g.board.nic().mac());
        var seen = inbound(() -> {
            for (var target : new dev.wirelab.emulator.wire.Ipv4Address[] {VirtualWire.HOST_IP, VirtualWire.DNS_IP,
                    dev.wirelab.emulator.wire.Ipv4Address.parse("10.0.2.77")}) {
                wire.fromGuest(fromGuestMac(MacAddress.BROADCAST).payload(
                        dev.wirelab.emulator.wire.ArpPacket.request(guest, VirtualWire.GUEST_IP, target).asPayload()).encode());
            }
            // Gratuitous ARP for the guest's own address: learned, not answered.
            wire.fromGuest(fromGuestMac(MacAddress.BROADCAST).payload(
                    dev.wirelab.emulator.wire.ArpPacket.request(guest, VirtualWire.GUEST_IP, VirtualWire.GUEST_IP).asPayload())
                    .encode());
            // The guest claims the gateway's address: the host defends it.
            wire.fromGuest(fromGuestMac(MacAddress.BROADCAST).payload(
                    dev.wirelab.emulator.wire.ArpPacket.request(guest, VirtualWire.HOST_IP, VirtualWire.HOST_IP).asPayload())
                    .encode());
            wire.runFor(1_000_000);
        });
        assertEquals(3, seen.size(), seen.toString());
        assertEquals(VirtualWire.HOST_IP, seen.get(0).arp().senderProtocol());
        assertEquals(VirtualWire.HOST_MAC, seen.get(0).arp().senderHardware());
        assertEquals(guest, seen.get(0).ethernet().destination());
        assertEquals(VirtualWire.DNS_IP, seen.get(1).arp().senderProtocol());
        assertTrue(seen.get(2).ethernet().destination().isBroadcast());
        assertEquals(VirtualWire.HOST_IP, seen.get(2).arp().senderProtocol());
        assertEquals(1, wire.arp().conflicts());
        assertEquals(guest, wire.arp().lookup(VirtualWire.GUEST_IP));
    }

    @Test
    void dhcpOfferEchoesTheXid() {
        MacAddress mac = MacAddress.parse("02:00:00:00:00:42");
        byte[] bootp = new byte[244];
        bootp[0] = 1;
        bootp[1] = 1;
        bootp[2] = 6;
        bootp[4] = 0x12;
        bootp[5] = 0x34;
        bootp[6] = 0x56;
        bootp[7] = 0x78;
        System.arraycopy(mac.toBytes(), 0, bootp, 28, 6);
        bootp[236] = 0x63;
        bootp[237] = (byte) 0x82;
        bootp[238] = 0x53;
        bootp[239] = 0x63;
        bootp[240] = 53;
        bootp[241] = 1;
        bootp[242] = 1; // DISCOVER
        bootp[243] = (byte) 255;
        var seen = inbound(() -> {
            wire.fromGuest(EthernetFrame.builder().source(mac).destination(MacAddress.BROADCAST)
                    .payload(Ipv4Packet.builder().source("0.0.0.0").destination("255.255.255.255")
                            .payload(UdpDatagram.builder().ports(68, 67).payload(bootp)))
                    .encode());
            wire.runFor(1_000_000);
        });
        assertEquals(1, seen.size());
        var offer = seen.getFirst().payload();
        assertEquals(2, offer.u8(0));
        assertEquals(0x12345678L, offer.u32(4));
        // First client of the pool (the statically configured guest holds no lease) gets 10.0.2.15.
        assertEquals(VirtualWire.GUEST_IP, dev.wirelab.emulator.wire.Ipv4Address.of(offer.slice(16, 4).toArray()));
        assertEquals(VirtualWire.GUEST_IP, wire.dhcp().lease(mac));
        assertEquals(0x12345678L, wire.dhcp().lastXid());
    }
}
