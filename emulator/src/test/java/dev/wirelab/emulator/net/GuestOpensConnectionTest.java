package dev.wirelab.emulator.net;

import dev.wirelab.emulator.board.BoardConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guest (its lab agent) connects to a host listener: passive open, data both ways, guest-first close. */
class GuestOpensConnectionTest {
    static final int SOCKET = 198, CONNECT = 203, WRITE = 64, READ = 63, CLOSE = 57;

    @Test
    void hostAcceptsAConnectionFromTheGuest() throws Exception {
        LabAgentHost agent = new LabAgentHost();
        try (BootedGuest g = BootedGuest.boot(BoardConfig.defaults(), VirtualWire.Config.defaults(),
                b -> b.interceptSvc(agent))) {
            VirtualWire wire = g.wire;
            wire.await("agent 0 hello", () -> agent.buffer > 0); // boot ends at the ready line, before the agents start
            TcpListener listener = wire.tcp().listen(5000);
            byte[] sockaddr = {2, 0, (byte) (5000 >>> 8), (byte) (5000 & 0xff), 10, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0};
            long buf = agent.buffer;
            assertTrue(buf > 0, "agent 0 said hello");
            agent.queue(SOCKET, r -> new long[] {2, 1, 0});
            agent.queue(CONNECT, r -> new long[] {r.get(0), buf, 16}, 0, sockaddr);
            agent.queue(WRITE, r -> new long[] {r.get(0), buf + 64, 5}, 64, "hello".getBytes(StandardCharsets.US_ASCII));
            agent.queue(READ, r -> new long[] {r.get(0), buf + 128, 100});
            agent.queue(CLOSE, r -> new long[] {r.get(0)});

            TcpConnection c = listener.awaitAccept();
            assertEquals(VirtualWire.HOST_IP, c.localAddress());
            assertEquals(5000, c.localPort());
            c.awaitReceived(5);
            assertEquals("hello", c.readString());
            c.send("world");
            wire.await("agent read", () -> agent.results.size() >= 4);
            assertEquals(5, agent.results.get(3), "read() result " + agent.results);
            assertArrayEquals("world".getBytes(StandardCharsets.US_ASCII), g.board.readVirtual(buf + 128, 5));
            c.awaitPeerClosed();
            c.close();
            c.awaitClosed();
            assertNull(c.error());
            assertEquals(0, agent.results.get(1), "connect() result " + agent.results);
            assertEquals(1, listener.acceptedTotal());
        }
    }

    @Test
    void connectionToAPortNobodyListensOnIsReset() throws Exception {
        LabAgentHost agent = new LabAgentHost();
        try (BootedGuest g = BootedGuest.boot(BoardConfig.defaults(), VirtualWire.Config.defaults(),
                b -> b.interceptSvc(agent))) {
            g.wire.await("agent 0 hello", () -> agent.buffer > 0);
            long buf = agent.buffer;
            byte[] sockaddr = {2, 0, 0x1f, (byte) 0x90, 10, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0}; // port 8080
            agent.queue(SOCKET, r -> new long[] {2, 1, 0});
            agent.queue(CONNECT, r -> new long[] {r.get(0), buf, 16}, 0, sockaddr);
            g.wire.await("connect result", () -> agent.results.size() >= 2);
            assertEquals(-111, agent.results.get(1), "ECONNREFUSED: " + agent.results);
            assertEquals(1, g.wire.tcp().resetsSent());
        }
    }
}
