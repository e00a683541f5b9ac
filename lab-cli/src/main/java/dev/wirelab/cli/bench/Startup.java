package dev.wirelab.cli.bench;

import dev.wirelab.cli.GuestImage;
import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.boot.BootImages;

import java.util.Locale;

/**
 * Start-up: wirelab's {@code Board.create} + {@code load} of the hello guest
 * versus a whole QEMU process booting it and exiting.
 */
final class Startup implements Benchmark {
    @Override
    public void measure(BenchContext ctx, Table table) throws Exception {
        BootImage hello = BootImages.parse("hello.elf", ctx.guest(GuestImage.FALLBACK));
        Samples s = new Samples(ctx.runs());
        for (int i = 0; i < ctx.runs(); i++) {
            ctx.progress("board create+load " + (i + 1) + "/" + ctx.runs());
            long start = System.nanoTime();
            try (Board board = Board.create(ctx.config())) {
                board.load(hello);
                s.add(System.nanoTime() - start);
            }
        }
        String qemu = "-";
        if (ctx.qemu().isPresent()) {
            qemu = ms(ctx.qemuStartupNanos());
        }
        table.row("start-up: wirelab board create+load / QEMU process boot+exit, ms", ms(s.median()), qemu);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%,.2f", nanos / 1e6);
    }
}
