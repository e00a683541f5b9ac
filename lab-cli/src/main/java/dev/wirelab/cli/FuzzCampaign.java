package dev.wirelab.cli;

import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.campaign.CampaignTarget;
import dev.wirelab.fuzz.campaign.FunctionCoverage;
import dev.wirelab.fuzz.campaign.report.CampaignReport;
import dev.wirelab.fuzz.campaign.report.FindingRow;
import dev.wirelab.fuzz.campaign.report.Sample;
import dev.wirelab.fuzz.campaign.report.WorkerLog;
import dev.wirelab.fuzz.input.StreamTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A fuzzing campaign: each target in turn (the time split evenly), {@code jobs} worker JVMs per
 * target on one shared corpus directory (libFuzzer re-reads the directory, so each worker picks up
 * the others' inputs), progress from the workers' libFuzzer status lines, {@code report.html} and
 * {@code summary.json} rewritten atomically as it goes. Re-running on the same {@code out}
 * continues: the corpus (and with it the coverage) and the findings are on disk, never only in
 * memory. Wall-clock time here only paces the campaign; nothing of it reaches a guest.
 */
final class FuzzCampaign {
    /** What the command decided; {@code seconds} 0 means bounded by {@code runs} alone. */
    record Plan(List<StreamTarget> targets, String guest, Path out, int jobs, long seconds, Long runs, long seed,
                Set<String> baseline, Map<String, String> settings) {
    }

    /** How one worker is started (the command owns the child's command line and the corpus seeding). */
    interface Engine {
        Path corpus(StreamTarget t) throws IOException;

        List<String> command(StreamTarget t, Path corpus, long seconds, long seed);
    }

    /** The campaign's outcome: stored findings whose titles are neither in the baseline nor there before. */
    record Outcome(List<FindingRow> findings, List<Path> fresh, long execs, boolean internalError) {
    }

    private final Io io;
    private final Plan plan;
    private final Engine engine;
    private final List<Process> running = new ArrayList<>();
    private final List<WorkerLog> logs = new ArrayList<>();
    private final List<Sample> samples = new ArrayList<>();
    private final Set<String> known = new HashSet<>();
    private final List<FunctionCoverage> functions = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Corpus entries replayed per target for coverage by function (a nightly's corpus can be large). */
    static final int REPLAY_LIMIT = 2000;
    private final long started = System.nanoTime();
    /** Where an earlier run on this out left off: a resumed campaign's plots continue from there. */
    private double baseSeconds;
    private long baseExecs;
    /** The coverage a resumed single-target campaign had reached (0: fresh, or several targets). */
    private long baseCoverage;
    private volatile boolean finished;
    private volatile boolean stopping;

    FuzzCampaign(Io io, Plan plan, Engine engine) {
        this.io = io;
        this.plan = plan;
        this.engine = engine;
    }

    Outcome run() throws IOException, InterruptedException {
        Path findingsDir = plan.out().resolve("findings");
        Set<String> before = new HashSet<>();
        // A killed run's new findings stay new for the run that continues it.
        Set<String> stillNew = CampaignReport.unfinishedNewFindings(plan.out());
        FindingRow.scan(findingsDir, Set.of()).forEach(f -> {
            if (!stillNew.contains(f.id())) {
                before.add(f.id());
            }
        });
        known.addAll(plan.baseline());
        if (plan.baseline().isEmpty()) {
            FindingRow.scan(findingsDir, Set.of()).stream().filter(f -> before.contains(f.id()))
                    .forEach(f -> known.add(f.title()));
        }
        Thread hook = io.process() ? new Thread(this::interrupted, "wirelab-fuzz-stop") : null;
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        boolean internal = false;
        double interval = Math.max(2, plan.seconds() / 300.0);
        try (ProgressLine progress = ProgressLine.open(io, Math.max(10, plan.seconds() / 100.0))) {
            samples.addAll(CampaignReport.previousSamples(plan.out()));
            if (!samples.isEmpty()) {
                baseSeconds = samples.getLast().seconds();
                baseExecs = samples.getLast().execs();
                // One target resumed on its own corpus: the coverage it had is not lost while workers reload it.
                baseCoverage = plan.targets().size() == 1 ? samples.getLast().coverage() : 0;
            }
            engine.corpus(plan.targets().getFirst()); // seeded before the first sample counts it
            sample(0);
            for (int i = 0; i < plan.targets().size(); i++) {
                StreamTarget t = plan.targets().get(i);
                long seconds = plan.seconds() == 0 ? 0 : Math.max(1, plan.seconds() / plan.targets().size());
                internal |= runTarget(t, i, seconds, interval, progress);
            }
            functionCoverage(progress);
            finished = true;
            report(CampaignReport.State.FINISHED);
        } finally {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // already shutting down: the hook runs
                }
            }
        }
        List<FindingRow> rows = FindingRow.scan(findingsDir, known);
        List<Path> fresh = new ArrayList<>();
        for (FindingRow r : rows) {
            if (!r.known() && (!plan.baseline().isEmpty() || !before.contains(r.id()))) {
                fresh.add(findingsDir.resolve(r.id()));
            }
        }
        return new Outcome(rows, fresh, execs(), internal);
    }

    /** One target's workers until they end; true when one ended in a way that is the lab's fault. */
    private boolean runTarget(StreamTarget t, int index, long seconds, double interval, ProgressLine progress)
            throws IOException, InterruptedException {
        Path corpus = engine.corpus(t);
        Path logDir = Files.createDirectories(plan.out().resolve("logs"));
        List<Process> workers = new ArrayList<>();
        List<WorkerLog> mine = new ArrayList<>();
        List<Path> logFiles = new ArrayList<>();
        for (int j = 0; j < plan.jobs(); j++) {
            Path log = logDir.resolve(t.id() + "-" + j + ".log");
            logFiles.add(log);
            // Each worker its own seed: N copies of one seed would repeat each other's work.
            Process p = new ProcessBuilder(engine.command(t, corpus, seconds, plan.seed() + j))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            synchronized (running) {
                running.add(p);
            }
            workers.add(p);
            WorkerLog w = new WorkerLog(log);
            mine.add(w);
            synchronized (logs) {
                logs.add(w);
            }
        }
        double targetStart = elapsed();
        double lastNew = targetStart;
        double lastSample = elapsed();
        String label = t.id() + (plan.targets().size() > 1 ? " " + (index + 1) + "/" + plan.targets().size() : "");
        while (workers.stream().anyMatch(Process::isAlive)) {
            workers.getFirst().waitFor(500, java.util.concurrent.TimeUnit.MILLISECONDS);
            for (WorkerLog w : mine) {
                if (w.poll()) {
                    lastNew = elapsed();
                }
            }
            double now = elapsed();
            long cov = Math.max(baseCoverage, mine.stream().mapToLong(WorkerLog::coverage).max().orElse(0));
            if (now - lastSample >= interval) {
                lastSample = now;
                sample(cov);
                report(CampaignReport.State.RUNNING);
            }
            Sample s = samples.getLast();
            progress.show(now, String.format(Locale.ROOT, "%s  %s%s  %.0f exec/s  cov %d  corpus %d  findings %d  "
                            + "last new coverage %s ago", label, clock(now - targetStart),
                    seconds > 0 ? " (left " + clock(Math.max(0, seconds - (now - targetStart))) + ")" : "",
                    s.execsPerSec(), cov, count(corpus), count(plan.out().resolve("findings")), clock(now - lastNew)));
        }
        boolean internal = false;
        for (int j = 0; j < workers.size(); j++) {
            int code = workers.get(j).exitValue();
            mine.get(j).poll();
            mine.get(j).engineEnded();
            if (code == CampaignTarget.BAD_INPUT) {
                List<String> lines = Files.readAllLines(logFiles.get(j), StandardCharsets.UTF_8);
                throw new UserError(lines.stream().filter(l -> l.startsWith("wirelab: ")).reduce((a, b) -> b)
                        .map(l -> l.substring("wirelab: ".length()))
                        .orElse("the fuzzing worker refused its input; see " + logFiles.get(j)));
            }
            if (code != 0 && !stopping) {
                progress.print("wirelab: fuzzing worker " + t.id() + "-" + j + " ended with exit " + code
                        + " (a bug in the lab itself, not the guest): see " + logFiles.get(j));
                internal = true;
            }
        }
        synchronized (running) {
            running.removeAll(workers);
        }
        sample(mine.stream().mapToLong(WorkerLog::coverage).max().orElse(0));
        report(CampaignReport.State.RUNNING);
        return internal;
    }

    /** Each target's corpus replayed once for the report's coverage by function; a failure costs only that section. */
    private void functionCoverage(ProgressLine progress) {
        for (StreamTarget t : plan.targets()) {
            if (stopping) {
                return;
            }
            Path corpus = plan.out().resolve("corpus").resolve(t.id());
            progress.print("measuring guest coverage by function: replaying " + count(corpus) + " " + t.id()
                    + " corpus entries (at most " + REPLAY_LIMIT + ")");
            try {
                functions.add(FunctionCoverage.measure(GuestProfile.named(plan.guest()), t, corpus, REPLAY_LIMIT));
            } catch (RuntimeException e) {
                progress.print("wirelab: coverage by function of " + t.id() + " not measured: " + e.getMessage());
            }
        }
    }

    private void sample(long coverage) throws IOException {
        double now = baseSeconds + elapsed();
        long execs = baseExecs + execs();
        Sample prev = samples.isEmpty() ? null : samples.getLast();
        if (coverage == 0 && prev != null) {
            coverage = prev.coverage(); // workers still starting (a resumed run): coverage was not lost
        }
        coverage = Math.max(coverage, baseCoverage);
        double rate = prev == null || now - prev.seconds() <= 0 ? 0 : (execs - prev.execs()) / (now - prev.seconds());
        int corpus = 0;
        for (StreamTarget t : plan.targets()) {
            corpus += count(plan.out().resolve("corpus").resolve(t.id()));
        }
        samples.add(new Sample(now, execs, rate, coverage, corpus, count(plan.out().resolve("findings"))));
    }

    private long execs() {
        synchronized (logs) {
            return logs.stream().mapToLong(WorkerLog::execs).sum();
        }
    }

    private synchronized void report(CampaignReport.State state) throws IOException {
        if (stopping && state != CampaignReport.State.INTERRUPTED) {
            return; // the stop's final report stays the last word
        }
        Map<String, String> settings = new LinkedHashMap<>(plan.settings());
        CampaignReport.write(plan.out(), settings, List.copyOf(samples),
                FindingRow.scan(plan.out().resolve("findings"), known), List.copyOf(functions), state);
    }

    /** SIGINT/SIGTERM: stop the workers (their corpus and findings are already on disk), final report. */
    private void interrupted() {
        if (finished) {
            return;
        }
        stopping = true;
        List<Process> ps;
        synchronized (running) {
            ps = List.copyOf(running);
        }
        ps.forEach(Process::destroy);
        for (Process p : ps) {
            try {
                if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try {
            synchronized (logs) {
                for (WorkerLog w : logs) {
                    w.poll();
                }
            }
            report(CampaignReport.State.INTERRUPTED);
            io.err().println("wirelab: fuzzing stopped; corpus, findings and " + plan.out().resolve("report.html")
                    + " are saved (run the same command again to continue)");
        } catch (IOException | RuntimeException e) {
            io.err().println("wirelab: fuzzing stopped; could not write the final report: " + e.getMessage());
        }
    }

    private double elapsed() {
        return (System.nanoTime() - started) / 1e9;
    }

    /** Entries in a directory, temp files of atomic writes not counted. */
    static int count(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!p.getFileName().toString().startsWith(".")) {
                    n++;
                }
            }
        } catch (IOException e) {
            return n;
        }
        return n;
    }

    private static String clock(double seconds) {
        long s = (long) seconds;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
