package dev.wirelab.cli;

import dev.wirelab.cli.shell.ScriptRunner;
import dev.wirelab.fuzz.finding.AtomicFiles;
import dev.wirelab.fuzz.finding.FindingFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a new finding's {@code repro.groovy} the way a user will ({@code wirelab run}), records
 * the run's own trace hash in the repro's header (the fuzz execution's setup differs from the
 * script's, so its hash would not match) and the outcome in {@code report.txt}. Both files are
 * rewritten atomically.
 */
final class ReproCheck {
    /** Host-time bound for one repro run (a repro is a few hundred virtual milliseconds). */
    static final long TIMEOUT_SECONDS = 300;

    private ReproCheck() {
    }

    /** The repro's exit code under {@code wirelab run} (1: it reproduces). */
    static int verify(Path finding) throws IOException {
        Path repro = finding.resolve(FindingFiles.REPRO);
        String text = Files.readString(repro, StandardCharsets.UTF_8);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ScriptRunner.Result r;
        try (PrintStream p = new PrintStream(sink, true, StandardCharsets.UTF_8)) {
            r = ScriptRunner.run(FindingFiles.REPRO, text, List.of(),
                    new ScriptRunner.Limits(20_000_000_000L, TIMEOUT_SECONDS, 0), new Io(p, p, false),
                    "./wirelab run " + repro, false);
        }
        if (!r.traceHash().isEmpty()) {
            AtomicFiles.write(repro, text.replaceFirst("(?m)^// trace-hash: [0-9a-f]*$", "// trace-hash: "
                    + r.traceHash()).getBytes(StandardCharsets.UTF_8));
        }
        Path report = finding.resolve(FindingFiles.REPORT);
        String verdict = r.exitCode() == 1 ? "reproduces (exit 1)" : "did NOT reproduce (exit " + r.exitCode()
                + "); input.bin still does with the fuzz target";
        AtomicFiles.write(report, (Files.readString(report, StandardCharsets.UTF_8) + "\nrepro check: ./wirelab run "
                + FindingFiles.REPRO + " " + verdict + "\n" + indent(sink.toString(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8));
        return r.exitCode();
    }

    private static String indent(String s) {
        StringBuilder b = new StringBuilder();
        s.lines().limit(40).forEach(l -> b.append("  ").append(l).append('\n'));
        return b.toString();
    }
}
