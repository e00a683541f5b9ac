package dev.wirelab.emulator.agent;

import dev.wirelab.emulator.net.TcpConnection;
import dev.wirelab.emulator.net.TcpListener;
import dev.wirelab.emulator.net.VirtualWire;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Agents as clients of the host's TCP endpoint on the virtual wire (the gateway, 10.0.2.2). */
class VirtualWireTest {
    @Test
    void anAgentTalksToAHostListener() {
        VirtualWire[] wire = new VirtualWire[1];
        GuestBoard g = new GuestBoard(b -> wire[0] = VirtualWire.attach(b));
        try {
            g.host.awaitHello(Budget.virtualMillis(1000), 0, 1);
            Sys sys = g.host.sys();
            TcpListener listener = wire[0].tcp().listen(5000);

            int fd = (int) sys.socket(0, Sys.AF_INET, Sys.SOCK_STREAM, 0).orThrow();
            assertEquals(0, sys.connect(0, fd, "10.0.2.2", 5000).orThrow());
            TcpConnection c = listener.accept();
            assertEquals(sys.getsockname(0, fd).address().port(), c.remotePort());

            assertEquals(5, sys.send(0, fd, "hello".getBytes(StandardCharsets.US_ASCII)).orThrow());
            c.awaitReceived(5);
            assertEquals("hello", c.readString());
            c.send("world");
            assertArrayEquals("world".getBytes(StandardCharsets.US_ASCII), sys.recv(0, fd, 100).data());

            assertEquals(0, sys.close(0, fd).orThrow());
            c.awaitPeerClosed();

            int other = (int) sys.socket(1, Sys.AF_INET, Sys.SOCK_STREAM, 0).orThrow();
            assertEquals(Errno.ECONNREFUSED, sys.connect(1, other, "10.0.2.2", 8080).errno(),
                    "the host resets a port nobody listens on");
        } finally {
            g.board.close();
        }
    }
}
