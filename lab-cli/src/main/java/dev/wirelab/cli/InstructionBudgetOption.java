package dev.wirelab.cli;

import picocli.CommandLine.Option;

/** {@code --max-insns}: the guest instructions a run may retire (a picocli mixin of boot and run). */
public final class InstructionBudgetOption {
    /** 20 billion: about a minute of guest time at the board's speed, ends a guest that never stops. */
    public static final long DEFAULT = 20_000_000_000L;

    @Option(names = "--max-insns", paramLabel = "N", converter = Numbers.Count.class, defaultValue = "20_000_000_000",
            description = "Guest instructions the run may retire (a script: all its boots together); beyond them "
                    + "the exit code is 124 (default: 20,000,000,000).")
    long maxInsns;

    long get() {
        return maxInsns;
    }
}
