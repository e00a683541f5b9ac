package dev.wirelab.cli.bench;

import dev.wirelab.fuzz.Seeds;
import dev.wirelab.fuzz.input.InputEncoder;
import dev.wirelab.fuzz.input.StreamTarget;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fuzz-like inputs for the exec/s bench without libFuzzer: a target's seeds (the same inputs as
 * {@code corpora/TARGET/}, which {@code Seeds} writes) with one to four byte-level mutations each
 * (bit flip, byte set, insert, delete, splice with another seed). Seeded, so every bench run
 * executes the same inputs; every byte string decodes to an input, so all of them run.
 */
final class SeedMutator {
    /** What {@code wirelab fuzz} gives libFuzzer as {@code -max_len} for the stream targets. */
    static final int MAX_LEN = 512;

    private final List<byte[]> seeds;
    private final SplittableRandom random;

    SeedMutator(List<byte[]> seeds, long seed) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seeds to mutate");
        }
        this.seeds = List.copyOf(seeds);
        this.random = new SplittableRandom(seed);
    }

    /** The built-in seeds of {@code target}, encoded as the corpus files are. */
    static SeedMutator forTarget(StreamTarget target, long seed) {
        List<byte[]> seeds = new ArrayList<>();
        Seeds.forTarget(target).values().forEach(i -> seeds.add(InputEncoder.encode(i)));
        return new SeedMutator(seeds, seed);
    }

    byte[] next() {
        byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
        int ops = 1 + random.nextInt(4);
        for (int i = 0; i < ops; i++) {
            b = mutate(b);
        }
        return b.length > MAX_LEN ? Arrays.copyOf(b, MAX_LEN) : b;
    }

    private byte[] mutate(byte[] b) {
        if (b.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(b.length);
        switch (random.nextInt(5)) {
            case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> b[at] = (byte) random.nextInt(256);
            case 2 -> {
                byte[] r = new byte[b.length + 1];
                System.arraycopy(b, 0, r, 0, at);
                r[at] = (byte) random.nextInt(256);
                System.arraycopy(b, at, r, at + 1, b.length - at);
                return r;
            }
            case 3 -> {
                byte[] r = new byte[b.length - 1];
                System.arraycopy(b, 0, r, 0, at);
                System.arraycopy(b, at + 1, r, at, b.length - at - 1);
                return r;
            }
            default -> {
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int from = other.length == 0 ? 0 : random.nextInt(other.length);
                byte[] r = Arrays.copyOf(b, at + other.length - from);
                System.arraycopy(other, from, r, at, other.length - from);
                return r;
            }
        }
        return b;
    }
}
