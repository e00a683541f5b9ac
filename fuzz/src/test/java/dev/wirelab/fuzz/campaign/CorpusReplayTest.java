package dev.wirelab.fuzz.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.Seeds;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.InputEncoder;
import dev.wirelab.fuzz.input.StreamTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Coverage by function and corpus merge, both replaying tcp-established's seeds on the real default guest. */
class CorpusReplayTest {
    static final StreamTarget T = StreamTarget.TCP_ESTABLISHED;
    @TempDir
    static Path dir;
    static Path seeds;

    @BeforeAll
    static void writeSeeds() throws IOException {
        seeds = Files.createDirectories(dir.resolve("seeds"));
        for (Map.Entry<String, FuzzInput> e : Seeds.forTarget(T).entrySet()) {
            Files.write(seeds.resolve(e.getKey()), InputEncoder.encode(e.getValue()));
        }
    }

    @Test
    void theCorpusReachesTheStacksFunctionsAndTheCountsRepeat() {
        GuestProfile p = GuestProfile.defaultGuest();
        FunctionCoverage a = FunctionCoverage.measure(p, T, seeds, 1000);
        assertEquals(Seeds.forTarget(T).size(), a.inputs());
        Set<String> names = new HashSet<>();
        a.functions().forEach(r -> names.add(r.function()));
        assertTrue(names.contains("tcp_input"), "lwIP's tcp_input handles every segment: " + names);
        assertTrue(names.contains("tcp_receive"), names.toString());
        FunctionCoverage.Row input = a.functions().stream().filter(r -> r.function().equals("tcp_input")).findFirst()
                .orElseThrow();
        assertEquals(a.inputs(), input.inputs(), "every seed sends segments");
        assertTrue(input.blockEntries() >= a.inputs());
        // Source lines through the guest's DWARF: tcp_input starts in tcp_in.c, and the seeds run part of it.
        assertEquals("", a.noLines());
        assertEquals("lwip/src/core/tcp_in.c", input.source().file(), input.toString());
        assertTrue(input.reached().size() > 10 && input.reached().size() < input.lines(), input.toString());
        assertTrue(input.reached().stream().anyMatch(l -> l.file().equals("lwip/src/core/tcp_in.c")
                && l.line() > input.source().line()), input.toString());
        assertFalse(names.stream().anyMatch(n -> n.startsWith("0x")), "all guest code is inside symbols");
        FunctionCoverage one = FunctionCoverage.measure(p, T, seeds, 1);
        assertEquals(a.inputs() - 1, one.skipped());
        assertEquals(a, FunctionCoverage.measure(p, T, seeds, 1000), "a replay is deterministic");
    }

    @Test
    void mergeKeepsCoverageDropsDuplicatesAndIsIdempotent() throws IOException {
        Path in2 = Files.createDirectories(dir.resolve("dups"));
        for (Path s : CorpusReplay.read(List.of(seeds)).stream().map(CorpusReplay.Entry::file).toList()) {
            Files.copy(s, in2.resolve("copy-" + s.getFileName()));
        }
        Path out = dir.resolve("merged");
        GuestProfile p = GuestProfile.defaultGuest();
        CorpusMerge.Result r = CorpusMerge.merge(p, T, out, List.of(seeds, in2));
        int n = Seeds.forTarget(T).size();
        assertEquals(2 * n, r.inputs());
        assertEquals(n, r.unique(), "copies are one entry");
        assertTrue(r.kept() >= 1 && r.kept() <= n, r.toString());
        assertEquals(r.kept(), CorpusReplay.read(List.of(out)).size());
        int allFeatures;
        try (CorpusReplay replay = new CorpusReplay(p, T)) {
            Set<Integer> all = new HashSet<>();
            Set<Integer> merged = new HashSet<>();
            for (CorpusReplay.Entry e : CorpusReplay.read(List.of(seeds))) {
                for (int f : replay.features(e.data(), null)) {
                    all.add(f);
                }
            }
            for (CorpusReplay.Entry e : CorpusReplay.read(List.of(out))) {
                for (int f : replay.features(e.data(), null)) {
                    merged.add(f);
                }
            }
            assertEquals(all, merged, "the merged corpus covers what the inputs cover");
            allFeatures = all.size();
        }
        assertEquals(allFeatures, r.features());
        CorpusMerge.Result again = CorpusMerge.merge(p, T, out, List.of());
        assertEquals(new CorpusMerge.Result(r.kept(), r.kept(), r.kept(), 0, r.features()), again);
        assertEquals(n, CorpusReplay.read(List.of(seeds)).size(), "inputs are only read");
    }
}
