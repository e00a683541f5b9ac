package dev.wirelab.cli.bench;

import java.util.Arrays;

/** Repeated wall-time measurements, reported by their median (robust to one slow run on a shared machine). */
public final class Samples {
    private final long[] nanos;
    private int n;

    public Samples(int capacity) {
        this.nanos = new long[capacity];
    }

    public void add(long value) {
        nanos[n++] = value;
    }

    public int count() {
        return n;
    }

    /** The median (the mean of the middle two for an even count). */
    public long median() {
        if (n == 0) {
            throw new IllegalStateException("no samples");
        }
        long[] s = Arrays.copyOf(nanos, n);
        Arrays.sort(s);
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
