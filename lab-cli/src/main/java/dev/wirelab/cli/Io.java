package dev.wirelab.cli;

import java.io.PrintStream;

/**
 * Where a command writes: the guest console and results go to {@code out},
 * diagnostics to {@code err}. {@code process} is true only when running as the
 * real {@code wirelab} process (then Ctrl-C is handled; tests run in-process
 * with their own streams and must not install signal handlers).
 */
public record Io(PrintStream out, PrintStream err, boolean process) {
    /** The process's own streams (what {@link Main#main} uses). */
    public static Io system() {
        return new Io(System.out, System.err, true);
    }
}
