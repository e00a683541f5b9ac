package dev.wirelab.fuzz.campaign;

import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.boot.ElfImage;
import dev.wirelab.emulator.boot.LineTable;
import dev.wirelab.emulator.boot.SymbolTable;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The guest's source lines as coverage sees them: the lines a block entered at an address runs
 * (its static extent: up to the first branch, as the translator cuts blocks), and how many lines each
 * function has. From the ELF's DWARF line table; an image without one has no lines, with the reason.
 */
final class SourceLines {
    /** Comparison order for reports: by file, then line. */
    static final java.util.Comparator<LineTable.SourceLine> ORDER =
            java.util.Comparator.comparing(LineTable.SourceLine::file).thenComparingInt(LineTable.SourceLine::line);
    /** The translator never makes a block longer than this many instructions (QEMU's TCG_MAX_INSNS is 512). */
    private static final int MAX_BLOCK = 512;

    private final LineTable lines;
    private final ElfImage elf;
    private Map<String, Integer> perFunction;

    private SourceLines(ElfImage elf, LineTable lines) {
        this.elf = elf;
        this.lines = lines;
    }

    static SourceLines of(BootImage image) {
        return image instanceof ElfImage e ? new SourceLines(e, e.lines()) : new SourceLines(null, LineTable.none());
    }

    /** True if the image has a usable line table. */
    boolean available() {
        return lines.available();
    }

    /** Why there are no lines ("" when there are). */
    String problem() {
        return lines.available() ? "" : elf == null ? "not an ELF image" : lines.problem();
    }

    /** The line of the instruction at {@code address}. */
    Optional<LineTable.SourceLine> at(long address) {
        return lines.lookup(address).filter(l -> l.line() > 0);   // line 0: code tied to no line
    }

    /** Where the function whose first instruction is at {@code address} is declared. */
    Optional<LineTable.SourceLine> function(long address) {
        return lines.entryLine(address).filter(l -> l.line() > 0);
    }

    /** Hands {@code sink} the line of every instruction of the block that starts at {@code address}. */
    void block(long address, Consumer<LineTable.SourceLine> sink) {
        if (!available()) {
            return;
        }
        for (ElfImage.Segment s : elf.segments()) {
            long off = address - s.vaddr();
            if (!s.executable() || off < 0 || off >= s.data().length) {
                continue;
            }
            byte[] d = s.data();
            for (int i = 0; i < MAX_BLOCK && off + 4 <= d.length; i++, off += 4) {
                at(s.vaddr() + off).ifPresent(sink);
                int insn = (d[(int) off] & 0xff) | (d[(int) off + 1] & 0xff) << 8 | (d[(int) off + 2] & 0xff) << 16
                        | (d[(int) off + 3] & 0xff) << 24;
                if (endsBlock(insn)) {
                    return;
                }
            }
            return;
        }
    }

    /** AArch64 branches and exception-generating instructions (Arm ARM C4.1, "Branches, exception generating and system instructions"). */
    static boolean endsBlock(int insn) {
        return (insn & 0x7c000000) == 0x14000000       // B, BL
                || (insn & 0xff000010) == 0x54000000   // B.cond
                || (insn & 0x7e000000) == 0x34000000   // CBZ, CBNZ
                || (insn & 0x7e000000) == 0x36000000   // TBZ, TBNZ
                || (insn & 0xfe000000) == 0xd6000000   // BR, BLR, RET, ERET and their authenticated forms
                || (insn & 0xff000000) == 0xd4000000;  // SVC, HVC, SMC, BRK, HLT
    }

    /** How many distinct source lines the instructions of {@code function} come from (0 if unknown). */
    int linesOf(String function) {
        if (perFunction == null) {
            perFunction = countPerFunction();
        }
        return perFunction.getOrDefault(function, 0);
    }

    private Map<String, Integer> countPerFunction() {
        Map<String, Set<LineTable.SourceLine>> sets = new HashMap<>();
        if (available()) {
            SymbolTable symbols = elf.symbols();
            for (ElfImage.Segment s : elf.segments()) {
                if (!s.executable()) {
                    continue;
                }
                for (long a = s.vaddr(); a + 4 <= s.vaddr() + s.data().length; a += 4) {
                    long pc = a;
                    at(pc).ifPresent(l -> sets.computeIfAbsent(FunctionCoverage.function(symbols, pc),
                            k -> new TreeSet<>(ORDER)).add(l));
                }
            }
        }
        Map<String, Integer> out = new HashMap<>();
        sets.forEach((f, set) -> out.put(f, set.size()));
        return out;
    }
}
