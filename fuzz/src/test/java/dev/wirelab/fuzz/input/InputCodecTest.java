package dev.wirelab.fuzz.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.emulator.wire.TcpFlags;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InputCodecTest {
    @Test
    void everyByteStringDecodesAndReencodesToTheSameActions() {
        SplittableRandom rnd = new SplittableRandom(1048);
        for (StreamTarget t : StreamTarget.values()) {
            for (int i = 0; i < 3000; i++) {
                byte[] b = new byte[rnd.nextInt(300)];
                rnd.nextBytes(b);
                FuzzInput x = InputDecoder.decode(t, b);
                assertEquals(x, InputDecoder.decode(t, b), "decoding is a function of the bytes");
                assertEquals(x, InputDecoder.decode(t, InputEncoder.encode(x)), "round trip of " + x);
            }
        }
    }

    @Test
    void theSmoltcp1048ShapeIsExpressibleAndRoundTrips() {
        FuzzInput x = FuzzInput.of(StreamTarget.TCP_ESTABLISHED,
                Segment.of(TcpFlags.ACK | TcpFlags.PSH, Rel.peerNext(0), Rel.guestNext(0), 65535,
                        Payload.text(1460, "fill")),
                new AppRead(100),
                Segment.of(TcpFlags.ACK, Rel.windowEdge(0), Rel.guestNext(0), 65535, Payload.of("x")),
                new Advance(2000));
        assertEquals(x, InputDecoder.decode(x.target(), InputEncoder.encode(x)));
    }

    @Test
    void optionsSourcesAndSackBlocksRoundTrip() {
        Segment syn = Segment.of(TcpFlags.SYN, Rel.peerNext(0), Rel.guestNext(-70000), 1024, Payload.NONE)
                .withOptions(new SegOption.Mss(1), new SegOption.WindowScale(14), new SegOption.SackPermitted(),
                        new SegOption.Timestamps(0xffff_ffffL, 7),
                        new SegOption.Sack(List.of(new SegOption.SackBlock(Rel.guestAcked(-1), Rel.guestNext(1 << 30)))))
                .from(Source.UNSPECIFIED, 3);
        FuzzInput x = FuzzInput.of(StreamTarget.TCP_INTERLEAVE, syn, new Connect(1), new Connect(2), new Tick(12345),
                new AppShutdown(AppShutdown.How.WR));
        assertEquals(x, InputDecoder.decode(x.target(), InputEncoder.encode(x)));
    }

    @Test
    void aSynsConnectionAndSourceCarryToTheSegmentsAfterIt() {
        Segment syn = Segment.of(TcpFlags.SYN, Rel.peerNext(0), Rel.guestNext(0), 65535, Payload.NONE);
        Segment ack = Segment.of(TcpFlags.ACK, Rel.peerNext(0), Rel.guestNext(0), 65535, Payload.of("x"));
        byte[] b = InputEncoder.encode(FuzzInput.of(StreamTarget.TCP_LISTEN, syn, ack));
        // the SYN's h, high byte: bits 1-2 the source code (2: 0.0.0.0), bits 3-4 the connection code (+3)
        b[1] |= (2 << 1) | (3 << 3);
        assertEquals(List.of(syn.from(Source.UNSPECIFIED, 3), ack.from(Source.UNSPECIFIED, 3)),
                InputDecoder.decode(StreamTarget.TCP_LISTEN, b).actions());
        // a segment naming another address or connection does not move the conversation's own
        FuzzInput mixed = FuzzInput.of(StreamTarget.TCP_LISTEN, syn.from(Source.UNSPECIFIED, 1),
                ack.from(Source.OTHER_HOST, 1), ack.from(Source.PEER, 2), ack.from(Source.UNSPECIFIED, 1), syn, ack);
        assertEquals(mixed, InputDecoder.decode(StreamTarget.TCP_LISTEN, InputEncoder.encode(mixed)));
    }

    @Test
    void theBulkRepeatCodeMakesAnySegmentSixteenFullOnes() {
        Segment ack = Segment.of(TcpFlags.ACK, Rel.peerNext(0), Rel.guestNext(0), 65535, Payload.of("x"));
        byte[] b = InputEncoder.encode(FuzzInput.of(StreamTarget.TCP_ESTABLISHED, ack));
        b[1] |= (byte) (7 << 5); // the repeat code: bits 5-7 of h's high byte
        assertEquals(List.of(ack.withPayload(Payload.text(1460, "x")).times(16)),
                InputDecoder.decode(StreamTarget.TCP_ESTABLISHED, b).actions());
        // a short segment sent 16 times keeps its own code
        FuzzInput x = FuzzInput.of(StreamTarget.TCP_ESTABLISHED, ack.times(16), ack.withPayload(Payload.text(1460, "y")).times(16));
        assertEquals(x, InputDecoder.decode(x.target(), InputEncoder.encode(x)));
    }

    @Test
    void tickOffsetsInStepsOf16TakeOneByteUpTo4080() {
        for (long v : new long[] {0, 16, 1008, 1024, 3008, 4080}) {
            byte[] b = InputEncoder.encode(FuzzInput.of(StreamTarget.TCP_INTERLEAVE, new Tick(v)));
            assertTrue(b.length <= 3, v + " takes " + (b.length - 1) + " bytes");
        }
        assertEquals(4, InputEncoder.encode(FuzzInput.of(StreamTarget.TCP_INTERLEAVE, new Tick(900))).length);
        byte op = InputEncoder.encode(FuzzInput.of(StreamTarget.TCP_INTERLEAVE, new Tick(0)))[0];
        // any value of the byte after mode 1 is a tick: a changed byte moves it in steps of 16
        for (int x = 0; x < 256; x++) {
            FuzzInput in = InputDecoder.decode(StreamTarget.TCP_INTERLEAVE, new byte[] {op, 1, (byte) x});
            assertEquals(List.of(new Tick(16L * x)), in.actions());
        }
    }

    @Test
    void truncatedTailIsDroppedNotAnError() {
        FuzzInput x = FuzzInput.of(StreamTarget.TCP_ESTABLISHED, new AppRead(5),
                Segment.of(TcpFlags.ACK, Rel.peerNext(0), Rel.guestNext(0), 100, Payload.of("hello")));
        byte[] b = InputEncoder.encode(x);
        FuzzInput cut = InputDecoder.decode(x.target(), java.util.Arrays.copyOf(b, b.length - 1));
        assertEquals(List.of(new AppRead(5)), cut.actions());
    }

    @Test
    void targetsRejectActionsTheyCannotPerform() {
        assertThrows(IllegalArgumentException.class, () -> FuzzInput.of(StreamTarget.TCP_LISTEN, new Connect(0)));
        assertTrue(StreamTarget.TCP_INTERLEAVE.accepts(new Connect(0)));
        assertThrows(IllegalArgumentException.class, () -> StreamTarget.byId("tcp-lisen"));
    }
}
