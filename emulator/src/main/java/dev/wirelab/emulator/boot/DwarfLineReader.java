package dev.wirelab.emulator.boot;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the line-number programs of {@code .debug_line} (DWARF 2 to 5, 32- and 64-bit format;
 * DWARF 5 section 6.2) and turns each sequence's rows into address ranges. Every read is
 * bounds-checked against the unit it belongs to; anything malformed is a {@link BadImageException}
 * naming the section offset.
 */
final class DwarfLineReader {
    // Standard opcodes (DWARF 5 section 6.2.5.2).
    private static final int DW_LNS_COPY = 1;
    private static final int DW_LNS_ADVANCE_PC = 2;
    private static final int DW_LNS_ADVANCE_LINE = 3;
    private static final int DW_LNS_SET_FILE = 4;
    private static final int DW_LNS_CONST_ADD_PC = 8;
    private static final int DW_LNS_FIXED_ADVANCE_PC = 9;
    // Extended opcodes (6.2.5.3).
    private static final int DW_LNE_END_SEQUENCE = 1;
    private static final int DW_LNE_SET_ADDRESS = 2;
    private static final int DW_LNE_DEFINE_FILE = 3;
    // Entry-format content types and the forms they may use (6.2.4.1, 7.5.6).
    private static final int DW_LNCT_PATH = 1;
    private static final int DW_LNCT_DIRECTORY_INDEX = 2;
    private static final int DW_FORM_BLOCK2 = 0x03;
    private static final int DW_FORM_BLOCK4 = 0x04;
    private static final int DW_FORM_DATA2 = 0x05;
    private static final int DW_FORM_DATA4 = 0x06;
    private static final int DW_FORM_DATA8 = 0x07;
    private static final int DW_FORM_STRING = 0x08;
    private static final int DW_FORM_BLOCK = 0x09;
    private static final int DW_FORM_BLOCK1 = 0x0a;
    private static final int DW_FORM_DATA1 = 0x0b;
    private static final int DW_FORM_SDATA = 0x0d;
    private static final int DW_FORM_STRP = 0x0e;
    private static final int DW_FORM_UDATA = 0x0f;
    private static final int DW_FORM_DATA16 = 0x1e;
    private static final int DW_FORM_LINE_STRP = 0x1f;

    /** lld's tombstones for discarded code (-2 in .debug_ranges/.debug_loc, -1 elsewhere). */
    private static final long TOMBSTONE = -2L;

    /** A row of the line matrix: only what a PC lookup needs. */
    private record Row(long address, int file, long line) { }

    private final Bytes b;
    private final ElfSections.Section section;
    private final Optional<ElfSections.Section> lineStr;
    private final Optional<ElfSections.Section> str;
    private final Map<String, SourceLineCache> files = new HashMap<>();

    /** Interns SourceLine records per file, so a big table does not hold one string per row. */
    private static final class SourceLineCache {
        final String path;
        final Map<Long, LineTable.SourceLine> lines = new HashMap<>();

        SourceLineCache(String path) {
            this.path = path;
        }

        LineTable.SourceLine at(long line) {
            return lines.computeIfAbsent(line, l -> new LineTable.SourceLine(path, (int) Math.min(l, Integer.MAX_VALUE)));
        }
    }

    DwarfLineReader(Bytes b, ElfSections.Section section, Optional<ElfSections.Section> lineStr,
                    Optional<ElfSections.Section> str) {
        this.b = b;
        this.section = section;
        this.lineStr = lineStr;
        this.str = str;
    }

    /** All units' ranges, sorted by unsigned start address. */
    List<LineTable.Range> ranges() {
        List<LineTable.Range> out = new ArrayList<>();
        long pos = section.offset();
        long end = section.offset() + section.size();
        while (pos < end) {
            pos = unit(pos, end, out);
        }
        out.sort(Comparator.comparingLong(r -> r.start() ^ Long.MIN_VALUE));
        return out;
    }

    /** Reads the unit at {@code pos}; returns where the next one starts. */
    private long unit(long pos, long sectionEnd, List<LineTable.Range> out) {
        Cursor c = new Cursor(pos, sectionEnd);
        long length = c.u32("unit_length");
        boolean dwarf64 = length == 0xffff_ffffL;
        if (dwarf64) {
            length = c.u64("unit_length");
        } else if (length >= 0xffff_fff0L) {
            throw bad(pos, "reserved unit_length " + Hex.of(length));
        }
        if (Long.compareUnsigned(length, sectionEnd - c.pos) > 0) {
            throw bad(pos, "unit_length " + Hex.of(length) + " runs past the end of the section");
        }
        long unitEnd = c.pos + length;
        c.end = unitEnd;
        int version = c.u16("version");
        if (version < 2 || version > 5) {
            throw bad(pos, "line table version " + version + " (wirelab reads DWARF 2 to 5)");
        }
        int addressSize = 8;
        if (version >= 5) {
            addressSize = c.u8("address_size");
            c.u8("segment_selector_size");
        }
        long headerLength = dwarf64 ? c.u64("header_length") : c.u32("header_length");
        if (Long.compareUnsigned(headerLength, unitEnd - c.pos) > 0) {
            throw bad(pos, "header_length " + Hex.of(headerLength) + " runs past the unit");
        }
        long programStart = c.pos + headerLength;
        int minInstLength = c.u8("minimum_instruction_length");
        if (version >= 4) {
            c.u8("maximum_operations_per_instruction"); // 1 on every non-VLIW machine; AArch64 is one
        }
        boolean defaultIsStmt = c.u8("default_is_stmt") != 0;
        int lineBase = (byte) c.u8("line_base");
        int lineRange = c.u8("line_range");
        int opcodeBase = c.u8("opcode_base");
        if (lineRange == 0) {
            throw bad(pos, "line_range 0 (a special opcode would divide by zero)");
        }
        if (opcodeBase == 0) {
            throw bad(pos, "opcode_base 0");
        }
        int[] argCounts = new int[opcodeBase];
        for (int i = 1; i < opcodeBase; i++) {
            argCounts[i] = c.u8("standard_opcode_lengths");
        }
        List<SourceLineCache> fileTable = version >= 5 ? filesV5(c, dwarf64) : filesV4(c);
        c.pos = programStart;
        program(c, pos, version, addressSize, minInstLength, defaultIsStmt, lineBase, lineRange, opcodeBase, argCounts,
                fileTable, out);
        return unitEnd;
    }

    /** DWARF 2-4: include_directories and file_names as null-terminated lists; file 1 is the first entry. */
    private List<SourceLineCache> filesV4(Cursor c) {
        List<String> dirs = new ArrayList<>();
        dirs.add("");   // directory 0 is the compilation directory
        for (String d = c.cstring("include_directories"); !d.isEmpty(); d = c.cstring("include_directories")) {
            dirs.add(d);
        }
        List<SourceLineCache> fileTable = new ArrayList<>();
        fileTable.add(null); // file 0 does not exist before DWARF 5
        for (String f = c.cstring("file_names"); !f.isEmpty(); f = c.cstring("file_names")) {
            long dir = c.uleb("directory index");
            c.uleb("modification time");
            c.uleb("file length");
            fileTable.add(file(dirs, dir, f, c.pos));
        }
        return fileTable;
    }

    /** DWARF 5: self-describing directory and file entry formats; file 0 is the primary source file. */
    private List<SourceLineCache> filesV5(Cursor c, boolean dwarf64) {
        List<String> dirs = new ArrayList<>();
        for (Entry entry : entries(c, dwarf64, "directory")) {
            dirs.add(entry.path() == null ? "" : entry.path());
        }
        List<SourceLineCache> fileTable = new ArrayList<>();
        for (Entry entry : entries(c, dwarf64, "file name")) {
            if (entry.path() == null) {
                throw bad(c.pos, "a file name entry without a DW_LNCT_path string");
            }
            fileTable.add(file(dirs, entry.directory(), entry.path(), c.pos));
        }
        return fileTable;
    }

    /** A DWARF 5 directory or file entry: its path (null if absent) and directory index (0 if absent). */
    private record Entry(String path, long directory) { }

    /** One DWARF 5 entry list; content types other than path and directory index are skipped. */
    private List<Entry> entries(Cursor c, boolean dwarf64, String what) {
        int formatCount = c.u8(what + "_entry_format_count");
        long[][] format = new long[formatCount][2];
        for (int i = 0; i < formatCount; i++) {
            format[i][0] = c.uleb(what + " content type");
            format[i][1] = c.uleb(what + " form");
        }
        long count = c.uleb(what + "s_count");
        if (count > c.end - c.pos) {   // every entry takes at least one byte, or there is no format and it takes none
            if (formatCount > 0) {
                throw bad(c.pos, what + "s_count " + count + " is more than the header has bytes");
            }
        }
        List<Entry> out = new ArrayList<>();
        for (long n = 0; n < count && formatCount > 0; n++) {
            String path = null;
            long dir = 0;
            for (long[] f : format) {
                Object v = value(c, (int) Math.min(f[1], Integer.MAX_VALUE), dwarf64, what);
                if (f[0] == DW_LNCT_PATH && v instanceof String s) {
                    path = s;
                } else if (f[0] == DW_LNCT_DIRECTORY_INDEX && v instanceof Long l) {
                    dir = l;
                }
            }
            out.add(new Entry(path, dir));
        }
        return out;
    }

    /** Reads one attribute value: a String, a Long (unsigned forms above 2^63 come out negative) or null for blocks. */
    private Object value(Cursor c, int form, boolean dwarf64, String what) {
        return switch (form) {
            case DW_FORM_STRING -> c.cstring(what);
            case DW_FORM_LINE_STRP -> stringAt(lineStr, ".debug_line_str", dwarf64 ? c.u64(what) : c.u32(what), c.pos);
            case DW_FORM_STRP -> stringAt(str, ".debug_str", dwarf64 ? c.u64(what) : c.u32(what), c.pos);
            case DW_FORM_UDATA -> c.uleb(what);
            case DW_FORM_SDATA -> c.sleb(what);
            case DW_FORM_DATA1 -> (long) c.u8(what);
            case DW_FORM_DATA2 -> (long) c.u16(what);
            case DW_FORM_DATA4 -> c.u32(what);
            case DW_FORM_DATA8 -> c.u64(what);
            case DW_FORM_DATA16 -> c.skip(16, what);
            case DW_FORM_BLOCK1 -> c.skip(c.u8(what), what);
            case DW_FORM_BLOCK2 -> c.skip(c.u16(what), what);
            case DW_FORM_BLOCK4 -> c.skip(c.u32(what), what);
            case DW_FORM_BLOCK -> c.skip(c.uleb(what), what);
            default -> throw bad(c.pos, what + " entry uses form " + Hex.of(form) + ", which wirelab does not read"
                    + " (string index forms need .debug_str_offsets)");
        };
    }

    private String stringAt(Optional<ElfSections.Section> s, String sectionName, long off, long at) {
        if (s.isEmpty() || Long.compareUnsigned(off, s.get().size()) >= 0) {
            throw bad(at, "string offset " + Hex.of(off) + " outside " + sectionName
                    + (s.isEmpty() ? " (no such section)" : " (size " + Hex.of(s.get().size()) + ")"));
        }
        long start = s.get().offset() + off;
        long limit = s.get().offset() + s.get().size();
        byte[] a = b.array();
        int e = (int) start;
        while (e < limit && a[e] != 0) {
            e++;
        }
        return new String(a, (int) start, e - (int) start, StandardCharsets.UTF_8);
    }

    private SourceLineCache file(List<String> dirs, long dir, String name, long at) {
        if (dir < 0 || dir >= dirs.size()) {
            throw bad(at, "file " + name + " names directory " + dir + " of " + dirs.size());
        }
        String path;
        try {
            Path p = name.startsWith("/") || dirs.get((int) dir).isEmpty() ? Path.of(name)
                    : Path.of(dirs.get((int) dir), name);
            path = p.normalize().toString();
        } catch (RuntimeException e) {   // InvalidPathException: a NUL or an unmappable character
            path = name;
        }
        return files.computeIfAbsent(path.isEmpty() ? name : path, SourceLineCache::new);
    }

    /** Runs one unit's line-number program, appending a range for each row that covers addresses. */
    private void program(Cursor c, long unitPos, int version, int addressSize, int minInstLength, boolean defaultIsStmt,
                         int lineBase, int lineRange, int opcodeBase, int[] argCounts, List<SourceLineCache> fileTable,
                         List<LineTable.Range> out) {
        List<Row> sequence = new ArrayList<>();
        long address = 0;
        int file = 1;
        long line = 1;
        while (c.pos < c.end) {
            int op = c.u8("opcode");
            if (op >= opcodeBase) {
                int adjusted = op - opcodeBase;
                address += (long) minInstLength * (adjusted / lineRange);
                line += lineBase + adjusted % lineRange;
                sequence.add(new Row(address, file, line));
                continue;
            }
            switch (op) {
                case 0 -> {
                    long len = c.uleb("extended opcode length");
                    if (len == 0 || Long.compareUnsigned(len, c.end - c.pos) > 0) {
                        throw bad(c.pos, "extended opcode length " + len + " does not fit the unit");
                    }
                    long next = c.pos + len;
                    int sub = c.u8("extended opcode");
                    if (sub == DW_LNE_END_SEQUENCE) {
                        sequence.add(new Row(address, file, line));
                        emit(sequence, fileTable, version, unitPos, out);
                        sequence.clear();
                        address = 0;
                        file = 1;
                        line = 1;
                    } else if (sub == DW_LNE_SET_ADDRESS) {
                        address = switch ((int) Math.min(len - 1, 9)) {
                            case 8 -> c.u64("DW_LNE_set_address");
                            case 4 -> c.u32("DW_LNE_set_address");
                            default -> throw bad(c.pos, "DW_LNE_set_address with a " + (len - 1)
                                    + "-byte address (address_size " + addressSize + ")");
                        };
                    } else if (sub == DW_LNE_DEFINE_FILE && version < 5) {
                        String name = c.cstring("DW_LNE_define_file");
                        fileTable.add(file(List.of(""), 0, name, c.pos)); // obsolete; its directory is not kept
                    }
                    c.pos = next;  // DW_LNE_set_discriminator and unknown extended opcodes: skipped by length
                }
                case DW_LNS_COPY -> sequence.add(new Row(address, file, line));
                case DW_LNS_ADVANCE_PC -> address += minInstLength * c.uleb("DW_LNS_advance_pc");
                case DW_LNS_ADVANCE_LINE -> line += c.sleb("DW_LNS_advance_line");
                case DW_LNS_SET_FILE -> file = (int) Math.min(c.uleb("DW_LNS_set_file"), Integer.MAX_VALUE);
                case DW_LNS_CONST_ADD_PC -> address += (long) minInstLength * ((255 - opcodeBase) / lineRange);
                case DW_LNS_FIXED_ADVANCE_PC -> address += c.u16("DW_LNS_fixed_advance_pc");
                default -> {
                    // Column, is_stmt, basic block, prologue, epilogue, ISA and opcodes from later
                    // versions do not move the address or the line: skip their ULEB arguments.
                    for (int i = 0; i < argCounts[op]; i++) {
                        c.uleb("standard opcode " + op + " argument");
                    }
                }
            }
        }
        // A unit that ends inside a sequence has no end address for its last row: its rows are dropped.
    }

    /** Turns a finished sequence into ranges: each row covers the addresses up to the next row's. */
    private void emit(List<Row> sequence, List<SourceLineCache> fileTable, int version, long unitPos,
                      List<LineTable.Range> out) {
        long start = sequence.getFirst().address();
        if (start == 0 || Long.compareUnsigned(start, TOMBSTONE) >= 0) {
            return;     // code the linker discarded: GNU ld relocates its sequence to 0, lld to a tombstone
        }
        Row first = sequence.getFirst();
        for (int i = 0; i + 1 < sequence.size(); i++) {
            Row r = sequence.get(i);
            if (r.address() != first.address()) {
                first = r;
            }
            long next = sequence.get(i + 1).address();
            if (Long.compareUnsigned(next, r.address()) <= 0) {
                continue;   // several rows at one address: the last one holds for it
            }
            out.add(new LineTable.Range(r.address(), next, line(r, fileTable, version, unitPos),
                    line(first, fileTable, version, unitPos)));
        }
    }

    private LineTable.SourceLine line(Row r, List<SourceLineCache> fileTable, int version, long unitPos) {
        if (r.file() < 0 || r.file() >= fileTable.size() || fileTable.get(r.file()) == null) {
            throw bad(unitPos, "a row names file " + r.file() + " but the DWARF " + version + " unit has "
                    + (fileTable.size() - (version < 5 ? 1 : 0)) + " files");
        }
        return fileTable.get(r.file()).at(Math.max(0, r.line()));
    }

    private BadImageException bad(long fileOffset, String what) {
        return new BadImageException(b.name() + ": .debug_line at offset " + Hex.of(fileOffset - section.offset())
                + ": " + what + ": the DWARF line table is malformed");
    }

    /** Reads forward through one unit; nothing past {@code end} is read. */
    private final class Cursor {
        long pos;
        long end;

        Cursor(long pos, long end) {
            this.pos = pos;
            this.end = end;
        }

        private void need(long n, String field) {
            if (Long.compareUnsigned(n, end - pos) > 0) {
                throw bad(pos, field + " runs past the end of its unit");
            }
        }

        int u8(String field) {
            need(1, field);
            return b.u8(pos++, field);
        }

        int u16(String field) {
            need(2, field);
            int v = b.u16le(pos, field);
            pos += 2;
            return v;
        }

        long u32(String field) {
            need(4, field);
            long v = b.u32le(pos, field);
            pos += 4;
            return v;
        }

        long u64(String field) {
            need(8, field);
            long v = b.u64le(pos, field);
            pos += 8;
            return v;
        }

        String skip(long n, String field) {
            need(n, field);
            pos += n;
            return null;
        }

        long uleb(String field) {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                int x = u8(field);
                if (shift < 64) {
                    v |= (long) (x & 0x7f) << shift;
                }
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
        }

        long sleb(String field) {
            long v = 0;
            int shift = 0;
            int x;
            do {
                x = u8(field);
                if (shift < 64) {
                    v |= (long) (x & 0x7f) << shift;
                }
                shift += 7;
            } while ((x & 0x80) != 0);
            if (shift < 64 && (x & 0x40) != 0) {
                v |= -1L << shift;
            }
            return v;
        }

        String cstring(String field) {
            byte[] a = b.array();
            long start = pos;
            while (true) {
                if (u8(field) == 0) {
                    return new String(a, (int) start, (int) (pos - 1 - start), StandardCharsets.UTF_8);
                }
            }
        }
    }
}
