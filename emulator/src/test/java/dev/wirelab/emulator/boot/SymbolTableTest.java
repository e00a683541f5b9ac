package dev.wirelab.emulator.boot;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class SymbolTableTest {
    private static SymbolTable.Symbol f(String n, long a, long s) {
        return new SymbolTable.Symbol(n, a, s, SymbolTable.Kind.FUNC);
    }

    @Test
    void describesAddressesInsideSymbols() {
        SymbolTable t = SymbolTable.of(List.of(f("main", 0x1000, 0x40), f("helper", 0x1040, 0x20),
                new SymbolTable.Symbol("table", 0x2000, 0x100, SymbolTable.Kind.OBJECT)));
        assertEquals("main", t.describe(0x1000));
        assertEquals("main+0x1c", t.describe(0x101c));
        assertEquals("helper+0x1f", t.describe(0x105f));
        assertNull(t.describe(0x1060));
        assertNull(t.describe(0xfff));
        assertEquals("table+0x10", t.describe(0x2010));
        assertEquals(0x1040, t.address("helper").getAsLong());
        assertTrue(t.address("nope").isEmpty());
        assertEquals(List.of("helper", "main", "table"), List.copyOf(t.names()));
        assertEquals(3, t.size());
    }

    @Test
    void nestedSymbolsFallBackToTheEnclosingOne() {
        SymbolTable t = SymbolTable.of(List.of(f("outer", 0x1000, 0x100), f("inner", 0x1010, 0x10)));
        assertEquals("inner+0x4", t.describe(0x1014));
        assertEquals("outer+0x50", t.describe(0x1050));
    }

    @Test
    void sizeZeroLabelsExtendToTheNextSymbol() {
        SymbolTable t = SymbolTable.of(List.of(
                new SymbolTable.Symbol("_start", 0x4008_0000L, 0, SymbolTable.Kind.LABEL),
                new SymbolTable.Symbol("vectors", 0x4008_0800L, 0, SymbolTable.Kind.LABEL)));
        assertEquals("_start+0x1c", t.describe(0x4008_001cL));
        assertEquals("vectors", t.describe(0x4008_0800L));
        assertNull(t.describe(0x4008_0801L));
    }

    @Test
    void aliasesPreferFunctions() {
        SymbolTable t = SymbolTable.of(List.of(
                new SymbolTable.Symbol("zz_label", 0x100, 0, SymbolTable.Kind.LABEL), f("fn", 0x100, 8)));
        assertEquals("fn+0x4", t.describe(0x104));
    }

    @Test
    void highAddressesCompareUnsigned() {
        SymbolTable t = SymbolTable.of(List.of(f("low", 0x1000, 0x10), f("kernel", 0xffff_8000_0000_0000L, 0x1000)));
        assertEquals("kernel+0x10", t.describe(0xffff_8000_0000_0010L));
        assertEquals("low", t.describe(0x1000));
    }

    @Test
    void emptyTable() {
        assertNull(SymbolTable.empty().describe(0));
        assertTrue(SymbolTable.empty().names().isEmpty());
    }

    @Test
    void symbolsComeFromTheElf() {
        byte[] elf = new ElfWriter().entry(0x4008_0000L).seg(0x4008_0000L, ElfWriter.code(), 0x100, 5)
                .func("_start", 0x4008_0000L, 0x20).object("buf", 0x4008_0080L, 0x40)
                .notype("$x", 0x4008_0000L).notype("loop", 0x4008_0020L).build();
        ElfImage img = (ElfImage) BootImages.parse("k", elf);
        assertEquals("_start+0x8", img.symbols().describe(0x4008_0008L));
        assertEquals("loop+0x4", img.symbols().describe(0x4008_0024L));
        assertEquals("buf+0x3f", img.symbols().describe(0x4008_00bfL));
        assertFalse(img.symbols().names().contains("$x"));
    }
}
