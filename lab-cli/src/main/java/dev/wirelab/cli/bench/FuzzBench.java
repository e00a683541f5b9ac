package dev.wirelab.cli.bench;

import dev.wirelab.cli.Version;
import dev.wirelab.fuzz.campaign.Campaign;
import dev.wirelab.fuzz.campaign.CampaignSettings;
import dev.wirelab.fuzz.input.StreamTarget;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Fuzz executions per second of each real stream target on the default guest, and snapshot
 * restore after a fuzz execution: the executor {@code wirelab fuzz} runs in its worker
 * ({@link Campaign}: {@code FuzzLab} with the standard oracles, the TCP monitor and guest edge
 * coverage on), fed seeded mutations of the target's seeds ({@link SeedMutator}) on this thread,
 * so on one core. libFuzzer's own cost (mutation, corpus, counters) is not in these numbers.
 */
final class FuzzBench implements Benchmark {
    static final int WARM_UP = 200;
    static final int EXECUTIONS_PER_RUN = 500;
    /** The target whose restore the {@code restore_p50_us}/{@code restore_p99_us} keys report (issue 12's row). */
    static final StreamTarget RESTORE_TARGET = StreamTarget.TCP_ESTABLISHED;
    /** The mutator's seed: the same inputs in every bench run. */
    static final long SEED = 1;

    @Override
    public void measure(BenchContext ctx, Table table) throws IOException {
        if (FuzzBench.class.getResource(DefaultGuestBench.RESOURCE) == null) {
            return; // DefaultGuestBench already noted the missing guest
        }
        int findings = 0;
        Path out = Files.createTempDirectory("wirelab-bench-fuzz-");
        try {
            for (StreamTarget t : StreamTarget.values()) {
                findings += measure(ctx, table, t, out.resolve(t.id()));
            }
        } finally {
            if (findings == 0) {
                delete(out);
            }
        }
        table.note("fuzz rows: the real targets on the default guest, executed as 'wirelab fuzz' workers do (oracles, "
                + "TCP monitor, guest coverage on), " + WARM_UP + " warm-up then " + EXECUTIONS_PER_RUN
                + " executions a run of seeded mutations (seed " + SEED + ") of the corpora/TARGET seeds, one thread; "
                + "libFuzzer's own cost not included.");
        if (findings > 0) {
            table.note("warning: " + findings + " finding" + (findings == 1 ? "" : "s")
                    + " on the default guest while benching (a false positive or a real bug): see " + out);
        }
    }

    /** One target's rows; returns how many findings its inputs produced (none expected on the default guest). */
    private static int measure(BenchContext ctx, Table table, StreamTarget t, Path out) {
        int runs = ctx.runs();
        int n = EXECUTIONS_PER_RUN * runs;
        long[] restores = new long[n];
        Samples runTimes = new Samples(runs);
        long insns = 0;
        int findings = 0;
        SeedMutator inputs = SeedMutator.forTarget(t, SEED);
        ctx.progress("fuzz " + t.id() + ": boot and target setup");
        try (Campaign c = new Campaign(new CampaignSettings(t, "default", out, List.of(), Version.wirelab()))) {
            for (int i = 0; i < WARM_UP; i++) {
                if (i % 50 == 0) {
                    ctx.progress("fuzz " + t.id() + " warm-up " + i + "/" + WARM_UP);
                }
                findings += c.run(inputs.next()).isPresent() ? 1 : 0;
            }
            var lab = c.lab().lab();
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < EXECUTIONS_PER_RUN; i++) {
                    int k = r * EXECUTIONS_PER_RUN + i;
                    if (k % 100 == 0) {
                        ctx.progress("fuzz " + t.id() + " " + k + "/" + n);
                    }
                    long i0 = lab.getSpent();
                    findings += c.run(inputs.next()).isPresent() ? 1 : 0;
                    insns += lab.getSpent() - i0;
                    restores[k] = c.lab().lastRestoreNanos();
                }
                runTimes.add(System.nanoTime() - t0);
            }
        }
        Arrays.sort(restores);
        double rate = EXECUTIONS_PER_RUN * 1e9 / runTimes.median();
        double p50 = restores[n / 2] / 1e3;
        double p99 = restores[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e3;
        ctx.metrics().fuzzRate(t.id(), rate);
        if (t == RESTORE_TARGET) {
            ctx.metrics().put(BenchMetrics.Key.RESTORE_P50_US, p50);
            ctx.metrics().put(BenchMetrics.Key.RESTORE_P99_US, p99);
        }
        table.row(String.format(Locale.ROOT, "fuzz executions/s, %s (%,.0f insns each)", t.id(), (double) insns / n),
                String.format(Locale.ROOT, "%,.0f", rate), "-", "-");
        table.row("snapshot restore after a " + t.id() + " execution, p50 | p99 us",
                String.format(Locale.ROOT, "%,.1f | %,.1f", p50, p99), "-", "-");
        return findings;
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
