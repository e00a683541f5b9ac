package dev.wirelab.fuzz.finding;

import java.util.Objects;

/**
 * The four files of one finding, as bytes, before they are stored.
 *
 * @param input   the minimized input in the target's encoding ({@code input.bin}, replayable by the target)
 * @param repro   the readable Groovy repro ({@code repro.groovy})
 * @param capture the failing exchange ({@code capture.pcapng}, virtual timestamps)
 * @param report  the human summary ({@code report.txt})
 */
public record FindingFiles(byte[] input, String repro, byte[] capture, String report) {
    public static final String INPUT = "input.bin";
    public static final String REPRO = "repro.groovy";
    public static final String CAPTURE = "capture.pcapng";
    public static final String REPORT = "report.txt";

    public FindingFiles {
        input = Objects.requireNonNull(input, "input").clone();
        Objects.requireNonNull(repro, "repro");
        capture = Objects.requireNonNull(capture, "capture").clone();
        Objects.requireNonNull(report, "report");
    }

    @Override
    public byte[] input() {
        return input.clone();
    }

    @Override
    public byte[] capture() {
        return capture.clone();
    }
}
