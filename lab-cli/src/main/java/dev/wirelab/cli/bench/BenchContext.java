package dev.wirelab.cli.bench;

import dev.wirelab.cli.GuestImage;
import dev.wirelab.cli.Io;
import dev.wirelab.emulator.board.BoardConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every benchmark shares: the streams, how many runs to take the median
 * of, the board configuration (also given to QEMU), QEMU if it was found, and
 * temporary copies of embedded guests for QEMU's command line.
 */
public final class BenchContext implements AutoCloseable {
    private final Io io;
    private final int runs;
    private final BoardConfig config;
    private final Optional<Qemu> qemu;
    private final Map<String, Path> files = new HashMap<>();
    private final boolean showProgress;
    private Long qemuStartup;
    private final BenchMetrics metrics = new BenchMetrics();

    private final List<BenchGuest> guests;

    BenchContext(Io io, int runs, BoardConfig config, Optional<Qemu> qemu, List<BenchGuest> guests) {
        this.guests = List.copyOf(guests);
        this.io = io;
        this.runs = runs;
        this.config = config;
        this.qemu = qemu;
        this.showProgress = io.process() && System.console() != null;
    }

    public Io io() {
        return io;
    }

    /** The bench guests the user selected (all by default). */
    public List<BenchGuest> guests() {
        return guests;
    }

    /** What {@code --json} prints; benchmarks record their headline numbers here. */
    public BenchMetrics metrics() {
        return metrics;
    }

    public int runs() {
        return runs;
    }

    public BoardConfig config() {
        return config;
    }

    Optional<Qemu> qemu() {
        return qemu;
    }

    /** An embedded guest's bytes (the build must contain it). */
    public byte[] guest(String resource) {
        return GuestImage.resource(resource).orElseThrow(() -> new IllegalStateException(
                "embedded guest " + resource + " is missing from this build: rebuild with scripts/build"));
    }

    /** An embedded guest as a file (QEMU needs a path); deleted when the bench ends. */
    Path guestFile(String resource) throws IOException {
        Path p = files.get(resource);
        if (p == null) {
            p = Files.createTempFile("wirelab-bench-", "-" + resource.substring(resource.lastIndexOf('/') + 1));
            Files.write(p, guest(resource));
            files.put(resource, p);
        }
        return p;
    }

    /**
     * QEMU's cost of starting, booting the hello guest and exiting (median of
     * {@link #runs()}), subtracted from QEMU's bench times so both columns count
     * guest execution only. Measured once.
     */
    long qemuStartupNanos() throws IOException, InterruptedException {
        if (qemuStartup == null) {
            Samples s = new Samples(runs);
            for (int i = 0; i < runs; i++) {
                progress("QEMU start-up " + (i + 1) + "/" + runs);
                s.add(qemu.orElseThrow().time(config, guestFile(GuestImage.FALLBACK)));
            }
            qemuStartup = s.median();
        }
        return qemuStartup;
    }

    /** A transient status line on an interactive terminal (overwritten by the next, erased by {@link #close}). */
    public void progress(String what) {
        if (showProgress) {
            io.err().print("\r\033[K" + "bench: " + what + "...");
            io.err().flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (showProgress) {
            io.err().print("\r\033[K");
            io.err().flush();
        }
        for (Path p : files.values()) {
            Files.deleteIfExists(p);
        }
    }
}
