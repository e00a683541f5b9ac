package dev.wirelab.fuzz.finding;

import dev.wirelab.emulator.capture.Direction;
import dev.wirelab.emulator.capture.PcapngWriter;
import dev.wirelab.emulator.lab.FrameEvent;
import dev.wirelab.emulator.time.VirtualClock;
import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.exec.ExecSettings;
import dev.wirelab.fuzz.exec.Execution;
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.InputEncoder;
import dev.wirelab.fuzz.oracle.Finding;
import dev.wirelab.fuzz.oracle.Oracles;
import dev.wirelab.fuzz.oracle.WireMonitorOracle;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What happens to a finding: if its title is new, minimize the input, re-run the minimized input
 * once more to record its exchange, and store {@code input.bin}, {@code repro.groovy}
 * and/or {@code repro.pkt} ({@link ReproFormat}), {@code capture.pcapng} and {@code report.txt} as one finding directory. Several unique findings
 * survive one run; a title seen before costs nothing.
 */
public final class FindingPipeline {
    /** Re-runs the minimizer may spend on one finding. */
    public static final int MINIMIZE_RUNS = 200;

    private final FuzzLab lab;
    private final Oracles oracles;
    private final WireMonitorOracle monitor;
    private final FindingStore store;
    private final String version;
    private final String imageSha256;
    private final ExecSettings settings;
    private final ReproFormat format = ReproFormat.fromSystemProperties();

    public FindingPipeline(FuzzLab lab, Oracles oracles, WireMonitorOracle monitor, FindingStore store,
                           ExecSettings settings, String version) {
        this.lab = lab;
        this.oracles = oracles;
        this.monitor = monitor;
        this.store = store;
        this.settings = settings;
        this.version = version;
        this.imageSha256 = imageSha256(lab.profile());
    }

    public FindingStore store() {
        return store;
    }

    /** Stores {@code f} found by {@code input}; empty when its title is stored already. */
    public Optional<Path> handle(FuzzInput input, Finding f) {
        if (store.has(f.title())) {
            return Optional.empty();
        }
        Minimizer m = new Minimizer(c -> oracles.check(lab.execute(c), lab.lab()), MINIMIZE_RUNS);
        FuzzInput small = m.minimize(input, f.title());
        Execution e = lab.execute(small);
        Optional<Finding> again = oracles.check(e, lab.lab());
        if (again.isEmpty() || !again.get().title().equals(f.title())) {
            small = input; // the minimized input stopped failing the same way: keep the original
            e = lab.execute(small);
            again = oracles.check(e, lab.lab());
        }
        Finding shown = again.orElse(f);
        List<FrameEvent> before = WireMonitorOracle.before(e, lab.lab());
        String hash = lab.lab().trace.getHash();
        PktRepro.Outcome pkt = format.wantsPkt() ? PktRepro.render(lab, shown, before, e) : null;
        String pktText = pkt instanceof PktRepro.Script s ? s.text() : null;
        // the Groovy repro is always possible: it stands in when the .pkt cannot be written
        String repro = format.wantsGroovy() || pktText == null
                ? ReproScript.render(lab, shown, new ReproScript.Origin(version, imageSha256, "defaults", hash), before, e)
                : null;
        String report = FindingReport.render(lab.profile(), shown, input, small, m.runs(), e,
                monitor == null ? List.of() : monitor.notes(e, lab.lab()), hash, repro != null, pkt);
        FindingFiles files = new FindingFiles(InputEncoder.encode(small), repro, pktText, capture(before, e.frames()), report);
        return store.save(f.title(), files);
    }

    /** The exchange since boot (setup then the execution), stamped with virtual time. */
    static byte[] capture(List<FrameEvent> before, List<FrameEvent> during) {
        try (PcapngWriter w = PcapngWriter.inMemory()) {
            for (List<FrameEvent> part : List.of(before, during)) {
                for (FrameEvent f : part) {
                    w.write(f.ticks() * VirtualClock.NANOS_PER_TICK, f.bytes(),
                            f.isOut() ? Direction.OUTBOUND : Direction.INBOUND);
                }
            }
            return w.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("building the capture in memory", e);
        }
    }

    /** SHA-256 of the guest image's bytes (class-path resource or file). */
    public static String imageSha256(GuestProfile p) {
        try {
            byte[] bytes;
            try (InputStream in = GuestProfile.class.getResourceAsStream(p.image())) {
                bytes = in != null ? in.readAllBytes() : Files.readAllBytes(Paths.get(p.image()));
            }
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("reading guest image " + p.image(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JDK", e);
        }
    }
}
