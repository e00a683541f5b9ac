package dev.wirelab.cli;

import picocli.CommandLine.Option;

import java.io.PrintStream;

/** {@code --trace-hash}: the run's fingerprint printed at its end (a picocli mixin of boot, run and replay). */
public final class TraceHashOption {
    @Option(names = "--trace-hash", description = "Print 'trace-hash: <hex>' at the end (equal hashes = identical runs).")
    boolean enabled;

    boolean enabled() {
        return enabled;
    }

    /** The line scripts and tests compare. */
    public static void print(PrintStream out, String hash) {
        out.println("trace-hash: " + hash);
    }
}
