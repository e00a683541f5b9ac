package dev.wirelab.emulator.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeqNumberTest {
    @Test
    void wrapsExplicitly() {
        SeqNumber top = SeqNumber.of(0xffff_fff0L);
        assertEquals(0x10, top.plus(0x20).value());
        assertEquals(top, top.plus(0x20).minus(0x20));
        assertEquals(0xffff_ffffL, SeqNumber.ZERO.minus(1).value());
        assertEquals(5, SeqNumber.of(-(1L << 32) + 5).value());
    }

    @Test
    void serialOrderAcrossTheWrap() {
        SeqNumber a = SeqNumber.of(0xffff_fff0L);
        SeqNumber b = SeqNumber.of(0x10);
        assertTrue(a.isBefore(b));
        assertTrue(b.isAfter(a));
        assertEquals(0x20, a.signedDistanceTo(b));
        assertEquals(-0x20, b.signedDistanceTo(a));
        assertEquals(0x20, a.forwardDistanceTo(b));
        assertEquals((1L << 32) - 0x20, b.forwardDistanceTo(a));
        assertEquals(0x20, b.checkedDistanceFrom(a));
        assertEquals(b, a.max(b));
        assertEquals(a, b.min(a));
    }

    @Test
    void checkedSubtractionRefusesUnderflow() {
        // the smoltcp 0.12 bug shape: ack beyond what the window bookkeeping expected
        SeqNumber rcvNxt = SeqNumber.of(1000);
        SeqNumber windowEdge = SeqNumber.of(1500);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> rcvNxt.checkedDistanceFrom(windowEdge));
        assertTrue(e.getMessage().startsWith("attempt to subtract sequence numbers with underflow"), e.getMessage());
        assertEquals(500, windowEdge.checkedDistanceFrom(rcvNxt));
    }

    @Test
    void halfwayApartIsUnordered() {
        SeqNumber a = SeqNumber.of(7);
        SeqNumber b = a.plus(1L << 31);
        assertFalse(a.isComparableTo(b));
        assertFalse(a.isBefore(b));
        assertFalse(b.isBefore(a));
        assertFalse(a.isAfter(b));
        assertThrows(ArithmeticException.class, () -> b.checkedDistanceFrom(a));
    }

    @Test
    void windowTest() {
        SeqNumber start = SeqNumber.of(0xffff_ff00L);
        assertTrue(start.isInWindow(start, 1));
        assertFalse(start.isInWindow(start, 0));
        assertTrue(SeqNumber.of(0x10).isInWindow(start, 0x200));
        assertFalse(SeqNumber.of(0x100).isInWindow(start, 0x200));
        assertFalse(start.minus(1).isInWindow(start, 0x200));
        assertTrue(start.minus(1).isInWindow(start, 1L << 32));
        assertThrows(IllegalArgumentException.class, () -> start.isInWindow(start, -1));
    }

    @Test
    void propertiesHoldForRandomPairs() {
        SplittableRandom r = new SplittableRandom(1982);
        for (int i = 0; i < 100_000; i++) {
            SeqNumber a = new SeqNumber(r.nextInt());
            long n = r.nextLong(1L << 31);
            SeqNumber b = a.plus(n);
            assertEquals(n, a.forwardDistanceTo(b));
            if (n != 0) {
                assertTrue(a.isBefore(b));
                assertTrue(b.isAfter(a));
                assertFalse(b.isBefore(a));
            }
            assertEquals(n, b.checkedDistanceFrom(a));
            assertEquals(a, b.minus(n));
            assertEquals((int) n, a.signedDistanceTo(b));
            assertEquals(a.isBefore(b), !a.isAtOrAfter(b));
        }
    }
}
