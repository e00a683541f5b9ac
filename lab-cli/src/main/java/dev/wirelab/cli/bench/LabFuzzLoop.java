package dev.wirelab.cli.bench;

import dev.wirelab.emulator.board.Snapshot;
import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.emulator.lab.Stop;

import java.util.Map;

/**
 * A fuzz-like execution loop through the scripting API, the shape of a
 * {@code tcp-established} fuzz target: restore a snapshot of an established
 * connection to the echo service, inject one to three data segments, advance
 * 2 ms of virtual time. What a segment carries is a pure function of the
 * execution number, so the loop is as deterministic as any Lab script.
 */
public final class LabFuzzLoop implements AutoCloseable {
    /** The label bench rows and {@code --json} use until real fuzz targets exist. */
    public static final String TARGET = "lab-loop:tcp-established";

    private final Lab lab = new Lab();
    private final Snapshot established;
    private long executions;
    private long lastRestoreNanos;
    private long lastInjectNanos;

    public LabFuzzLoop() {
        lab.boot();
        lab.inject(lab.tcp(Map.of("flags", "S", "seq", 0, "win", 65535, "mss", 1460)));
        lab.expect(Map.of("flags", "S.", "within", lab.ms(10)));
        lab.inject(lab.tcp(Map.of("flags", ".", "seq", 1, "ack", 1)));
        lab.advance(lab.ms(1));
        established = lab.snapshot();
    }

    /** One execution; returns the guest instructions it ran. */
    public long execute() {
        long t = System.nanoTime();
        lab.restore(established);
        lastRestoreNanos = System.nanoTime() - t;
        long start = lab.getInstructions();
        long n = executions++;
        int segments = 1 + (int) (n % 3);
        long seq = 1;
        for (int i = 0; i < segments; i++) {
            int len = 1 + (int) ((n * 31 + i * 17) % 200);
            byte[] data = new byte[len];
            for (int j = 0; j < len; j++) {
                data[j] = (byte) ('a' + (n + i + j) % 26);
            }
            lab.inject(lab.tcp(Map.of("flags", "P.", "seq", seq, "ack", 1, "data", data)));
            seq += len;
        }
        long t2 = System.nanoTime();
        lastInjectNanos = t2 - t - lastRestoreNanos;
        Stop s = lab.advance(lab.ms(2));
        if (!"time".equals(s.reason())) {
            throw new IllegalStateException("fuzz loop execution " + n + " ended early: " + s);
        }
        return lab.getInstructions() - start;
    }

    /** Wall time of the last execution's restore. */
    public long lastRestoreNanos() {
        return lastRestoreNanos;
    }

    public Lab lab() {
        return lab;
    }

    @Override
    public void close() {
        established.close();
        lab.close();
    }

    /** Profiling entry: {@code java -XX:StartFlightRecording=... LabFuzzLoop [executions]}. */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        try (LabFuzzLoop loop = new LabFuzzLoop()) {
            long insns = 0;
            long[] restores = new long[n];
            for (int i = 0; i < Math.min(n, 500); i++) {
                loop.execute(); // warm-up
            }
            long t = System.nanoTime();
            long inject = 0;
            for (int i = 0; i < n; i++) {
                insns += loop.execute();
                restores[i] = loop.lastRestoreNanos();
                inject += loop.lastInjectNanos;
            }
            System.out.printf("inject phase mean %.1f us%n", inject / 1e3 / n);
            double secs = (System.nanoTime() - t) / 1e9;
            java.util.Arrays.sort(restores);
            System.out.printf("%d executions in %.2f s: %.0f exec/s, %.0f insns/exec, restore p50 %.1f us p99 %.1f us%n",
                    n, secs, n / secs, (double) insns / n, restores[n / 2] / 1e3, restores[(int) (n * 0.99)] / 1e3);
        }
    }
}
