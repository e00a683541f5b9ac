package dev.wirelab.emulator.boot;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Finds an ELF64 little-endian section by name (through {@code e_shstrndx}), for the
 * non-loaded sections the boot path ignores, such as DWARF's {@code .debug_line}.
 * Every malformed field is a {@link BadImageException}.
 */
final class ElfSections {
    private static final int SHDR_SIZE = 64;
    private static final int SHT_NOBITS = 8;
    private static final int SHN_XINDEX = 0xffff;
    private static final int MAX_NAME = 256;

    /**
     * One section's bytes in the file.
     *
     * @param name   section name
     * @param offset {@code sh_offset}
     * @param size   {@code sh_size}
     */
    record Section(String name, long offset, long size) { }

    private final Bytes b;
    private final long shoff;
    private final int shnum;
    private final long namesOff;
    private final long namesSize;

    ElfSections(Bytes b) {
        this.b = b;
        b.need(0, 64, "ELF header");
        if (b.u8(0, "EI_MAG0") != 0x7f || b.u8(1, "EI_MAG1") != 'E' || b.u8(2, "EI_MAG2") != 'L'
                || b.u8(3, "EI_MAG3") != 'F' || b.u8(4, "EI_CLASS") != 2 || b.u8(5, "EI_DATA") != 1) {
            throw new BadImageException(b.name() + ": not an ELF64 little-endian file");
        }
        shoff = b.u64le(40, "e_shoff");
        int shentsize = b.u16le(58, "e_shentsize");
        shnum = b.u16le(60, "e_shnum");
        int shstrndx = b.u16le(62, "e_shstrndx");
        if (shoff == 0 || shnum == 0) {
            namesOff = 0;
            namesSize = 0;
            return;
        }
        if (shentsize != SHDR_SIZE) {
            throw new BadImageException(b.name() + ": ELF e_shentsize " + shentsize + " is not " + SHDR_SIZE);
        }
        b.need(shoff, (long) shnum * SHDR_SIZE, "section header table (e_shoff " + Hex.of(shoff) + ")");
        if (shstrndx == SHN_XINDEX || shstrndx >= shnum) {
            throw new BadImageException(b.name() + ": ELF e_shstrndx " + shstrndx + " names no section of " + shnum);
        }
        long sh = shoff + (long) shstrndx * SHDR_SIZE;
        namesOff = b.u64le(sh + 24, "sh_offset of the section name table");
        namesSize = b.u64le(sh + 32, "sh_size of the section name table");
        b.need(namesOff, namesSize, "section name table (section " + shstrndx + ")");
    }

    /** The section called {@code name} with bytes in the file, if there is one. */
    Optional<Section> find(String name) {
        for (int i = 0; i < shnum; i++) {
            long sh = shoff + (long) i * SHDR_SIZE;
            long nameOff = b.u32le(sh, "sh_name");
            if (!name.equals(nameAt(nameOff)) || b.u32le(sh + 4, "sh_type") == SHT_NOBITS) {
                continue;
            }
            long off = b.u64le(sh + 24, "sh_offset");
            long size = b.u64le(sh + 32, "sh_size");
            b.need(off, size, name + " (section " + i + ")");
            return Optional.of(new Section(name, off, size));
        }
        return Optional.empty();
    }

    private String nameAt(long off) {
        if (off >= namesSize) {
            return null;
        }
        byte[] a = b.array();
        int start = (int) (namesOff + off);
        int limit = (int) Math.min(namesOff + namesSize, start + (long) MAX_NAME);
        int end = start;
        while (end < limit && a[end] != 0) {
            end++;
        }
        return new String(a, start, end - start, StandardCharsets.UTF_8);
    }
}
