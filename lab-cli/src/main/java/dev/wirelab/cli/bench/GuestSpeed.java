package dev.wirelab.cli.bench;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.boot.BootImages;

import java.util.Locale;

/**
 * Guest instructions per second on the bench guests, in wirelab
 * ({@link Board#run} only) and in QEMU (process wall time minus its start-up),
 * and their ratio.
 */
final class GuestSpeed implements Benchmark {
    @Override
    public void measure(BenchContext ctx, Table table) throws Exception {
        for (BenchGuest g : ctx.guests()) {
            long wirelab = wirelab(ctx, g, table);
            String qemuCell = "-";
            String ratio = "-";
            if (ctx.qemu().isPresent()) {
                long startup = ctx.qemuStartupNanos();
                Samples s = new Samples(ctx.runs());
                for (int i = 0; i < ctx.runs(); i++) {
                    ctx.progress(g.guestName() + " on QEMU " + (i + 1) + "/" + ctx.runs());
                    s.add(ctx.qemu().get().time(ctx.config(), ctx.guestFile(g.resource())));
                }
                long guestOnly = s.median() - startup;
                if (guestOnly <= 0) {
                    guestOnly = s.median(); // start-up noise larger than the run: report the raw time
                    table.note("note: " + g.guestName() + " on QEMU ran faster than QEMU's start-up; start-up not subtracted");
                }
                double q = mips(g.instructions(), guestOnly);
                qemuCell = fmt(q);
                ratio = String.format(Locale.ROOT, "%.2fx", mips(g.instructions(), wirelab) / q);
            }
            table.row(String.format(Locale.ROOT, "%s, %s: M insn/s", g.guestName(), g.what()),
                    fmt(mips(g.instructions(), wirelab)), qemuCell, ratio);
        }
    }

    /** Median nanoseconds of {@code Board.run} over the guest; notes a count that differs from the documented one. */
    private static long wirelab(BenchContext ctx, BenchGuest g, Table table) {
        BootImage image = BootImages.parse(g.guestName() + ".elf", ctx.guest(g.resource()));
        Samples s = new Samples(ctx.runs());
        for (int i = 0; i < ctx.runs(); i++) {
            ctx.progress(g.guestName() + " on wirelab " + (i + 1) + "/" + ctx.runs());
            try (Board board = Board.create(ctx.config())) {
                board.load(image);
                long start = System.nanoTime();
                Stop r = board.run(g.instructions() * 2);
                s.add(System.nanoTime() - start);
                if (i == 0 && (!r.is(StopCause.GUEST_EXIT) || r.exitCode() != 0 || r.instructions() != g.instructions())) {
                    table.note(String.format(Locale.ROOT, "warning: %s on wirelab ended with '%s' after %,d instructions"
                            + " (expected exit 0 after %,d)", g.guestName(), r, r.instructions(), g.instructions()));
                }
            }
        }
        return s.median();
    }

    static double mips(long instructions, long nanos) {
        return instructions / (nanos / 1e9) / 1e6;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.1f", v);
    }
}
