package dev.wirelab.fuzz.campaign;

import dev.wirelab.fuzz.input.StreamTarget;
import dev.wirelab.fuzz.monitor.Invariant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one fuzzing child JVM does, passed from {@code wirelab fuzz} as system properties
 * ({@code wirelab.fuzz.*}) because Jazzer owns the child's command line.
 *
 * @param target   the stream target
 * @param guest    {@code default}, {@code zoo:NAME} or an image path
 * @param out      the output directory ({@code findings/} goes there)
 * @param promote  monitor invariants that count as findings (the rest are notes)
 * @param version  the wirelab version for repro headers
 */
public record CampaignSettings(StreamTarget target, String guest, Path out, List<Invariant> promote, String version) {
    public static final String TARGET = "wirelab.fuzz.target";
    public static final String GUEST = "wirelab.fuzz.guest";
    public static final String OUT = "wirelab.fuzz.out";
    public static final String PROMOTE = "wirelab.fuzz.promote";
    public static final String VERSION = "wirelab.version";

    public CampaignSettings {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(guest, "guest");
        Objects.requireNonNull(out, "out");
        promote = List.copyOf(promote);
        Objects.requireNonNull(version, "version");
    }

    /** The {@code -D} flags for the child. */
    public Map<String, String> properties() {
        List<String> ids = new ArrayList<>();
        promote.forEach(i -> ids.add(i.id()));
        return Map.of(TARGET, target.id(), GUEST, guest, OUT, out.toAbsolutePath().toString(), PROMOTE,
                String.join(",", ids), VERSION, version);
    }

    /** Reads the settings back in the child. */
    public static CampaignSettings fromSystemProperties() {
        String t = System.getProperty(TARGET);
        if (t == null) {
            throw new IllegalStateException("-D" + TARGET + " is not set (run through 'wirelab fuzz')");
        }
        List<Invariant> promote = new ArrayList<>();
        for (String s : System.getProperty(PROMOTE, "").split(",")) {
            if (!s.isBlank()) {
                promote.add(Invariant.parse(s));
            }
        }
        return new CampaignSettings(StreamTarget.byId(t), System.getProperty(GUEST, "default"),
                Path.of(System.getProperty(OUT, "fuzz-out")), promote, System.getProperty(VERSION, "dev"));
    }
}
