package dev.wirelab.cli.bench;

import dev.wirelab.cli.FuzzWorker;
import dev.wirelab.cli.Version;
import dev.wirelab.fuzz.campaign.CampaignSettings;
import dev.wirelab.fuzz.finding.ReproFormat;
import dev.wirelab.fuzz.input.StreamTarget;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Executions per second of the real engine: one {@code wirelab fuzz} worker (Jazzer/libFuzzer with
 * its dictionary, mutations, corpus and coverage feedback, exactly the worker's command line from
 * {@link FuzzWorker}) on {@code tcp-established}'s seeds, a fixed number of runs and a fixed seed, so
 * every bench run does the same work. Timed from libFuzzer's {@code INITED} line (the seeds run, the
 * JVM started) to its {@code DONE} line: start-up is a row of its own. Unlike the executor rows,
 * these inputs are what libFuzzer makes of the corpus, which grow heavier as it learns (see
 * docs/PERFORMANCE.md, "The engine").
 */
final class EngineBench implements Benchmark {
    static final StreamTarget TARGET = StreamTarget.TCP_ESTABLISHED;
    /** libFuzzer runs per {@code --runs} (1,000 with {@code --runs 1}, 3,000 by default). */
    static final int RUNS_PER_BENCH_RUN = 1000;
    static final long SEED = 1;
    /** A worker that takes longer has hung (the row would take about a minute on a busy machine). */
    static final long TIMEOUT_MINUTES = 10;

    @Override
    public void measure(BenchContext ctx, Table table) throws IOException, InterruptedException {
        if (EngineBench.class.getResource(DefaultGuestBench.RESOURCE) == null) {
            return; // DefaultGuestBench already noted the missing guest
        }
        long runs = (long) RUNS_PER_BENCH_RUN * ctx.runs();
        Path out = Files.createTempDirectory("wirelab-bench-engine-");
        boolean keep = false;
        try {
            Path corpus = Files.createDirectories(out.resolve("corpus").resolve(TARGET.id()));
            Files.createDirectories(out.resolve("crashes")); // libFuzzer's -artifact_prefix must exist
            Path dict = out.resolve("corpus").resolve(TARGET.id() + ".dict");
            FuzzWorker.writeSeeds(TARGET, corpus);
            FuzzWorker.writeDictionary(TARGET, dict);
            List<String> cmd = new FuzzWorker(out, runs, ReproFormat.GROOVY).stream(
                    new CampaignSettings(TARGET, "default", out, List.of(), Version.wirelab()), corpus, dict, 0, SEED);
            ctx.progress("engine " + TARGET.id() + ": starting a libFuzzer worker (" + runs + " runs)");
            Result r = run(ctx, cmd, out.resolve("worker.log"));
            if (r.failure() != null) {
                keep = true;
                table.note("engine row not measured: " + r.failure() + " (log " + out.resolve("worker.log") + ")");
                return;
            }
            double rate = (r.doneRuns() - r.initedRuns()) * 1e9 / (r.doneNanos() - r.initedNanos());
            ctx.metrics().engineRate(TARGET.id(), rate);
            table.row(String.format(Locale.ROOT, "engine executions/s, %s (libFuzzer, %,d runs)", TARGET.id(), runs),
                    String.format(Locale.ROOT, "%,.0f", rate), "-", "-");
            table.row("engine start-up to the seeds run (JVM, Jazzer, boot, target setup), s",
                    String.format(Locale.ROOT, "%.1f", r.initedNanos() / 1e9), "-", "-");
            long findings = countFindings(out);
            keep = findings > 0;
            table.note("engine row: one 'wirelab fuzz' worker (Jazzer/libFuzzer, dictionary, -seed=" + SEED
                    + ", -runs=" + runs + ") from the corpora/" + TARGET.id() + " seeds, timed from libFuzzer's INITED "
                    + "to its DONE line; its inputs are libFuzzer's, heavier than the fuzz rows' mutated seeds.");
            if (findings > 0) {
                table.note("warning: " + findings + " finding" + (findings == 1 ? "" : "s")
                        + " of the engine row on the default guest (a false positive or a real bug): see " + out);
            }
        } finally {
            if (!keep) {
                FuzzBench.delete(out);
            }
        }
    }

    /** The worker's timing: nanoseconds since its start at INITED and DONE, and the run counts there. */
    private record Result(long initedRuns, long initedNanos, long doneRuns, long doneNanos, String failure) {
    }

    private static Result run(BenchContext ctx, List<String> cmd, Path log) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long initedRuns = -1;
        long initedAt = 0;
        long doneRuns = -1;
        long doneAt = 0;
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                long now = System.nanoTime();
                lines.add(line);
                OptionalLong n = runsAt(line, "INITED");
                if (n.isPresent()) {
                    initedRuns = n.getAsLong();
                    initedAt = now - t0;
                    ctx.progress("engine " + TARGET.id() + ": seeds run, fuzzing");
                }
                n = runsAt(line, "DONE");
                if (n.isPresent()) {
                    doneRuns = n.getAsLong();
                    doneAt = now - t0;
                }
                n = runsAt(line, "pulse");
                if (n.isPresent()) {
                    ctx.progress("engine " + TARGET.id() + " " + n.getAsLong() + " runs");
                }
                if (now - t0 > TimeUnit.MINUTES.toNanos(TIMEOUT_MINUTES)) {
                    p.destroyForcibly();
                    break;
                }
            }
        } finally {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            Files.write(log, lines, StandardCharsets.UTF_8);
        }
        int code = p.exitValue();
        if (code != 0 || initedRuns < 0 || doneRuns <= initedRuns) {
            return new Result(0, 0, 0, 0, "the worker ended with exit " + code
                    + (initedRuns < 0 ? " before libFuzzer's INITED line" : doneRuns < 0 ? " without its DONE line" : ""));
        }
        return new Result(initedRuns, initedAt, doneRuns, doneAt, null);
    }

    /** The run count of libFuzzer's progress line {@code #N<tab>KIND ...}, if {@code line} is one of that kind. */
    static OptionalLong runsAt(String line, String kind) {
        int tab = line.indexOf('\t');
        if (!line.startsWith("#") || tab < 0 || !line.startsWith(kind, tab + 1)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(line.substring(1, tab)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static long countFindings(Path out) throws IOException {
        Path f = out.resolve("findings");
        if (!Files.isDirectory(f)) {
            return 0;
        }
        try (var s = Files.list(f)) {
            return s.filter(Files::isDirectory).count();
        }
    }
}
