package dev.wirelab.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NumbersTest {
    @Test
    void countsAcceptSeparatorsAndHex() {
        assertEquals(20_000_000_000L, Numbers.parseUnsigned("20_000_000_000", "a count"));
        assertEquals(1_000_000L, Numbers.parseUnsigned("1,000,000", "a count"));
        assertEquals(0x40000000L, Numbers.parseUnsigned("0x4000_0000", "an address"));
        assertEquals(0xffff_0000_0000_0000L, Numbers.parseUnsigned("0xffff000000000000", "an address"));
    }

    @Test
    void garbageAndNegativesAreRefused() {
        assertThrows(TypeConversionException.class, () -> Numbers.parseUnsigned("-1", "a count"));
        assertThrows(TypeConversionException.class, () -> Numbers.parseUnsigned("1e9", "a count"));
        assertThrows(TypeConversionException.class, () -> Numbers.parseUnsigned("0x", "an address"));
    }

    @Test
    void sizesUseTheBoardsParser() {
        assertEquals(128L << 20, new Numbers.Size().convert("128M"));
        assertThrows(TypeConversionException.class, () -> new Numbers.Size().convert("99T"));
    }
}
