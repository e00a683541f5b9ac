package dev.wirelab.cli.bench;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.RunUntil;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.board.Snapshot;
import dev.wirelab.emulator.boot.BootImages;

import java.util.Locale;

/**
 * The embedded default guest: instructions and wall time from reset to its
 * "ready" line, whole-machine snapshot save and restore (restore after the
 * guest ran, so there is RAM to put back), and how fast idle time passes.
 */
final class DefaultGuestBench implements Benchmark {
    static final String RESOURCE = "/guest/kernel/wirelab-guest.elf";
    static final String READY = "wirelab-guest: ready";
    /** Guest work between snapshot and restore: one scheduler tick's worth of a busy guest, and then some. */
    static final long BURST = 2_000_000;

    @Override
    public void measure(BenchContext ctx, Table table) throws Exception {
        if (DefaultGuestBench.class.getResource(RESOURCE) == null) {
            table.note("default guest not in this build: its rows are skipped");
            return;
        }
        byte[] image = ctx.guest(RESOURCE);
        Samples boot = new Samples(ctx.runs());
        long readyAt = 0;
        for (int i = 0; i < ctx.runs(); i++) {
            ctx.progress("default guest boot " + (i + 1) + "/" + ctx.runs());
            try (Board b = Board.create(ctx.config())) {
                b.load(BootImages.parse("wirelab-guest.elf", image));
                long t = System.nanoTime();
                readyAt = bootToReady(b);
                boot.add(System.nanoTime() - t);
            }
        }
        table.row("default guest: ELF image size, bytes", String.format(Locale.ROOT, "%,d", image.length), "-", "-");
        table.row("default guest: instructions from reset to ready", String.format(Locale.ROOT, "%,d", readyAt), "-", "-");
        table.row("default guest: boot to ready, ms", ms(boot.median()), "-", "-");

        try (Board b = Board.create(ctx.config())) {
            b.load(BootImages.parse("wirelab-guest.elf", image));
            bootToReady(b);
            int n = Math.max(5, ctx.runs() * 5);
            Samples save = new Samples(n);
            Samples restore = new Samples(n);
            long pages = 0;
            long ramBytes = 0;
            for (int i = 0; i < n; i++) {
                ctx.progress("snapshot " + (i + 1) + "/" + n);
                long t = System.nanoTime();
                try (Snapshot s = b.snapshot()) {
                    save.add(System.nanoTime() - t);
                    ramBytes = s.ramBytes();
                    b.run(BURST);
                    t = System.nanoTime();
                    pages = b.restore(s);
                    restore.add(System.nanoTime() - t);
                }
            }
            table.row(String.format(Locale.ROOT, "snapshot save (whole machine, %,d KiB RAM in use), us", ramBytes >> 10),
                    us(save.median()), "-", "-");
            table.row(String.format(Locale.ROOT, "snapshot restore after %,d instructions (%d pages rewritten), us", BURST, pages),
                    us(restore.median()), "-", "-");

            ctx.progress("idle fast-forward");
            long ticks0 = b.clock().ticks();
            long t = System.nanoTime();
            b.run(50_000_000);
            double virtualSeconds = (b.clock().ticks() - ticks0) / 62.5e6;
            double wallSeconds = (System.nanoTime() - t) / 1e9;
            table.row("idle default guest: virtual seconds per wall second",
                    String.format(Locale.ROOT, "%,.0f", virtualSeconds / wallSeconds), "-", "-");
        }
    }

    private static long bootToReady(Board b) {
        if (b.run(RunUntil.budget(500_000_000).printed(READY)).cause() != StopCause.CONSOLE_MATCH) {
            throw new IllegalStateException("default guest did not reach ready: " + b.console().text());
        }
        return b.clock().instructions();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%,.1f", nanos / 1e6);
    }

    private static String us(long nanos) {
        return String.format(Locale.ROOT, "%,.0f", nanos / 1e3);
    }
}
