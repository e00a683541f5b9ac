package dev.wirelab.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.emulator.lab.FrameEvent;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpSegment;
import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.input.Advance;
import dev.wirelab.fuzz.input.AppWrite;
import dev.wirelab.fuzz.input.Connect;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.Payload;
import dev.wirelab.fuzz.input.Rel;
import dev.wirelab.fuzz.input.SegOption;
import dev.wirelab.fuzz.input.Segment;
import dev.wirelab.fuzz.input.Source;
import dev.wirelab.fuzz.input.StreamTarget;
import dev.wirelab.fuzz.input.Tick;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** tcp-listen and tcp-interleave against the real default guest. */
class TargetLabsTest {
    private static int dataFramesTo(Execution e, int peerPort) {
        int n = 0;
        for (FrameEvent f : e.frames()) {
            TcpSegment t = f.isOut() && f.getPacket().tcp() != null ? f.getPacket().tcp() : null;
            if (t != null && t.destinationPort() == peerPort && t.payload().length() > 0) {
                n++;
            }
        }
        return n;
    }

    @Test
    void listenActsOnTheConnectionTheInputsHandshakeOpened() {
        try (FuzzLab lab = FuzzLab.open(GuestProfile.defaultGuest(), StreamTarget.TCP_LISTEN, ExecSettings.defaults())) {
            Segment syn = Segment.of(TcpFlags.SYN, Rel.peerNext(0), Rel.guestNext(0), 65535, Payload.NONE)
                    .withOptions(new SegOption.Mss(536));
            Segment ack = Segment.of(TcpFlags.ACK, Rel.peerNext(0), Rel.guestNext(0), 65535, Payload.NONE);
            Execution e = lab.execute(FuzzInput.of(StreamTarget.TCP_LISTEN, syn, ack, new AppWrite(1000)));
            assertTrue(dataFramesTo(e, 40000) >= 1, "the write went out (in 536-byte segments): " + e.frames());
            Execution none = lab.execute(FuzzInput.of(StreamTarget.TCP_LISTEN, new AppWrite(1000)));
            assertEquals(0, dataFramesTo(none, 40000), "no handshake, no connection to write on");
            Execution zero = lab.execute(FuzzInput.of(StreamTarget.TCP_LISTEN, syn.from(Source.UNSPECIFIED, 1)));
            assertTrue(zero.frames().stream().anyMatch(f -> !f.isOut()), "a SYN from 0.0.0.0 is injected");
        }
    }

    @Test
    void interleaveTicksLandAtInputChosenInstructionsDeterministically() {
        try (FuzzLab lab = FuzzLab.open(GuestProfile.defaultGuest(), StreamTarget.TCP_INTERLEAVE,
                ExecSettings.defaults())) {
            Segment data = Segment.of(TcpFlags.ACK | TcpFlags.PSH, Rel.peerNext(0), Rel.guestNext(0), 65535,
                    Payload.of("interleave"));
            Set<String> hashes = new HashSet<>();
            for (long at : new long[] {200, 1500, 4000}) {
                FuzzInput in = FuzzInput.of(StreamTarget.TCP_INTERLEAVE, data, new Tick(at), new AppWrite(10));
                lab.execute(in);
                String h = lab.lab().trace.getHash();
                lab.execute(in);
                assertEquals(h, lab.lab().trace.getHash(), "tick at +" + at + " replays identically");
                hashes.add(h);
            }
            assertEquals(3, hashes.size(), "each tick offset is a different run");
            Execution two = lab.execute(FuzzInput.of(StreamTarget.TCP_INTERLEAVE, new Connect(0), new Connect(1),
                    new Advance(50_000)));
            Set<Integer> ports = new HashSet<>();
            for (FrameEvent f : two.frames()) {
                TcpSegment t = f.isOut() && f.getPacket().tcp() != null ? f.getPacket().tcp() : null;
                if (t != null && t.syn() && !t.isAck()) {
                    ports.add(t.sourcePort());
                }
            }
            assertEquals(2, ports.size(), "two concurrent connects, two SYNs from two ephemeral ports: " + ports);
            assertNotEquals(Set.of(), ports);
        }
    }
}
