package dev.wirelab.fuzz.finding;

import java.util.Objects;

/**
 * The files of one finding, as bytes, before they are stored.
 *
 * @param input   the minimized input in the target's encoding ({@code input.bin}, replayable by the target)
 * @param repro   the readable Groovy repro ({@code repro.groovy}), or null when only the .pkt is wanted
 * @param pkt     the packetdrill repro ({@code repro.pkt}), or null (not asked for, or packetdrill cannot say it)
 * @param capture the failing exchange ({@code capture.pcapng}, virtual timestamps)
 * @param report  the human summary ({@code report.txt})
 */
public record FindingFiles(byte[] input, String repro, String pkt, byte[] capture, String report) {
    public static final String INPUT = "input.bin";
    public static final String REPRO = "repro.groovy";
    public static final String PKT = "repro.pkt";
    public static final String CAPTURE = "capture.pcapng";
    public static final String REPORT = "report.txt";

    public FindingFiles {
        input = Objects.requireNonNull(input, "input").clone();
        if (repro == null && pkt == null) {
            throw new IllegalArgumentException("a finding needs a repro: repro.groovy, repro.pkt or both");
        }
        capture = Objects.requireNonNull(capture, "capture").clone();
        Objects.requireNonNull(report, "report");
    }

    /** The Groovy repro only. */
    public FindingFiles(byte[] input, String repro, byte[] capture, String report) {
        this(input, Objects.requireNonNull(repro, "repro"), null, capture, report);
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
