package dev.wirelab.emulator.net;

import dev.wirelab.emulator.capture.Direction;
import dev.wirelab.emulator.wire.Packet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames lost on the wire: the host retransmits what the guest missed and reassembles what it missed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LossyWireTest {
    BootedGuest g;
    VirtualWire wire;

    @BeforeAll
    void boot() throws Exception {
        g = BootedGuest.boot();
        wire = g.wire;
    }

    @AfterAll
    void close() {
        g.close();
    }

    @BeforeEach
    void reset() {
        g.reset();
    }

    @AfterEach
    void noLoss() {
        wire.lossModel(VirtualWire.LossModel.NONE);
    }

    /** Drops data segments number {@code which} (1-based, counted per direction) once each. */
    static VirtualWire.LossModel dropDataSegments(Direction direction, int... which) {
        int[] seen = {0};
        return (d, f) -> {
            if (d != direction) {
                return false;
            }
            Packet p = Packet.parse(f);
            if (p.tcp() == null || p.tcp().payload().isEmpty()) {
                return false;
            }
            seen[0]++;
            for (int w : which) {
                if (seen[0] == w) {
                    return true;
                }
            }
            return false;
        };
    }

    @Test
    void hostRetransmitsSegmentsTheGuestNeverGot() {
        byte[] data = new byte[64 * 1024];
        new SplittableRandom(1).nextBytes(data);
        wire.lossModel(dropDataSegments(Direction.INBOUND, 3, 20, 21, 22));
        TcpConnection c = wire.tcp().connect("10.0.2.15", 7).awaitEstablished();
        c.send(data);
        c.awaitReceived(data.length);
        assertArrayEquals(data, c.read());
        assertEquals(4, wire.lost());
        assertTrue(c.stats().retransmits() >= 1, c.stats().toString());
        c.close();
        c.awaitClosed();
        assertNull(c.error());
    }

    @Test
    void lostTailIsRecoveredByTheRto() {
        // The only data segment is lost: no duplicate ACKs can follow, only the timer recovers it.
        wire.lossModel(dropDataSegments(Direction.INBOUND, 1));
        TcpConnection c = wire.tcp().connect("10.0.2.15", 7).awaitEstablished();
        c.send("lost once");
        c.awaitReceived(9);
        assertEquals("lost once", c.readString());
        assertEquals(1, c.stats().timeouts(), c.stats().toString());
    }

    @Test
    void hostReassemblesAroundSegmentsItNeverGot() {
        wire.lossModel(dropDataSegments(Direction.OUTBOUND, 5, 9, 10));
        TcpConnection c = wire.tcp().connect("10.0.2.15", 80).awaitEstablished();
        c.send("GET /big HTTP/1.0\r\n\r\n");
        c.awaitPeerClosed();
        String r = c.readString();
        String body = r.substring(r.indexOf("\r\n\r\n") + 4);
        assertEquals(1 << 20, body.length());
        for (int k = 0; k < 16384; k += 997) {
            String line = body.substring(k * 64, k * 64 + 64);
            assertEquals(String.format("%08x ", k), line.substring(0, 9));
            assertEquals('a' + k % 26, line.charAt(9));
        }
        assertTrue(c.stats().outOfOrderSegments() >= 1, c.stats().toString());
        assertEquals(3, wire.lost());
    }

    @Test
    void lostSynIsRetried() {
        wire.lossModel(new VirtualWire.LossModel() {
            boolean done;

            @Override
            public boolean drop(Direction d, byte[] f) {
                Packet p = Packet.parse(f);
                if (!done && d == Direction.INBOUND && p.tcp() != null && p.tcp().syn()) {
                    done = true;
                    return true;
                }
                return false;
            }
        });
        TcpConnection c = wire.tcp().connect("10.0.2.15", 7).awaitEstablished();
        assertEquals(1, c.stats().timeouts());
        c.send("x".getBytes(StandardCharsets.US_ASCII));
        c.awaitReceived(1);
    }
}
