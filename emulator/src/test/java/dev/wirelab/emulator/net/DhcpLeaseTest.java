package dev.wirelab.emulator.net;

import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.wire.MacAddress;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default guest booted with {@code ip=dhcp} gets its lease from the wire's DHCP server. */
class DhcpLeaseTest {
    @Test
    void guestLeasesItsAddressAndServes() throws Exception {
        try (BootedGuest g = BootedGuest.boot(BoardConfig.defaults().withBootArgs("ip=dhcp"), VirtualWire.Config.defaults())) {
            String console = g.board.console().text();
            assertTrue(console.contains("wirelab-guest: ip 10.0.2.15 gw 10.0.2.2 (dhcp)"), console);
            MacAddress mac = MacAddress.of(g.board.nic().mac());
            DhcpServer dhcp = g.wire.dhcp();
            assertEquals(VirtualWire.GUEST_IP, dhcp.lease(mac));
            assertTrue(dhcp.isBound(mac));
            assertEquals(1, dhcp.offers());
            assertEquals(1, dhcp.acks());
            assertEquals(0, dhcp.naks());
            // The leased guest serves, and the lease is part of the snapshot (it survives a restore).
            g.reset();
            assertTrue(dhcp.isBound(mac));
            TcpConnection c = g.wire.tcp().connect("10.0.2.15", 7).awaitEstablished();
            c.send("leased");
            c.awaitReceived(6);
            assertEquals("leased", new String(c.read(), StandardCharsets.US_ASCII));
        }
    }
}
