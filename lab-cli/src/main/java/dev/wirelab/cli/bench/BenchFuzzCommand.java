package dev.wirelab.cli.bench;

import dev.wirelab.cli.FuzzDuration;
import dev.wirelab.cli.Io;
import dev.wirelab.cli.UserError;
import dev.wirelab.cli.Version;
import dev.wirelab.fuzz.Seeds;
import dev.wirelab.fuzz.finding.AtomicFiles;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.InputEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code wirelab bench fuzz}: time-to-find for each zoo bug, the median over {@code --seeds}
 * libFuzzer seeds of bounded {@code wirelab fuzz --jobs 1} runs ({@link FuzzRun}), with the
 * honest caveat beside each: whether a seed of the corpus the run starts from finds the bug
 * unmutated ({@link BugSeeds}). {@code --without-bug-seeds} starts from the corpus minus those
 * seeds, which measures the fuzzer instead of the corpus.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Time to find each bug-zoo bug: bounded 'wirelab fuzz --jobs 1' runs on zoo:NAME with the "
                + "target that fits it, one per libFuzzer seed, the median reported in executions and wall seconds.",
                "Runs one at a time (one core each). Not found within --time: '> budget'."})
public final class BenchFuzzCommand implements Callable<Integer> {
    @ParentCommand
    BenchCommand parent;

    @Option(names = "--time", paramLabel = "DURATION", defaultValue = "10m",
            description = "Budget of each run: 90s, 3m, 10m (default: ${DEFAULT-VALUE}).")
    String time;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3",
            description = "Runs per bug, libFuzzer seeds 1..N; the median is reported (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--bug", paramLabel = "NAME", split = ",",
            description = "Zoo bugs to run (default: all): smoltcp-1048, smoltcp-1136, smoltcp-1144, smoltcp-1161, "
                    + "akuma-deadlock, akuma-torn-state, awkernel-682, lwip-2.1.3.")
    List<String> bugs;

    @Option(names = "--without-bug-seeds", description = "Start from the target's seeds minus those that find the bug "
            + "unmutated (measures the fuzzer, not the corpus).")
    boolean withoutBugSeeds;

    @Option(names = "--out", paramLabel = "DIR", description = "Keep each run's fuzz output in DIR/NAME-seedN "
            + "(default: a temporary directory, deleted at the end).")
    Path out;

    @Option(names = "--json", description = "Print the results as one JSON object (stable keys) instead of the table.")
    boolean json;

    /** One bug's runs. */
    record BugResult(ZooBug bug, List<String> bugSeeds, List<FuzzRun.Result> runs) {
        long found() {
            return runs.stream().filter(FuzzRun.Result::found).count();
        }

        /** The median run's executions, or -1 when the median run did not find it (not found counts as infinite). */
        long medianExecs() {
            double m = median(runs.stream().mapToDouble(r -> r.found() ? r.executions() : Double.POSITIVE_INFINITY)
                    .toArray());
            return Double.isInfinite(m) ? -1 : Math.round(m);
        }

        /** Executions all runs together made (found or not). */
        long totalExecs() {
            return runs.stream().mapToLong(FuzzRun.Result::executions).sum();
        }

        /** The fewest executions a run made without finding it: the bug needs more than that. */
        long unfoundExecs() {
            return runs.stream().filter(r -> !r.found()).mapToLong(FuzzRun.Result::executions).min().orElse(0);
        }

        double medianWall() {
            return median(runs.stream().mapToDouble(r -> r.found() ? r.wallSeconds() : Double.POSITIVE_INFINITY)
                    .toArray());
        }

    }

    /** The lower median: of 2 runs, the faster; with the slow half not found (infinite), still a number. */
    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[(s.length - 1) / 2];
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Io io = parent.io();
        long seconds = FuzzDuration.parseSeconds("--time", time);
        if (seeds < 1 || seeds > 100) {
            throw new UserError("--seeds " + seeds + ": give 1 to 100 runs per bug");
        }
        List<ZooBug> selected = select(bugs);
        boolean temp = out == null;
        if (!temp && Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("--out " + out + ": not a directory; give a directory for the runs' fuzz output");
        }
        for (ZooBug bug : selected) {
            for (int s = 1; !temp && s <= seeds; s++) {
                if (Files.exists(runDir(out, bug, s))) {
                    throw new UserError("--out " + out + ": " + runDir(out, bug, s) + " holds an earlier run (its "
                            + "corpus and findings would carry over); give an empty or new --out");
                }
            }
        }
        Path base = temp ? Files.createTempDirectory("wirelab-bench-fuzz-") : out;
        String loadBefore = loadAverage();
        long started = System.nanoTime();
        List<BugResult> results = new ArrayList<>();
        Progress progress = new Progress(io);
        try {
            for (ZooBug bug : selected) {
                progress.show(bug.id + ": replaying the " + bug.target.id() + " seeds");
                List<String> bugSeeds = BugSeeds.findingTheBug(bug);
                List<FuzzRun.Result> runs = new ArrayList<>();
                for (int s = 1; s <= seeds; s++) {
                    Path dir = runDir(base, bug, s);
                    if (withoutBugSeeds) {
                        seedCorpus(bug, bugSeeds, dir);
                    }
                    progress.show(bug.id + ": fuzzing " + bug.target.id() + ", seed " + s + "/" + seeds + " (budget "
                            + time + ")");
                    runs.add(FuzzRun.run(bug, seconds, s, dir));
                }
                results.add(new BugResult(bug, bugSeeds, runs));
            }
        } finally {
            progress.clear();
            if (temp) {
                FuzzBench.delete(base);
            }
        }
        double total = (System.nanoTime() - started) / 1e9;
        String loadAfter = loadAverage();
        if (json) {
            io.out().println(json(results, seconds, withoutBugSeeds, loadBefore, loadAfter));
            io.out().flush();
            return 0;
        }
        Table table = new Table("zoo bug", "target", "corpus seed that finds it unmutated", "found", "execs to find",
                "wall s to find");
        for (BugResult r : results) {
            long execs = r.medianExecs();
            double wall = r.medianWall();
            table.row(r.bug().guest(), r.bug().target.id(), withoutBugSeeds
                            ? "removed: " + (r.bugSeeds().isEmpty() ? "none" : String.join(", ", r.bugSeeds()))
                            : r.bugSeeds().isEmpty() ? "none" : String.join(", ", r.bugSeeds()),
                    r.found() + "/" + r.runs().size(),
                    execs < 0 ? String.format(Locale.ROOT, "> %,d", r.unfoundExecs())
                            : String.format(Locale.ROOT, "%,d", execs),
                    Double.isInfinite(wall) ? "> " + time : String.format(Locale.ROOT, "%.1f", wall));
        }
        table.note("median of " + seeds + " run" + (seeds == 1 ? "" : "s") + " a bug (libFuzzer -seed 1.." + seeds
                + "), each 'wirelab fuzz --target T --guest zoo:NAME --jobs 1 --time " + time + "', one at a time;"
                + " a run stops at its first finding with the bug's title.");
        table.note("corpus: " + (withoutBugSeeds ? "the target's built-in seeds minus those that find the bug unmutated (the -dict of "
                + "single actions 'wirelab fuzz' writes still holds their actions)"
                : "the target's built-in seeds (corpora/TARGET), as 'wirelab fuzz' starts; a bug with a seed named in "
                + "the third column is found by replaying that seed, which measures the corpus, not the fuzzer"
                + " (--without-bug-seeds removes them)") + ".");
        double start = median(results.stream().flatMap(r -> r.runs().stream())
                .mapToDouble(FuzzRun.Result::startSeconds).toArray());
        table.note(String.format(Locale.ROOT, "execs: inputs run until the finding, the corpus replay included ('> N': "
                + "a run ended its budget after N); wall s: from libFuzzer's start on the corpus to the stored, "
                + "minimized finding (before that, JVMs + guest boot + target setup took %.1f s median).",
                start));
        for (BugResult r : results) {
            List<String> others = r.runs().stream().flatMap(x -> x.otherTitles().stream()).distinct().toList();
            if (!others.isEmpty()) {
                table.note(r.bug().guest() + ": other findings on the way: " + String.join("; ", others));
            }
        }
        table.note(String.format(Locale.ROOT, "machine: %d cores; load average before %s, after %s; %.0f s in all.",
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter, total));
        table.print(io.out());
        return 0;
    }

    private static Path runDir(Path base, ZooBug bug, int seed) {
        return base.resolve(bug.id + "-seed" + seed);
    }

    /** The built-in seeds of the bug's target except those that find the bug unmutated. */
    private static void seedCorpus(ZooBug bug, List<String> bugSeeds, Path dir) throws IOException {
        Path corpus = Files.createDirectories(dir.resolve("corpus").resolve(bug.target.id()));
        for (Map.Entry<String, FuzzInput> e : Seeds.forTarget(bug.target).entrySet()) {
            if (!bugSeeds.contains(e.getKey())) {
                AtomicFiles.write(corpus.resolve("seed-" + e.getKey()), InputEncoder.encode(e.getValue()));
            }
        }
        boolean empty;
        try (var entries = Files.list(corpus)) {
            empty = entries.findAny().isEmpty();
        }
        if (empty) {
            // every seed finds it: start from one zero byte ('wirelab fuzz' would re-seed an empty corpus)
            AtomicFiles.write(corpus.resolve("empty"), new byte[1]);
        }
    }

    static List<ZooBug> select(List<String> names) {
        if (names == null || names.isEmpty()) {
            return List.of(ZooBug.values());
        }
        List<ZooBug> l = new ArrayList<>();
        for (String n : names) {
            ZooBug b = ZooBug.byId(n.strip());
            if (b == null) {
                List<String> known = new ArrayList<>();
                for (ZooBug z : ZooBug.values()) {
                    known.add(z.id);
                }
                throw new UserError("--bug " + n + ": no such zoo bug (known: " + String.join(", ", known) + ")");
            }
            if (!l.contains(b)) {
                l.add(b);
            }
        }
        return l;
    }

    static String json(List<BugResult> results, long budgetSeconds, boolean withoutBugSeeds, String loadBefore,
                       String loadAfter) {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"budget_s\": ").append(budgetSeconds);
        sb.append(", \"corpus\": ").append(BenchMetrics.string(withoutBugSeeds ? "without-bug-seeds" : "built-in"));
        sb.append(", \"seeds\": ").append(results.isEmpty() ? 0 : results.getFirst().runs().size());
        sb.append(", \"load_before\": ").append(BenchMetrics.string(loadBefore));
        sb.append(", \"load_after\": ").append(BenchMetrics.string(loadAfter));
        sb.append(", \"bugs\": {");
        boolean first = true;
        for (BugResult r : results) {
            sb.append(first ? "" : ", ").append(BenchMetrics.string(r.bug().id)).append(": {");
            first = false;
            sb.append("\"target\": ").append(BenchMetrics.string(r.bug().target.id()));
            sb.append(", \"seeds_finding_it\": [");
            for (int i = 0; i < r.bugSeeds().size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(BenchMetrics.string(r.bugSeeds().get(i)));
            }
            sb.append("], \"found\": ").append(r.found());
            sb.append(", \"runs\": ").append(r.runs().size());
            long execs = r.medianExecs();
            sb.append(", \"execs_to_find\": ").append(execs < 0 ? "null" : Long.toString(execs));
            sb.append(", \"wall_s_to_find\": ").append(BenchMetrics.number(r.medianWall()));
            sb.append(", \"execs_total\": ").append(r.totalExecs());
            sb.append(", \"start_s\": ").append(BenchMetrics.number(median(r.runs().stream()
                    .mapToDouble(FuzzRun.Result::startSeconds).toArray())));
            sb.append('}');
        }
        return sb.append("}}").toString();
    }

    /** {@code /proc/loadavg}'s three averages, or "?" off Linux. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** A transient status line on an interactive terminal. */
    private record Progress(Io io) {
        void show(String what) {
            if (io.process() && System.console() != null) {
                io.err().print("\r\033[K" + "bench fuzz: " + what + "...");
                io.err().flush();
            }
        }

        void clear() {
            if (io.process() && System.console() != null) {
                io.err().print("\r\033[K");
                io.err().flush();
            }
        }
    }
}
