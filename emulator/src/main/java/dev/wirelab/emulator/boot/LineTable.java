package dev.wirelab.emulator.boot;

import java.util.List;
import java.util.Optional;

/**
 * A guest image's DWARF line table ({@code .debug_line}): which source file and line an
 * instruction address came from, as {@code addr2line} answers. Built from an ELF by
 * {@link #of}, which parses nothing until the first question, so booting never pays for it
 * and never fails because of it: a missing or malformed table is "no line info" with the
 * reason in {@link #problem()}. Immutable once parsed; safe to share between threads.
 */
public final class LineTable {

    /**
     * A source position.
     *
     * @param file the file's path as the compiler recorded it, normalized ("lwip/src/core/tcp_in.c")
     * @param line 1-based line; 0 when the compiler tied the address to no line
     */
    public record SourceLine(String file, int line) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    /**
     * Addresses {@code [start, end)} that come from one source line (one row of the DWARF line
     * matrix up to the next row of its sequence).
     *
     * @param start first address
     * @param end   first address past the range
     * @param line  where they came from (the last row at {@code start}, as addr2line answers)
     * @param first the first row at {@code start}: at a function's entry, the function's own line,
     *              before the rows of code inlined there; usually the same as {@code line}
     */
    public record Range(long start, long end, SourceLine line, SourceLine first) { }

    private static final LineTable NONE = new LineTable(null, null, new Parsed(List.of(), "no ELF image"));

    private final String name;
    private final byte[] elf;
    private volatile Parsed parsed;

    /** The parsed ranges (sorted by unsigned start) or why there are none. */
    private record Parsed(List<Range> ranges, String problem) {
        Parsed {
            ranges = List.copyOf(ranges);
        }
    }

    private LineTable(String name, byte[] elf, Parsed parsed) {
        this.name = name;
        this.elf = elf;
        this.parsed = parsed;
    }

    /** The line table of the ELF file {@code elf} (not copied: do not change it), read on first use. */
    public static LineTable of(String name, byte[] elf) {
        return new LineTable(name, elf, null);
    }

    /** A table with no lines, e.g. for images that are not ELF. */
    public static LineTable none() {
        return NONE;
    }

    /**
     * Parses the line table of {@code elf} now.
     *
     * @throws BadImageException if the ELF's section headers or its {@code .debug_line} are malformed
     */
    public static LineTable parse(String name, byte[] elf) {
        return new LineTable(name, elf, read(name, elf));
    }

    private static Parsed read(String name, byte[] elf) {
        Bytes b = new Bytes(name, elf);
        ElfSections sections = new ElfSections(b);
        Optional<ElfSections.Section> line = sections.find(".debug_line");
        if (line.isEmpty()) {
            return new Parsed(List.of(), name + ": no .debug_line section (built without -g, or stripped)");
        }
        List<Range> ranges = new DwarfLineReader(b, line.get(), sections.find(".debug_line_str"),
                sections.find(".debug_str")).ranges();
        return new Parsed(ranges, ranges.isEmpty() ? name + ": .debug_line has no address ranges" : "");
    }

    private Parsed parsed() {
        Parsed p = parsed;
        if (p == null) {
            try {
                p = read(name, elf);
            } catch (BadImageException e) {
                p = new Parsed(List.of(), e.getMessage());
            }
            parsed = p;
        }
        return p;
    }

    /** True if there is at least one address with a source line. */
    public boolean available() {
        return !parsed().ranges().isEmpty();
    }

    /** Why there are no lines (one line, names the file), or "" when there are. */
    public String problem() {
        return parsed().problem();
    }

    /** All ranges, sorted by unsigned start address. */
    public List<Range> ranges() {
        return parsed().ranges();
    }

    /**
     * Where the code that starts at {@code address} is declared: for a function's entry, the
     * function's own line even when its first instruction belongs to inlined code.
     */
    public Optional<SourceLine> entryLine(long address) {
        return range(address).map(r -> r.start() == address ? r.first() : r.line());
    }

    /** The source line of the instruction at {@code address}, if the table covers it. */
    public Optional<SourceLine> lookup(long address) {
        return range(address).map(Range::line);
    }

    private Optional<Range> range(long address) {
        List<Range> r = parsed().ranges();
        int lo = 0;
        int hi = r.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(r.get(mid).start(), address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        // Sequences of functions the linker discarded all start at 0 and may overlap: look back a little.
        for (int i = found, k = 0; i >= 0 && k < 16; i--, k++) {
            if (Long.compareUnsigned(address, r.get(i).end()) < 0) {
                return Optional.of(r.get(i));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        Parsed p = parsed;
        return "LineTable[" + name + (p == null ? ", unread]" : ", " + p.ranges().size() + " ranges]");
    }
}
