package dev.wirelab.emulator.boot;

import java.util.List;

/**
 * An ELF64 little-endian AArch64 executable (ET_EXEC): its PT_LOAD segments, the
 * header's entry point and the symbols of its .symtab (empty if stripped).
 *
 * @param name     file name, for messages
 * @param entry    {@code e_entry} as written in the header (a virtual address)
 * @param segments PT_LOAD segments with a non-zero memory size, in file order
 * @param symbols  FUNC and OBJECT symbols, possibly empty
 * @param lines    the DWARF line table (read on first use; empty when built without -g)
 */
public record ElfImage(String name, long entry, List<Segment> segments, SymbolTable symbols, LineTable lines)
        implements BootImage {

    /**
     * One PT_LOAD segment.
     *
     * @param index    program header index, for messages ("segment 1")
     * @param paddr    physical load address ({@code p_paddr}); this is where wirelab loads it
     * @param vaddr    link address ({@code p_vaddr})
     * @param data     the {@code p_filesz} bytes from the file
     * @param memSize  {@code p_memsz}; bytes past {@code data.length} are zero-filled
     * @param flags    {@code p_flags} (PF_X 1, PF_W 2, PF_R 4)
     */
    public record Segment(int index, long paddr, long vaddr, byte[] data, long memSize, int flags) {
        /** True if the segment is executable (PF_X). */
        public boolean executable() {
            return (flags & 1) != 0;
        }
    }

    public ElfImage {
        segments = List.copyOf(segments);
    }

    /** An image without source line information. */
    public ElfImage(String name, long entry, List<Segment> segments, SymbolTable symbols) {
        this(name, entry, segments, symbols, LineTable.none());
    }

    @Override
    public String formatName() {
        return "ELF";
    }

    /**
     * The entry point as a physical address, as QEMU's ELF loader computes it: if
     * {@code e_entry} falls inside an executable segment whose vaddr differs from
     * its paddr, it is translated into that segment's physical range.
     */
    public long physicalEntry() {
        for (Segment s : segments) {
            if (s.executable() && s.vaddr() != s.paddr()
                    && Long.compareUnsigned(entry, s.vaddr()) >= 0
                    && Long.compareUnsigned(entry - s.vaddr(), s.data().length) < 0) {
                return entry - s.vaddr() + s.paddr();
            }
        }
        return entry;
    }

    /** Lowest physical address any segment occupies. */
    public long lowAddress() {
        long low = -1L;
        for (Segment s : segments) {
            if (Long.compareUnsigned(s.paddr(), low) < 0) {
                low = s.paddr();
            }
        }
        return segments.isEmpty() ? 0 : low;
    }

    /** First physical address past every segment. */
    public long highAddress() {
        long high = 0;
        for (Segment s : segments) {
            long end = s.paddr() + s.memSize();
            if (Long.compareUnsigned(end, high) > 0) {
                high = end;
            }
        }
        return high;
    }
}
