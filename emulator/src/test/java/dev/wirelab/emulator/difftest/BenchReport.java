package dev.wirelab.emulator.difftest;

import java.util.Locale;

/** Formats the informational speed line of a bench case (never asserted: wall time is not behaviour). */
final class BenchReport {
    private BenchReport() { }

    static String line(String machine, GuestCase c, long instructions, long nanos) {
        double seconds = nanos / 1e9;
        return String.format(Locale.ROOT, "bench %s on %s: %,d instructions in %.3f s = %.1f M insn/s"
                + " (wall time includes start-up)", c.name(), machine, instructions, seconds,
                instructions / seconds / 1e6);
    }
}
