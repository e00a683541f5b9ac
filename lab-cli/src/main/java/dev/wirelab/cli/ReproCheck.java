package dev.wirelab.cli;

import dev.wirelab.cli.shell.ScriptRunner;
import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.finding.AtomicFiles;
import dev.wirelab.fuzz.finding.FindingFiles;
import dev.wirelab.fuzz.finding.PktRepro;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a new finding's {@code repro.groovy} (and {@code repro.pkt}) the way a user will ({@code wirelab run}, sandboxed), records
 * the run's own trace hash in the repro's header (the fuzz execution's setup differs from the
 * script's, so its hash would not match) and the outcome in {@code report.txt}. Both files are
 * rewritten atomically.
 */
final class ReproCheck {
    /** Host-time bound for one repro run (a repro is a few hundred virtual milliseconds). */
    static final long TIMEOUT_SECONDS = 300;

    private ReproCheck() {
    }

    /**
     * Checks each repro the finding has ({@code repro.groovy}, {@code repro.pkt} on {@code guest}: the
     * fuzz run's {@code default}, {@code zoo:NAME} or image); the exit code of the Groovy one when there
     * is one, else of the .pkt (1: it reproduces).
     */
    static int verify(Path finding, String guest) throws IOException {
        Path pkt = finding.resolve(FindingFiles.PKT);
        int pktCode = Files.exists(pkt) ? verifyPkt(finding, pkt, guest) : -1;
        return Files.exists(finding.resolve(FindingFiles.REPRO)) ? verify(finding) : pktCode;
    }

    /** The repro whose exit code {@link #verify(Path, String)} gives: repro.groovy, or repro.pkt when it is the only one. */
    static String primary(Path finding) {
        return Files.exists(finding.resolve(FindingFiles.REPRO)) ? FindingFiles.REPRO : FindingFiles.PKT;
    }

    /** {@code repro.pkt} under {@code wirelab run repro.pkt GUEST}; the outcome goes into {@code report.txt}. */
    private static int verifyPkt(Path finding, Path pkt, String guest) throws IOException {
        String on = PktRepro.guestArgument(GuestProfile.named(guest));
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        int code;
        try (PrintStream p = new PrintStream(sink, true, StandardCharsets.UTF_8)) {
            code = PktRun.run(pkt, on, new PktRun.Overrides(null, null, null, false), 20_000_000_000L, false, null,
                    new Io(p, p, false));
        }
        record(finding, FindingFiles.PKT + " " + on, code, sink);
        return code;
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
                    "./wirelab run " + repro, false, new ScriptRunner.Trust(false, List.of(finding.toAbsolutePath())));
        }
        if (!r.traceHash().isEmpty()) {
            AtomicFiles.write(repro, text.replaceFirst("(?m)^// trace-hash: [0-9a-f]*$", "// trace-hash: "
                    + r.traceHash()).getBytes(StandardCharsets.UTF_8));
        }
        record(finding, FindingFiles.REPRO, r.exitCode(), sink);
        return r.exitCode();
    }

    /** Appends {@code ./wirelab run COMMAND}'s verdict and output to the finding's {@code report.txt}. */
    private static void record(Path finding, String command, int code, ByteArrayOutputStream output) throws IOException {
        Path report = finding.resolve(FindingFiles.REPORT);
        String verdict = code == 1 ? "reproduces (exit 1)" : "did NOT reproduce (exit " + code
                + "); input.bin still does with the fuzz target";
        AtomicFiles.write(report, (Files.readString(report, StandardCharsets.UTF_8) + "\nrepro check: ./wirelab run "
                + command + " " + verdict + "\n" + indent(output.toString(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String indent(String s) {
        StringBuilder b = new StringBuilder();
        s.lines().limit(40).forEach(l -> b.append("  ").append(l).append('\n'));
        return b.toString();
    }
}
