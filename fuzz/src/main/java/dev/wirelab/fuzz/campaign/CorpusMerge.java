package dev.wirelab.fuzz.campaign;

import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.finding.AtomicFiles;
import dev.wirelab.fuzz.input.StreamTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Corpus merge and minimization by guest edge coverage (libFuzzer's {@code -merge=1} idea, our
 * executor): every entry of the output folder and the input folders is run once; smallest first,
 * an entry is kept when it adds an edge feature none kept before has. The kept entries are
 * written into the output folder under their SHA-1 (libFuzzer's naming), each atomically, and
 * only then are the output's redundant entries removed: a kill at any moment leaves a folder
 * that covers at least what the merged one covers.
 */
public final class CorpusMerge {
    /** What a merge did. */
    public record Result(int inputs, int unique, int kept, int removed, int features) { }

    private CorpusMerge() {
    }

    /** Merges {@code from} (and what {@code into} already holds) into {@code into}, minimized. */
    public static Result merge(GuestProfile profile, StreamTarget target, Path into, List<Path> from)
            throws IOException {
        Files.createDirectories(into);
        List<Path> dirs = new ArrayList<>();
        dirs.add(into);
        dirs.addAll(from);
        List<CorpusReplay.Entry> all = CorpusReplay.read(dirs);
        Map<String, CorpusReplay.Entry> unique = new LinkedHashMap<>();
        for (CorpusReplay.Entry e : all) {
            unique.putIfAbsent(sha1(e.data()), e);
        }
        List<Map.Entry<String, CorpusReplay.Entry>> order = new ArrayList<>(unique.entrySet());
        order.sort(Comparator.<Map.Entry<String, CorpusReplay.Entry>>comparingInt(e -> e.getValue().data().length)
                .thenComparing(Map.Entry::getKey));
        Set<Integer> seen = new HashSet<>();
        Set<String> kept = new HashSet<>();
        try (CorpusReplay replay = new CorpusReplay(profile, target)) {
            for (Map.Entry<String, CorpusReplay.Entry> e : order) {
                boolean adds = false;
                for (int f : replay.features(e.getValue().data(), null)) {
                    adds |= seen.add(f);
                }
                if (adds) {
                    kept.add(e.getKey());
                    Path dest = into.resolve(e.getKey());
                    if (!Files.exists(dest)) {
                        AtomicFiles.write(dest, e.getValue().data());
                    }
                }
            }
        }
        int removed = 0;
        for (CorpusReplay.Entry e : CorpusReplay.read(List.of(into))) {
            if (!kept.contains(e.file().getFileName().toString())) {
                Files.delete(e.file());
                removed++;
            }
        }
        AtomicFiles.syncDirectory(into);
        return new Result(all.size(), unique.size(), kept.size(), removed, seen.size());
    }

    static String sha1(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
