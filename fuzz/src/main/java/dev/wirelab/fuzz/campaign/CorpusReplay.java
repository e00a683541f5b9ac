package dev.wirelab.fuzz.campaign;

import dev.wirelab.emulator.coverage.EdgeMap;
import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.exec.ExecSettings;
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.input.InputDecoder;
import dev.wirelab.fuzz.input.StreamTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Runs corpus entries once more, outside the engine, to learn what each one covers: the guest
 * edge features (for merging) and, on request, the address of every block entered (for coverage
 * by function). Deterministic like every execution: the same entry gives the same answer.
 */
public final class CorpusReplay implements AutoCloseable {
    /** A corpus entry read from disk. */
    public record Entry(Path file, byte[] data) { }

    private final FuzzLab lab;

    public CorpusReplay(GuestProfile profile, StreamTarget target) {
        this.lab = FuzzLab.open(profile, target, ExecSettings.defaults());
    }

    /** The entries of {@code dirs} (regular files, not atomic writes' dot-files), ordered by name for repeatability. */
    public static List<Entry> read(List<Path> dirs) {
        List<Entry> out = new ArrayList<>();
        for (Path dir : dirs) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    if (!p.getFileName().toString().startsWith(".") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        files.add(p);
                    }
                }
                files.sort(Comparator.comparing(p -> p.getFileName().toString()));
                for (Path p : files) {
                    out.add(new Entry(p, Files.readAllBytes(p)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading corpus " + dir + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * Runs {@code data}; returns its edge features, AFL style: one per (edge counter, hit-count
     * bucket), so running an edge 4 times instead of once is a different behaviour.
     */
    public int[] features(byte[] data, LongConsumer blocks) {
        EdgeMap edges = lab.edges();
        lab.blocks(blocks);
        try {
            lab.execute(InputDecoder.decode(lab.target(), data));
        } finally {
            lab.blocks(null);
        }
        MemorySegment c = edges.counters();
        int[] f = new int[64];
        int n = 0;
        for (int i = 0; i < edges.size(); i++) {
            int hits = Byte.toUnsignedInt(c.get(ValueLayout.JAVA_BYTE, i));
            if (hits != 0) {
                if (n == f.length) {
                    f = java.util.Arrays.copyOf(f, n * 2);
                }
                f[n++] = i * 8 + bucket(hits);
            }
        }
        return java.util.Arrays.copyOf(f, n);
    }

    /** AFL's hit-count classes: 1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+. */
    static int bucket(int hits) {
        if (hits <= 3) {
            return hits - 1;
        }
        if (hits < 8) {
            return 3;
        }
        if (hits < 16) {
            return 4;
        }
        if (hits < 32) {
            return 5;
        }
        return hits < 128 ? 6 : 7;
    }

    /** The profile's guest image (symbols for coverage by function). */
    public GuestProfile profile() {
        return lab.profile();
    }

    @Override
    public void close() {
        lab.close();
    }
}
