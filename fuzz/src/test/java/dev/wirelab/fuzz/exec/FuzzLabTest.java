package dev.wirelab.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.emulator.lab.FrameEvent;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpSegment;
import dev.wirelab.fuzz.EstablishedLab;
import dev.wirelab.fuzz.input.Advance;
import dev.wirelab.fuzz.input.AppRead;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.Payload;
import dev.wirelab.fuzz.input.Rel;
import dev.wirelab.fuzz.input.Segment;
import dev.wirelab.fuzz.input.StreamTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FuzzLabTest {
    @RegisterExtension
    static final EstablishedLab LAB = new EstablishedLab();

    static FuzzLab lab() {
        return LAB.lab();
    }

    static FuzzInput dataThenRead() {
        return FuzzInput.of(StreamTarget.TCP_ESTABLISHED,
                Segment.of(TcpFlags.ACK | TcpFlags.PSH, Rel.peerNext(0), Rel.guestNext(0), 65535, Payload.of("hello")),
                new AppRead(100), new Advance(300_000)); // lwIP's delayed ACK goes out on its 250 ms timer
    }

    @Test
    void dataOnTheEstablishedConnectionIsAckedAndCoverageIsCollected() {
        Execution e = lab().execute(dataThenRead());
        System.out.println("insns=" + e.instructions() + " ticks=" + e.ticks() + " quiet=" + e.quiet() + " notes="
                + e.notes() + " edges=" + lab().edges().edgesHit() + "/" + lab().edges().size());
        for (FrameEvent f : e.frames()) {
            System.out.println(f);
        }
        assertNull(e.ended());
        assertNull(e.budgetOut());
        boolean acked = false;
        for (FrameEvent f : e.frames()) {
            TcpSegment t = f.isOut() ? f.getPacket().tcp() : null;
            if (t != null && t.isAck() && t.destinationPort() == 40000) {
                acked = true;
            }
        }
        assertTrue(acked, "the guest acked the data");
        assertTrue(lab().edges().edgesHit() > 50, "guest edges were counted");
    }

    @Test
    void sameInputSameTraceHash() {
        lab().execute(dataThenRead());
        String h1 = lab().lab().trace.getHash();
        int edges1 = lab().edges().edgesHit();
        lab().execute(FuzzInput.of(StreamTarget.TCP_ESTABLISHED));
        String other = lab().lab().trace.getHash();
        lab().execute(dataThenRead());
        assertEquals(h1, lab().lab().trace.getHash());
        assertEquals(edges1, lab().edges().edgesHit());
        assertNotEquals(h1, other);
    }
}
