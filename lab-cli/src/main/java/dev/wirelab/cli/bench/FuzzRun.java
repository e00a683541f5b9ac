package dev.wirelab.cli.bench;

import dev.wirelab.cli.Main;
import dev.wirelab.cli.UserError;
import dev.wirelab.fuzz.campaign.report.WorkerLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One bounded {@code wirelab fuzz --jobs 1} run on a zoo guest, in its own process exactly as a
 * user starts it, stopped (SIGTERM: the campaign saves its report and stops its worker) at the
 * worker's first stored finding whose title is the bug's. Executions come from the worker's
 * finding line (every input libFuzzer ran, the corpus replay included); wall seconds from
 * libFuzzer's start on the corpus (after the JVMs' start, the guest's boot and the target's
 * setup, reported apart) to the finding line, which comes after the finding's minimization.
 * Host time here is the measurement, never fed to a guest.
 */
final class FuzzRun {
    /** The worker's line for a stored finding ({@code Campaign}). */
    static final Pattern FINDING = Pattern.compile("^wirelab-finding: (.*) -> (.*?)(?: \\(execution (\\d+)\\))?$");
    /** Beyond the budget: JVM start, boot; a worker still running after it is stopped (not found). */
    static final long GRACE_SECONDS = 120;
    private static final long POLL_MILLIS = 200;

    /**
     * @param found       a finding of the bug was stored
     * @param executions  inputs run until it (or in the whole run when not found)
     * @param wallSeconds from the engine's start on the corpus to the finding (or to the run's end)
     * @param startSeconds from process start to the engine's start on the corpus (JVMs, boot, target setup)
     * @param otherTitles findings of other bugs on the way (a zoo guest may have more than one)
     */
    record Result(boolean found, long executions, double wallSeconds, double startSeconds, List<String> otherTitles) {
    }

    /** libFuzzer's line just before it replays the corpus: the guest is booted and the target set up. */
    static boolean engineStarted(String line) {
        return line.startsWith("INFO: seed corpus:") || line.startsWith("#");
    }

    private FuzzRun() {
    }

    static List<String> command(ZooBug bug, long seconds, long seed, Path out) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        String root = System.getProperty("wirelab.root");
        if (root != null) {
            cmd.add("-Dwirelab.root=" + root);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of("fuzz", "--target", bug.target.id(), "--guest", bug.guest(), "--time", seconds + "s",
                "--seed", Long.toString(seed), "--jobs", "1", "--out", out.toString()));
        return cmd;
    }

    static Result run(ZooBug bug, long seconds, long seed, Path out) throws IOException, InterruptedException {
        Files.createDirectories(out);
        Path log = out.resolve("logs").resolve(bug.target.id() + "-0.log");
        Path own = out.resolve("wirelab-fuzz.out");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command(bug, seconds, seed, out)).redirectErrorStream(true)
                .redirectOutput(own.toFile()).start();
        List<String> logLines = new ArrayList<>();
        WorkerLog engine = new WorkerLog(log, logLines::add);
        List<String> others = new ArrayList<>();
        long started = -1;
        long deadline = t0 + TimeUnit.SECONDS.toNanos(seconds + GRACE_SECONDS);
        try {
            while (true) {
                boolean ended = p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
                engine.poll();
                List<String> fresh = List.copyOf(logLines);
                logLines.clear();
                for (String line : fresh) {
                    if (started < 0 && engineStarted(line)) {
                        started = System.nanoTime();
                    }
                    Matcher m = FINDING.matcher(line);
                    if (!m.matches()) {
                        continue;
                    }
                    if (bug.matches(m.group(1))) {
                        long now = System.nanoTime();
                        long execs = m.group(3) != null ? Long.parseLong(m.group(3)) : engine.execs();
                        return result(true, execs, t0, started, now, others);
                    }
                    others.add(m.group(1));
                }
                if (ended) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    // past its budget the worker only writes its report (coverage by function replays the
                    // whole corpus: minutes on a loaded machine); the bug was not found in time either way
                    break;
                }
            }
        } finally {
            stop(p);
        }
        if (p.exitValue() == 2) {
            List<String> lines = Files.readAllLines(own, StandardCharsets.UTF_8);
            throw new UserError("wirelab fuzz on " + bug.guest() + " refused its input: "
                    + lines.stream().filter(l -> l.startsWith("wirelab: ")).reduce((a, b) -> b).orElse("see " + own));
        }
        return result(false, engine.execs(), t0, started, System.nanoTime(), others);
    }

    private static Result result(boolean found, long execs, long t0, long started, long now, List<String> others) {
        long s = started < 0 ? now : started;
        return new Result(found, execs, (now - s) / 1e9, (s - t0) / 1e9, others);
    }

    private static void stop(Process p) throws InterruptedException {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
    }
}
