package dev.wirelab.emulator.net;

import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.MacAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    }

    @Test
    void tcpEchoRoundTrip() {
        TcpConnection c = wire.tcp().connect("10.0.2.15", 7).awaitEstablished();
        c.send("hello, wirelab");
        c.awaitReceived(14);
        assertEquals("hello, wirelab", c.readString());
        c.close();
        c.awaitClosed();
        assertEquals(null, c.error());
        assertTrue(c.peerClosed());
    }
}
