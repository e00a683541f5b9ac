package dev.wirelab.cli.bench;

import dev.wirelab.cli.Main;
import dev.wirelab.fuzz.GuestProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code wirelab bench fuzz}'s plumbing on one zoo bug whose corpus holds a seed that finds it:
 * the real {@code wirelab fuzz} engine runs, its finding is detected and stops the run, the row and
 * the JSON keys come out. Times are printed, never asserted.
 */
class BenchFuzzCommandTest {
    @TempDir
    Path dir;

    record Out(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Out run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Out(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assumeZoo() {
        assumeTrue(GuestProfile.class.getResource("/guest/zoo/smoltcp-1136.elf") != null,
                "the zoo guests are built by the guest module (full reactor build)");
    }

    @Test
    void aSeededBugIsFoundByTheRealEngineAndReportedAsFoundByItsSeed() throws IOException {
        assumeZoo();
        Path keep = dir.resolve("runs");
        Out r = run("bench", "fuzz", "--bug", "smoltcp-1136", "--seeds", "1", "--time", "2m", "--json",
                "--out", keep.toString());
        System.out.print(r);
        assertEquals(0, r.code(), r::toString);
        String json = r.out().strip();
        for (String key : List.of("\"budget_s\": 120", "\"corpus\": \"built-in\"", "\"execs_total\": ",
                "\"seeds\": 1", "\"load_before\": ", "\"load_after\": ",
                "\"bugs\": {\"smoltcp-1136\": {", "\"target\": \"tcp-established\"",
                "\"seeds_finding_it\": [\"sack-inverted-block\"]", "\"found\": 1", "\"runs\": 1",
                "\"execs_to_find\": ", "\"wall_s_to_find\": ", "\"start_s\": ")) {
            assertTrue(json.contains(key), key + " in " + json);
        }
        Matcher m = Pattern.compile("\"execs_to_find\": (\\d+)").matcher(json);
        assertTrue(m.find(), json);
        long execs = Long.parseLong(m.group(1));
        // found while libFuzzer replays the corpus: at most every seed (and libFuzzer's empty input) once
        int seeds = dev.wirelab.fuzz.Seeds.forTarget(dev.wirelab.fuzz.input.StreamTarget.TCP_ESTABLISHED).size();
        assertTrue(execs >= 1 && execs <= seeds + 1, "execs " + execs + " of " + seeds + " seeds: " + json);
        // the run was the real engine: its finding is stored with the bug's title
        Path findings = keep.resolve("smoltcp-1136-seed1/findings");
        List<String> titles = new ArrayList<>();
        try (Stream<Path> s = Files.list(findings)) {
            for (Path f : s.toList()) {
                titles.add(Files.readAllLines(f.resolve("report.txt")).getFirst());
            }
        }
        assertTrue(titles.stream().anyMatch(t -> t.contains(ZooBug.SMOLTCP_1136.titlePrefix)), titles::toString);
    }

    @Test
    void theTableNamesTheSeedAndWithoutItTheBudgetBoundsTheRun() {
        assumeZoo();
        Out r = run("bench", "fuzz", "--bug", "zoo:smoltcp-1136", "--seeds", "1", "--time", "10s",
                "--without-bug-seeds");
        System.out.print(r);
        assertEquals(0, r.code(), r::toString);
        String row = r.out().lines().filter(l -> l.startsWith("zoo:smoltcp-1136 ")).findFirst().orElse("");
        assertTrue(row.contains("tcp-established") && row.contains("removed: sack-inverted-block"),
                r::toString);
        // 10 s cannot be asserted to be too short to find it; either outcome is a well-formed row
        assertTrue(row.matches(".*(1/1 +[0-9,]+ +[0-9.]+|0/1 +> [0-9,]+ +> 10s)$"), row);
        assertTrue(r.out().contains("median of 1 run a bug"), r::toString);
        assertTrue(r.out().contains("load average before "), r::toString);
    }

    static void badInput(String expected, String... args) {
        Out r = run(args);
        assertEquals(2, r.code(), r::toString);
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), r::toString);
        assertTrue(lines.getFirst().startsWith("wirelab: ") && lines.getFirst().contains(expected), r::toString);
    }

    @Test
    void badInputIsOneLineAndExit2() throws IOException {
        Files.createDirectories(dir.resolve("earlier/smoltcp-1144-seed2"));
        badInput("smoltcp-1144-seed2 holds an earlier run", "bench", "fuzz", "--bug", "smoltcp-1144", "--seeds", "2",
                "--out", dir.resolve("earlier").toString());
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        badInput("--out " + file + ": not a directory", "bench", "fuzz", "--out", file.toString());
        badInput("--bug smoltcp-9999: no such zoo bug (known: smoltcp-1048, ", "bench", "fuzz", "--bug", "smoltcp-9999");
        badInput("--time 0s: give at least one second", "bench", "fuzz", "--time", "0s");
        badInput("--time ten: not a duration", "bench", "fuzz", "--time", "ten");
        badInput("--seeds 0: give 1 to 100", "bench", "fuzz", "--seeds", "0");
        badInput("Unknown option", "bench", "fuzz", "--seed", "3");
    }

    @Test
    void everyZooGuestIsABugWithATarget() {
        assertEquals(GuestProfile.ZOO, Stream.of(ZooBug.values()).map(b -> b.id).toList());
    }
}
