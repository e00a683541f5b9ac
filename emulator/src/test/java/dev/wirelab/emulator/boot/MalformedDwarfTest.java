package dev.wirelab.emulator.boot;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Malformed DWARF is bad input: the real guest's {@code .debug_line} and {@code .debug_line_str}
 * with bytes flipped, headers overwritten and sections cut short either still give a table or
 * "no line info" with a one-line reason; nothing else escapes, and booting the ELF is unaffected.
 */
class MalformedDwarfTest {
    private static final byte[] GUEST = LineTableTest.resource("/guest/kernel/wirelab-guest.elf");

    private static ElfSections.Section section(String name) {
        return new ElfSections(new Bytes("guest", GUEST)).find(name).orElseThrow();
    }

    /** Parses {@code bytes} eagerly and lazily; either may refuse, only with a one-line BadImageException. */
    private static void survive(byte[] bytes) {
        try {
            LineTable t = LineTable.parse("fuzz", bytes);
            t.lookup(0x40201a50L);
            t.lookup(0);
        } catch (BadImageException e) {
            String m = e.getMessage();
            assertFalse(m.contains("\n"), "one-line message: " + m);
            assertTrue(m.startsWith("fuzz: "), "names the file: " + m);
        }
        LineTable lazy = LineTable.of("fuzz", bytes);
        lazy.lookup(0x40201a50L);
        assertTrue(lazy.available() || lazy.problem().startsWith("fuzz: "), lazy.problem());
    }

    private static void flip(ElfSections.Section s, long seed, int rounds, int window) {
        Random r = new Random(seed);
        for (int i = 0; i < rounds; i++) {
            byte[] b = GUEST.clone();
            int flips = 1 + r.nextInt(6);
            for (int k = 0; k < flips; k++) {
                int at = (int) (s.offset() + r.nextInt((int) Math.min(s.size(), window)));
                b[at] = r.nextBoolean() ? (byte) r.nextInt(256) : (byte) (b[at] ^ (1 << r.nextInt(8)));
            }
            survive(b);
        }
    }

    @Test
    void flippedBytesInTheLineProgramHeaders() {
        flip(section(".debug_line"), 11, 300, 0x80);   // the first unit's header and file table
    }

    @Test
    void flippedBytesAnywhereInTheLineTable() {
        flip(section(".debug_line"), 12, 150, Integer.MAX_VALUE);
        flip(section(".debug_line_str"), 13, 50, Integer.MAX_VALUE);
    }

    @Test
    void sectionSizesAndOffsetsOverwritten() {
        Random r = new Random(14);
        long shoff = new Bytes("guest", GUEST).u64le(40, "e_shoff");
        int shnum = new Bytes("guest", GUEST).u16le(60, "e_shnum");
        for (int i = 0; i < 150; i++) {
            byte[] b = GUEST.clone();
            long sh = shoff + 64L * r.nextInt(shnum);
            int field = r.nextBoolean() ? 24 : 32;             // sh_offset or sh_size
            int at = (int) sh + field + r.nextInt(8);
            b[at] = (byte) r.nextInt(256);
            survive(b);
        }
    }

    @Test
    void aCorruptLineTableStillBootsAndSaysNoLineInfo() {
        byte[] b = GUEST.clone();
        ElfSections.Section line = section(".debug_line");
        b[(int) line.offset() + 4] = 9;     // version 9
        ElfImage elf = assertInstanceOf(ElfImage.class, BootImages.parse("guest.elf", b));
        assertTrue(elf.symbols().size() > 100);
        assertFalse(elf.lines().available());
        assertTrue(elf.lines().lookup(elf.entry()).isEmpty());
        assertEquals("guest.elf: .debug_line at offset 0x0: line table version 9 (wirelab reads DWARF 2 to 5): "
                + "the DWARF line table is malformed", elf.lines().problem());
        assertThrows(BadImageException.class, () -> LineTable.parse("guest.elf", b));
    }

    @Test
    void truncatedFilesNeverThrowFromTheLazyTable() {
        ElfSections.Section line = section(".debug_line");
        for (long cut = line.offset(); cut < line.offset() + line.size(); cut += line.size() / 97) {
            byte[] b = java.util.Arrays.copyOf(GUEST, (int) cut);
            LineTable t = LineTable.of("cut", b);
            assertTrue(t.lookup(0x40201a50L).isEmpty());
            assertTrue(t.problem().startsWith("cut: "), t.problem());
        }
    }
}
