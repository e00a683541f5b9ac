package dev.wirelab.fuzz.campaign;

import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.boot.ElfImage;
import dev.wirelab.emulator.boot.LineTable;
import dev.wirelab.emulator.boot.SymbolTable;
import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.input.StreamTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which guest functions and source lines a target's corpus reaches and how often: every entry replayed once, every
 * block it enters attributed to the ELF symbol that contains it.
 *
 * @param target    the target's id
 * @param inputs    corpus entries replayed
 * @param skipped   entries beyond the replay limit (not counted)
 * @param functions reached functions, most block entries first
 * @param noLines   why there are no source lines ("" when the guest's ELF has a DWARF line table)
 */
public record FunctionCoverage(String target, int inputs, int skipped, List<Row> functions, String noLines) {
    /**
     * A function, the blocks entered in it over the whole corpus, how many entries reached it and,
     * through DWARF, where it is and which of its source lines ran.
     *
     * @param function     symbol name, or the address when no symbol contains it
     * @param blockEntries blocks entered in it, summed over the corpus
     * @param inputs       corpus entries that reach it
     * @param source       the line it starts at (its first instruction's first line-table row); null without line info
     * @param lines        distinct source lines its instructions come from; 0 without line info
     * @param reached      the lines the corpus ran, by file and line
     */
    public record Row(String function, long blockEntries, int inputs, LineTable.SourceLine source, int lines,
                      List<LineTable.SourceLine> reached) {
        public Row {
            reached = List.copyOf(reached);
        }

        /** A row without source lines. */
        public Row(String function, long blockEntries, int inputs) {
            this(function, blockEntries, inputs, null, 0, List.of());
        }
    }

    public FunctionCoverage {
        functions = List.copyOf(functions);
    }

    /** Coverage without source lines. */
    public FunctionCoverage(String target, int inputs, int skipped, List<Row> functions) {
        this(target, inputs, skipped, functions, "");
    }

    /** Replays up to {@code limit} entries of the corpus in {@code dir} on {@code profile}'s guest. */
    public static FunctionCoverage measure(GuestProfile profile, StreamTarget target, Path dir, int limit) {
        List<CorpusReplay.Entry> corpus = Files.isDirectory(dir) ? CorpusReplay.read(List.of(dir)) : List.of();
        try (CorpusReplay replay = new CorpusReplay(profile, target)) {
            return measure(target.id(), replay, corpus, limit);
        }
    }

    /** Replays up to {@code limit} entries of {@code corpus} with {@code replay}. */
    public static FunctionCoverage measure(String target, CorpusReplay replay, List<CorpusReplay.Entry> corpus,
                                           int limit) {
        BootImage image = replay.profile().load();
        SymbolTable symbols = image instanceof ElfImage elf ? elf.symbols() : SymbolTable.empty();
        SourceLines source = SourceLines.of(image);
        Map<Long, String> functionAt = new HashMap<>();
        Map<String, long[]> counts = new HashMap<>(); // {block entries, inputs}
        Map<String, Set<LineTable.SourceLine>> lines = new HashMap<>();
        Set<Long> blocksSeen = new HashSet<>();
        int n = Math.min(limit, corpus.size());
        for (int i = 0; i < n; i++) {
            Map<Long, Long> blocks = new HashMap<>();
            replay.features(corpus.get(i).data(), a -> blocks.merge(a, 1L, Long::sum));
            Set<String> reached = new HashSet<>();
            for (Map.Entry<Long, Long> b : blocks.entrySet()) {
                String f = functionAt.computeIfAbsent(b.getKey(), a -> function(symbols, a));
                counts.computeIfAbsent(f, k -> new long[2])[0] += b.getValue();
                reached.add(f);
                if (blocksSeen.add(b.getKey())) {
                    Set<LineTable.SourceLine> set = lines.computeIfAbsent(f, k -> new TreeSet<>(SourceLines.ORDER));
                    source.block(b.getKey(), set::add);
                }
            }
            reached.forEach(f -> counts.get(f)[1]++);
        }
        List<Row> rows = new ArrayList<>();
        counts.forEach((f, c) -> rows.add(new Row(f, c[0], (int) c[1],
                symbols.address(f).stream().mapToObj(source::function).flatMap(java.util.Optional::stream).findFirst()
                        .orElse(null),
                source.linesOf(f), List.copyOf(lines.getOrDefault(f, Set.of())))));
        rows.sort(Comparator.comparingLong(Row::blockEntries).reversed().thenComparing(Row::function));
        return new FunctionCoverage(target, n, corpus.size() - n, rows, source.problem());
    }

    /** The containing symbol's name; an address outside every symbol is shown as itself. */
    static String function(SymbolTable symbols, long address) {
        String d = symbols.describe(address);
        if (d == null) {
            return String.format("0x%x", address);
        }
        int plus = d.indexOf('+');
        return plus < 0 ? d : d.substring(0, plus);
    }
}
