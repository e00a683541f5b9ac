package dev.wirelab.fuzz.targets;

import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.coverage.JazzerCounters;
import dev.wirelab.fuzz.exec.ExecSettings;
import dev.wirelab.fuzz.exec.Execution;
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.InputDecoder;
import dev.wirelab.fuzz.input.StreamTarget;
import dev.wirelab.fuzz.oracle.Finding;
import dev.wirelab.fuzz.oracle.Oracles;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * One stream target in this JVM: the prepared lab, its oracles and the coverage feed. Each call
 * decodes, executes, publishes guest coverage and judges. The guest comes from the system property
 * {@code wirelab.fuzz.guest} or the environment variable {@code WIRELAB_FUZZ_GUEST}
 * ({@code default}, {@code zoo:NAME} or an image path).
 */
public final class StreamFuzzer {
    private static final Map<StreamTarget, StreamFuzzer> OPEN = new EnumMap<>(StreamTarget.class);

    private final FuzzLab lab;
    private final Oracles oracles;
    private final JazzerCounters counters;

    public StreamFuzzer(FuzzLab lab, Oracles oracles) {
        this.lab = lab;
        this.oracles = oracles;
        this.counters = new JazzerCounters(lab.edges());
    }

    /** The JVM's fuzzer for {@code target}, opened on first use with the configured guest. */
    public static synchronized StreamFuzzer of(StreamTarget target) {
        return OPEN.computeIfAbsent(target, t -> {
            GuestProfile profile = GuestProfile.named(configuredGuest());
            return new StreamFuzzer(FuzzLab.open(profile, t, ExecSettings.defaults()), Oracles.standard(profile));
        });
    }

    static String configuredGuest() {
        String g = System.getProperty("wirelab.fuzz.guest");
        if (g == null || g.isBlank()) {
            g = System.getenv("WIRELAB_FUZZ_GUEST");
        }
        return g == null || g.isBlank() ? "default" : g.strip();
    }

    public FuzzLab lab() {
        return lab;
    }

    /** Decodes and runs {@code data}; returns the finding, if any (coverage already published). */
    public Optional<Finding> run(byte[] data) {
        FuzzInput input = InputDecoder.decode(lab.target(), data);
        return run(input);
    }

    public Optional<Finding> run(FuzzInput input) {
        Execution e = lab.execute(input);
        counters.publish();
        return oracles.check(e, lab.lab());
    }

    /** The fuzz-target entry: runs {@code data} and throws {@link FuzzFindingException} on a finding. */
    public void fuzz(byte[] data) {
        FuzzInput input = InputDecoder.decode(lab.target(), data);
        Optional<Finding> f = run(input);
        if (f.isPresent()) {
            throw new FuzzFindingException(f.get(), input);
        }
    }
}
