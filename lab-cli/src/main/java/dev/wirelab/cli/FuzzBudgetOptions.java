package dev.wirelab.cli;

import picocli.CommandLine.Option;

/** {@code --time} and {@code --runs}: how long a fuzz run goes, checked in one place (a picocli mixin). */
public final class FuzzBudgetOptions {
    /** Without --time and --runs a run fuzzes for a minute. */
    private static final long DEFAULT_SECONDS = 60;

    @Option(names = "--time", paramLabel = "DURATION", description = "How long to fuzz: 90s, 10m, 2h, 1h30m "
            + "(default: 1m when --runs is not given).")
    String time;

    @Option(names = "--runs", paramLabel = "N", description = "Stop after N executions (per worker).")
    Long runs;

    /** Seconds to fuzz, 0 for no time limit (--runs alone); a bad duration or run count is a {@link UserError}. */
    long seconds() {
        long seconds = time == null ? (runs == null ? DEFAULT_SECONDS : 0) : FuzzDuration.parseSeconds("--time", time);
        if (runs != null && runs < 1) {
            throw new UserError("--runs " + runs + ": give at least 1 execution");
        }
        return seconds;
    }

    /** Executions per worker, or null for no limit. */
    Long runs() {
        return runs;
    }

    /** The time limit as the run's summary shows it: as written, {@code 1m} by default, {@code -} for none. */
    String shownTime() {
        return time == null ? (runs == null ? "1m" : "-") : time;
    }
}
