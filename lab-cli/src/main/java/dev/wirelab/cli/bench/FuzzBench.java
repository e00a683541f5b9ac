package dev.wirelab.cli.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Fuzz executions per second and snapshot restore after a fuzz execution.
 * Until the fuzz targets exist this runs {@link LabFuzzLoop} (the same shape
 * through the scripting API) and labels the row as such.
 */
final class FuzzBench implements Benchmark {
    static final int WARM_UP = 300;
    static final int EXECUTIONS_PER_RUN = 1000;

    @Override
    public void measure(BenchContext ctx, Table table) {
        if (FuzzBench.class.getResource(DefaultGuestBench.RESOURCE) == null) {
            return; // DefaultGuestBench already noted the missing guest
        }
        int n = EXECUTIONS_PER_RUN * ctx.runs();
        long[] restores = new long[n];
        long insns = 0;
        long nanos;
        try (LabFuzzLoop loop = new LabFuzzLoop()) {
            for (int i = 0; i < WARM_UP; i++) {
                if (i % 100 == 0) {
                    ctx.progress("fuzz loop warm-up " + i + "/" + WARM_UP);
                }
                loop.execute();
            }
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (i % 200 == 0) {
                    ctx.progress("fuzz loop " + i + "/" + n);
                }
                insns += loop.execute();
                restores[i] = loop.lastRestoreNanos();
            }
            nanos = System.nanoTime() - t;
        }
        Arrays.sort(restores);
        double rate = n / (nanos / 1e9);
        double p50 = restores[n / 2] / 1e3;
        double p99 = restores[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e3;
        ctx.metrics().fuzzRate(LabFuzzLoop.TARGET, rate);
        ctx.metrics().put(BenchMetrics.Key.RESTORE_P50_US, p50);
        ctx.metrics().put(BenchMetrics.Key.RESTORE_P99_US, p99);
        table.row(String.format(Locale.ROOT, "fuzz executions/s, %s (Lab API loop, %,.0f insns each)", LabFuzzLoop.TARGET,
                (double) insns / n), String.format(Locale.ROOT, "%,.0f", rate), "-", "-");
        table.row("snapshot restore after a fuzz execution, p50 | p99 us",
                String.format(Locale.ROOT, "%,.1f | %,.1f", p50, p99), "-", "-");
    }
}
