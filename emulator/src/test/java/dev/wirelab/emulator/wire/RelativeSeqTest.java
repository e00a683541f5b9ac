package dev.wirelab.emulator.wire;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelativeSeqTest {
    @Test
    void unknownIsnMeansAbsoluteNumbers() {
        RelativeSeq r = RelativeSeq.UNKNOWN;
        assertFalse(r.known());
        assertEquals(1234, r.relative(SeqNumber.of(1234)));
        assertEquals(SeqNumber.of(77), r.absolute(77));
        assertSame(r, r.sent(SeqNumber.of(5), 10), "nothing to track before the SYN");
    }

    @Test
    void numbersAreOffsetsFromTheIsnAcrossTheWrap() {
        RelativeSeq r = RelativeSeq.from(SeqNumber.of(0xffff_fff0L));
        assertTrue(r.known());
        assertEquals(0, r.next());
        r = r.sent(SeqNumber.of(0xffff_fff0L), 1); // the SYN
        assertEquals(1, r.next());
        r = r.sent(SeqNumber.of(0xffff_fff1L), 100); // data across 2^32
        assertEquals(101, r.next());
        assertEquals(101, r.relative(SeqNumber.of(0x55)));
        assertEquals(SeqNumber.of(0x55), r.absolute(101));
        assertEquals(101, r.sent(SeqNumber.of(0xffff_fff1L), 10).next(), "a retransmission does not move next back");
        assertEquals(200, r.advancedTo(200).next());
        assertEquals(-1, r.relative(SeqNumber.of(0xffff_ffefL)), "just before the ISN: negative, not 2^32 - 1");
        assertEquals(101, r.sent(SeqNumber.of(0xffff_ffefL), 1).next(), "numbers before the ISN never move next");
    }
}
