package dev.wirelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FuzzCommandTest {
    @TempDir
    Path dir;

    @Test
    void listNamesTheTargetsAndTheZooGuestsWithTheirReports() {
        Cli.Result r = Cli.run("fuzz", "--list");
        assertEquals(0, r.code(), r::toString);
        for (String t : List.of("tcp-listen", "tcp-established", "tcp-interleave", "host-capture", "host-packet",
                "host-virtio", "host-pkt")) {
            assertTrue(r.out().contains("  " + t + " "), r::toString);
        }
        assertTrue(r.out().matches("(?s).*zoo:smoltcp-1048 +smoltcp #1048.*"), r::toString);
        for (String z : List.of("smoltcp-1136", "smoltcp-1144", "smoltcp-1161", "akuma-deadlock", "akuma-torn-state",
                "awkernel-682", "lwip-2.1.3")) {
            assertTrue(r.out().contains("zoo:" + z), r::toString);
        }
    }

    /** Each bad input: exit 2 and exactly one line that says what and what to do. */
    static void badInput(String expected, String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.errLines().get(0).startsWith("wirelab: ") && r.errLines().get(0).contains(expected), r::toString);
    }

    @Test
    void badInputIsOneLineAndExit2() throws IOException {
        String out = dir.resolve("out").toString();
        badInput("unknown fuzz target 'tcp-establish': known targets are tcp-listen, tcp-established, tcp-interleave, host-capture",
                "fuzz", "--target", "tcp-establish", "--out", out);
        badInput("--target is missing", "fuzz", "--out", out);
        badInput("--time 10 minutes: not a duration", "fuzz", "--target", "tcp-listen", "--time", "10 minutes",
                "--out", out);
        badInput("--time 0s: give at least one second", "fuzz", "--target", "tcp-listen", "--time", "0s", "--out", out);
        badInput("--runs 0", "fuzz", "--target", "tcp-listen", "--runs", "0", "--out", out);
        badInput("no such zoo guest", "fuzz", "--target", "tcp-listen", "--guest", "zoo:smoltcp-9999", "--out", out);
        badInput("no such image file", "fuzz", "--target", "tcp-listen", "--guest", dir.resolve("none.elf").toString(),
                "--out", out);
        badInput("unknown TCP invariant 'window-shrink'", "fuzz", "--target", "tcp-listen", "--promote",
                "window-shrink", "--out", out);
        badInput("Unknown options: '--tme'", "fuzz", "--target", "tcp-listen", "--tme", "1m");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        badInput("cannot use " + file.resolve("findings"), "fuzz", "--target", "tcp-listen", "--runs", "1", "--out",
                file.toString());
        Path profile = Files.writeString(dir.resolve("bad.profile"), "image = k.elf\nready.console = (up\n");
        badInput("profile " + profile + ":2: ready.console: '(up' is not a regex", "fuzz", "--target", "tcp-listen",
                "--profile", profile.toString(), "--out", out);
        Files.writeString(profile, "image = k.elf\nready.symbol = main\npanic.regexp = x\n");
        badInput(":3: unknown key 'panic.regexp'", "fuzz", "--target", "tcp-listen", "--profile", profile.toString(),
                "--out", out);
        badInput("--profile and --guest zoo:smoltcp-1048 both name a guest", "fuzz", "--target", "tcp-listen",
                "--guest", "zoo:smoltcp-1048", "--profile", profile.toString());
        badInput("merge: input corpus " + dir.resolve("nowhere") + " is not a folder", "fuzz", "merge", "--target",
                "tcp-listen", out, dir.resolve("nowhere").toString());
        badInput("Missing required option: '--target=NAME'", "fuzz", "merge", out);
        Path corpus = Files.createDirectories(dir.resolve("c/corpus/tcp-listen/not-an-input"));
        badInput("corrupt corpus file " + corpus, "fuzz", "--target", "tcp-listen", "--runs", "1", "--out",
                dir.resolve("c").toString());
    }

    @Test
    void aHostTargetRunsItsCorpusWithoutACrash() throws IOException {
        Path out = dir.resolve("host");
        Files.createDirectories(out.resolve("corpus/host-packet"));
        Files.write(out.resolve("corpus/host-packet/truncated-tcp"), new byte[] {6, 0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6});
        Cli.Result r = Cli.run("fuzz", "--target", "host-packet", "--runs", "2000", "--out", out.toString());
        assertEquals(0, r.code(), () -> r + log(out));
        assertTrue(r.out().startsWith("host-packet: no crash (2000 executions"), r::toString);
    }

    @Test
    void mergeMinimizesTheSeedsIntoANewFolderAndLeavesTheInputs() throws IOException {
        Path seeds = Path.of(System.getProperty("wirelab.root", "..")).resolve("corpora/tcp-listen");
        long n;
        try (Stream<Path> s = Files.list(seeds)) {
            n = s.count();
        }
        Path into = dir.resolve("merged");
        Cli.Result r = Cli.run("fuzz", "merge", "--target", "tcp-listen", into.toString(), seeds.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().matches("(?s)merged " + n + " entries \\(" + n + " distinct\\) into .*: kept \\d+ covering "
                + "\\d+ edge features, removed 0 redundant from it\n"), r::toString);
        try (Stream<Path> s = Files.list(into)) {
            long kept = s.count();
            assertTrue(kept >= 1 && kept <= n, "kept " + kept);
        }
        try (Stream<Path> s = Files.list(seeds)) {
            assertEquals(n, s.count(), "inputs are only read");
        }
    }

    @Test
    void anImageThatNeverBecomesReadyIsBadInput() {
        String hello = Cli.guest(dir, "hello.elf");
        badInput("never became ready", "fuzz", "--target", "tcp-listen", "--guest", hello, "--runs", "1", "--out",
                dir.resolve("out").toString());
    }

    @Test
    void theDefaultGuestSurvivesAShortRunWithoutFindings() throws IOException {
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("fuzz", "--target", "tcp-established", "--runs", "20", "--out", out.toString());
        assertEquals(0, r.code(), () -> r + log(out));
        assertTrue(r.out().contains("tcp-established on default: no new finding"), r::toString);
        try (Stream<Path> s = Files.list(out.resolve("corpus/tcp-established"))) {
            assertTrue(s.count() >= 7, "the corpus was seeded");
        }
    }

    @Test
    void aZooBugBecomesAFindingWhoseReproFailsOnTheZooGuestAndPassesOnTheDefault() throws IOException {
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("fuzz", "--target", "tcp-established", "--guest", "zoo:smoltcp-1136", "--runs", "20",
                "--out", out.toString());
        assertEquals(1, r.code(), () -> r + log(out));
        Path finding;
        try (Stream<Path> s = Files.list(out.resolve("findings"))) {
            finding = s.filter(p -> !p.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
        }
        for (String f : List.of("input.bin", "repro.groovy", "capture.pcapng", "report.txt")) {
            assertTrue(Files.size(finding.resolve(f)) > 0, f);
        }
        assertTrue(r.out().contains("finding: " + finding + " (repro.groovy reproduces it)"), r::toString);
        assertTrue(Files.readString(finding.resolve("report.txt")).contains("repro check: ./wirelab run repro.groovy "
                + "reproduces (exit 1)"));
        String repro = finding.resolve("repro.groovy").toString();
        System.out.println(Files.readString(finding.resolve("repro.groovy")));
        Cli.Result zoo = Cli.run("run", "--trace-hash", repro);
        assertEquals(1, zoo.code(), zoo::toString);
        assertTrue(Files.readString(finding.resolve("repro.groovy")).contains(zoo.out().lines()
                .filter(l -> l.startsWith("trace-hash: ")).findFirst().orElseThrow()),
                "the header holds the repro run's own trace hash");
        Cli.Result fixed = Cli.run("run", repro, "default");
        assertEquals(0, fixed.code(), fixed::toString);

        Cli.Result again = Cli.run("fuzz", "--target", "tcp-established", "--guest", "zoo:smoltcp-1136", "--runs", "20",
                "--out", out.toString());
        assertEquals(0, again.code(), () -> "the known finding is not new: " + again);
    }

    private static String log(Path out) {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.list(out.resolve("logs"))) {
            for (Path p : s.sorted().toList()) {
                b.append("\n--- ").append(p.getFileName()).append('\n').append(Files.readString(p));
            }
        } catch (IOException e) {
            b.append("\n(no logs)");
        }
        return b.toString();
    }
}
